// Everything a local run needs: the synthesized workflow on the virtual clock and the deployed handlers,
// with their ports bound either to real SDK clients against local services on free loopback ports
// (DynamoDB Local, local SES, the AWS JSON endpoint, optional fault proxies: `dynamodb-local`) or to
// in-process adapters behind the same ports (`memory`).
import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash, randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { DynamoAccountStore } from '../../functions/adapters/aws/dynamodb-account-store';
import { documentClient } from '../../functions/adapters/aws/dynamo-client';
import { newSesClient, sesEmailSender } from '../../functions/adapters/aws/ses-email-sender';
import { eventBridgePublisher, newEventBridgeClient } from '../../functions/adapters/aws/eventbridge-publisher';
import { sendOnce } from '../../functions/adapters/aws/send-once';
import { newSmsClient, endUserSmsSender } from '../../functions/adapters/aws/sms-sender';
import { newSfnClient, stepFunctionsCallbacks } from '../../functions/adapters/aws/step-functions-callbacks';
import { newSqsClient, sqsDeadLetters } from '../../functions/adapters/aws/sqs-dead-letters';
import { makeHandler as makeAwaitEvent } from '../../functions/handlers/await-event/handler';
import { makeHandler as makeClose } from '../../functions/handlers/close/handler';
import { makeHandler as makeDiagnose } from '../../functions/handlers/diagnose/handler';
import { makeHandler as makeEscalate } from '../../functions/handlers/escalate/handler';
import { makeHandler as makeLetter } from '../../functions/handlers/letter/handler';
import { folderDocuments, memoryDocuments } from '../../functions/adapters/in-process/local-documents';
import { renderLetterPdf } from '../../functions/adapters/pdf-letters';
import { makeHandler as makeIntake } from '../../functions/handlers/intake/handler';
import { makeHandler as makeOfferPlan } from '../../functions/handlers/offer-plan/handler';
import { makeHandler as makeRemind } from '../../functions/handlers/remind/handler';
import type { PolicyPack } from '../../functions/domain/policy-packs';
import { DEFAULT_STRATEGY, type Strategy } from '../../functions/domain/strategy';
import type { Playbook } from '../../functions/domain/next-step';
import { MemoryAccountStore } from '../../functions/adapters/in-process/memory-account-store';
import { memorySendOnce } from '../../functions/adapters/in-process/memory-send-once';
import { type AccountStore, type Clock, type Log, type DeadLetters, type EventPublisher, type MessageSender, type CallQueue, type CustomerLinks, type PortfolioReader, type PublishedEvent, type ResumeResult, type Senders, type WorkflowCallbacks, type WorkflowDeps } from '../../functions/ports';
import { PermanentSendError, TransientError } from '../../functions/errors';
import { hmacCustomerLinks } from '../../functions/adapters/hmac-customer-links';
import { AwsError, startAwsEndpoint } from './aws-endpoint';
import { createTable } from './create-table';
import { startDynamoDbLocal } from './dynamodb-local';
import { LocalEngine, type Handler } from './engine';
import { startFaultProxy } from './fault-proxy';
import { faults as makeFaults, noFaults, type Faults } from './faults';
import { startLocalSes, type SentEmail } from './local-ses';
import { seededRandom } from './random';
import { countingMetrics, recordingLog, type LogLine } from './recorders';
import { Scheduler } from './scheduler';
import { LOCAL_ACCOUNT, loadWorkflow, type SynthesizedWorkflow } from './synthesized-workflow';
import { dynamoStreamSource, OutboxRelay } from './outbox-relay';
import { INBOUND_MAX_RECEIVES } from '../../infra/shared-settings';
import { INBOUND_SOURCES } from '../../functions/domain/inbound-events';
import { OUTBOX_SOURCE } from '../../functions/adapters/outbox';

/** Where the local stack keeps accounts: DynamoDB Local through the real SDK, or process memory. */
export type StoreKind = 'memory' | 'dynamodb-local';
export const STORE_KINDS = ['memory', 'dynamodb-local'] as const;

export interface LocalStackOptions {
  pack: PolicyPack;
  /** Default `dynamodb-local` (fidelity first); `memory` binds every port to an in-process adapter. */
  store?: StoreKind;
  start: Date;
  strategy?: Strategy;
  /** Share of adapter calls that fail transiently (0–1). */
  faultRate?: number;
  seed?: number;
  /** Use this DynamoDB Local instead of starting one (tests share one). */
  dynamoEndpoint?: string;
  /** Keep execution histories (for --trace). */
  keepHistory?: boolean;
  /** Reuse an already synthesized workflow (it depends only on the pack). */
  workflow?: SynthesizedWorkflow;
  /** Called for every event out, at its virtual time: how simulated customers hear from us. */
  onEventOut?: (event: OutboundEvent) => void;
  /** Called for every structured log line a handler writes. */
  onLog?: (line: LogLine) => void;
  /**
   * Keep what the run sent and logged for reading back: `logs`, `eventsOut`, `sms`, `emails()` (default true:
   * tests and scenarios read them). A long simulation sets false, listens (onLog, onEventOut) and reads the
   * counts (`messagesSent`) instead, so memory does not grow with the run.
   */
  keepOutputs?: boolean;
  /** Numbers the local SMS endpoint refuses as opted out at the carrier (a permanent send failure). */
  smsOptedOut?: readonly string[];
  /** Base of the self-service links in messages (default: where `npm run serve` listens by default). */
  apiUrl?: string;
  /** Key the links are signed with (default: a fixed key for repeatable local runs). */
  linkKey?: Uint8Array;
  /** Folder documents are written under (letters as `letters/<accountId>/<letterId>.pdf`); default: kept in memory (`stack.letters`). */
  documentsDir?: string;
}

const LOCAL_RUN_LINK_KEY = createHash('sha256').update('collections local run link key').digest();

/** `npm run serve`'s default address, so links in scenario and simulation messages have a home. */
export const DEFAULT_API_PORT = 8787;
export const DEFAULT_API_URL = `http://127.0.0.1:${DEFAULT_API_PORT}`;

/** One entry of an EventBridge PutEvents request, as the SDK sends it. */
export interface PutEventsEntry { EventBusName?: string; Source?: string; DetailType?: string; Detail?: string; Resources?: string[] }

const BUS_NAME = 'collections';

export interface OutboundEvent { at: string; detailType: string; detail: Record<string, unknown> }
export interface DeadLetter { at: string; body: string; reason: string }
export interface SentSms { at: string; to: string; text: string }

/** Calls per function, DynamoDB requests per operation and per handler: what the cost estimate and benchmark read. */
export interface Usage {
  invocations: Record<string, number>;
  handlerMs: Record<string, number>;
  dynamo: Record<string, number>;
  dynamoByHandler: Record<string, number>;
  /** Read and write units the handlers' requests consumed, as DynamoDB Local reports them. */
  dynamoUnits: { read: number; write: number };
}

/** The handler an SDK call is made for, and what it wrote, carried through the async chain. */
interface Invocation { name: string; wrote: boolean; wroteOutbox: boolean }
const currentInvocation = new AsyncLocalStorage<Invocation>();

/** Whether a write request puts an item that carries an event out (the outbox). */
const putsOutbox = (operation: string, input: Record<string, unknown>): boolean => {
  if (operation === 'PutItem') return (input.Item as Record<string, unknown> | undefined)?.eventType !== undefined;
  if (operation !== 'TransactWriteItems') return false;
  return ((input.TransactItems ?? []) as { Put?: { Item?: Record<string, unknown> } }[]).some((t) => t.Put?.Item?.eventType !== undefined);
};

/**
 * How the inbound queue treats a message the intake failed on: it comes back after the visibility
 * timeout (six times the intake's 20 s timeout) and goes to the dead-letter queue after the last receive.
 */
export const INBOUND_REDELIVERY = { afterMs: 2 * 60_000, maxReceives: INBOUND_MAX_RECEIVES } as const;

/** Each stack sends from its own address: local SES keeps one store per process, shared by every stack in it. */
const senderFor = (tableName: string) => `collections+${tableName}@example.com`;
const SENDER = 'collections@example.com';
const SMS_FROM = '+15550100000';

/** Every local client retries quickly: injected faults must not cost real seconds. */
const fastRetry = () => ({ retryStrategy: new ConfiguredRetryStrategy(10, 2) });

const READS = new Set(['GetItem', 'BatchGetItem', 'Query', 'Scan', 'TransactGetItems']);
const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems']);

/** Capacity units from a response: one object for single-item calls, one per table for batches and transactions. */
const unitsOf = (consumed: unknown): number =>
  [consumed].flat().reduce((sum: number, c) => sum + Number((c as { CapacityUnits?: number } | undefined)?.CapacityUnits ?? 0), 0);

/**
 * Counts a store request by operation and by the handler that made it. A write that took effect (not one
 * refused by its condition) marks the invocation as having written, and as having written outbox items.
 */
const recordRequest = (usage: Usage, operation: string): Invocation | undefined => {
  usage.dynamo[operation] = (usage.dynamo[operation] ?? 0) + 1;
  const invocation = currentInvocation.getStore();
  usage.dynamoByHandler[invocation?.name ?? 'other'] = (usage.dynamoByHandler[invocation?.name ?? 'other'] ?? 0) + 1;
  return invocation;
};

const noteWrite = (invocation: Invocation | undefined, outbox: boolean) => {
  if (!invocation) return;
  invocation.wrote = true;
  invocation.wroteOutbox ||= outbox;
};

/**
 * Counts every DynamoDB request, and, for the handlers' requests, the read and write units DynamoDB Local
 * reports as consumed (the same units on-demand bills).
 */
const countDynamoRequests = (client: DynamoDBClient, usage: () => Usage) => {
  client.middlewareStack.add((next, context) => async (args) => {
    const operation = String(context.commandName ?? 'unknown').replace(/Command$/, '');
    const invocation = recordRequest(usage(), operation);
    const kind = READS.has(operation) ? 'read' : WRITES.has(operation) ? 'write' : null;
    if (!invocation || !kind) return next(args);
    (args.input as Record<string, unknown>).ReturnConsumedCapacity = 'TOTAL';
    const result = await next(args);
    if (kind === 'write') noteWrite(invocation, putsOutbox(operation, args.input as Record<string, unknown>));
    usage().dynamoUnits[kind] += unitsOf((result.output as { ConsumedCapacity?: unknown }).ConsumedCapacity);
    return result;
  }, { step: 'initialize', name: 'countRequests' });
};

/** The ports a stack binds its handlers to, and what a run reads back from them. */
interface Ports {
  store: AccountStore & CallQueue & PortfolioReader;
  senders: Senders;
  callbacks: WorkflowCallbacks;
  deadLetters: DeadLetters;
  relay: OutboxRelay;
  emails(): Promise<SentEmail[]>;
  /** How many emails the provider took (kept or not). */
  emailsSent(): Promise<number>;
  faults: Faults;
  tableName: string;
  /** Where the local services listen (the DynamoDB path only): what `npm run serve` hands out. */
  addresses?: LocalAddresses;
  /** Lets a finished account's record go from process memory (nothing to do where DynamoDB Local holds it). */
  release(accountId: string): void;
  close(): Promise<void>;
}

/** Where the local AWS endpoint lists the texts sent, as JSON. */
export const SMS_INBOX_PATH = '/sms';

export interface LocalAddresses { awsEndpoint: string; ses: string; dynamodb: string }

/** Every local client retries quickly; in-process adapters retry injected faults the way the SDK would. */
const IN_PROCESS_ATTEMPTS = 10;

/** Wraps each async method so a share of calls fail before acting, retried as the SDK would retry them. */
const withFaults = <T extends object>(target: T, faults: Faults): T => {
  if (faults === noFaults) return target;
  return new Proxy(target, {
    get(object, property, receiver) {
      const value = Reflect.get(object, property, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        for (let attempt = 1; attempt < IN_PROCESS_ATTEMPTS && faults.next(); attempt += 1);
        return (value as (...a: unknown[]) => unknown).apply(object, args);
      };
    },
  });
};

/** In-process adapters behind the same ports: no emulator, no HTTP, the same semantics (contract-tested). */
const inProcessPorts = (stack: () => LocalStack, faults: Faults): Ports => {
  const memory = new MemoryAccountStore((operation, kind, units, outbox) => {
    const invocation = recordRequest(stack().usage, operation);
    if (!invocation) return;
    stack().usage.dynamoUnits[kind] += units;
    // The in-process store prices a write refused by its condition at zero units: it did not take effect.
    if (kind === 'write' && units > 0) noteWrite(invocation, outbox);
  });
  const sent: SentEmail[] = [];
  const email: MessageSender = {
    async send(to, message, reference) {
      stack().messagesSent.email += 1;
      if (stack().keepOutputs) sent.push({ from: SENDER, to: [to], subject: message.subject, text: message.text, at: stack().scheduler.timeOf(reference.accountId) });
      return { messageId: `${reference.accountId}/${reference.contactId}` };
    },
  };
  const sms: MessageSender = {
    async send(to, message, reference) {
      if (stack().smsOptedOut.has(to)) throw new PermanentSendError('ConflictException (DESTINATION_PHONE_NUMBER_OPTED_OUT): Conflict Occurred', { optedOut: true });
      stack().acceptSms(to, message.text, reference.accountId);
      return { messageId: `${reference.accountId}/${reference.contactId}` };
    },
  };
  const callbacks: WorkflowCallbacks = {
    async start(name, input) {
      return stack().engine.start(name, input);
    },
    async resume(token): Promise<ResumeResult> {
      try {
        stack().engine.resume(token);
        return { resumed: true };
      } catch (error) {
        if (error instanceof AwsError) return { resumed: false, reason: `${error.code}: ${error.message}` };
        throw error;
      }
    },
  };
  const publisher: EventPublisher = { publish: async (events) => stack().acceptEvents(events) };
  const store = withFaults(memory, faults);
  // Each send-once record write counts as the DynamoDB request (and one write unit) it would be.
  const sendRecord = (operation: string) => {
    const invocation = recordRequest(stack().usage, operation);
    if (!invocation) return;
    stack().usage.dynamoUnits.write += 1;
    noteWrite(invocation, false);
  };
  const senders = { email: memorySendOnce(withFaults(email, faults), sendRecord), sms: memorySendOnce(withFaults(sms, faults), sendRecord) };
  return {
    store,
    senders,
    release: (accountId) => {
      memory.releaseRecord(accountId);
      senders.email.forget(accountId);
      senders.sms.forget(accountId);
    },
    callbacks: withFaults(callbacks, faults),
    deadLetters: withFaults<DeadLetters>({ reject: async (body, reason) => stack().acceptDeadLetter(body, reason) }, faults),
    relay: new OutboxRelay(async () => memory.takeChanges(), withFaults(publisher, faults)),
    emails: async () => sent,
    emailsSent: async () => stack().messagesSent.email,
    faults,
    tableName: 'in-process',
    close: async () => {},
  };
};

/** Real SDK clients against DynamoDB Local, local SES and the local AWS endpoint, on free loopback ports. */
const awsLocalPorts = async (stack: () => LocalStack, options: LocalStackOptions, faults: Faults, workflow: SynthesizedWorkflow): Promise<Ports> => {
  const dynamo = options.dynamoEndpoint ? undefined : await startDynamoDbLocal();
  const dynamoUrl = options.dynamoEndpoint ?? dynamo!.endpoint;
  const ses = await startLocalSes();
  // Texts have no inbox of their own locally, as emails have local SES's: this one lists what was sent (while the stack keeps outputs).
  const endpoint = await startAwsEndpoint(operations(stack), faults, { [SMS_INBOX_PATH]: () => ({ messages: stack().sms }) });
  const proxies = options.faultRate ? [await startFaultProxy(dynamoUrl, 'dynamodb', faults), await startFaultProxy(ses.url, 'rest-json', faults)] : [];
  Object.assign(process.env, {
    AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: proxies[0]?.url ?? dynamoUrl,
    AWS_ENDPOINT_URL_SESV2: proxies[1]?.url ?? ses.url,
    AWS_ENDPOINT_URL_SFN: endpoint.url,
    AWS_ENDPOINT_URL_EVENTBRIDGE: endpoint.url,
    AWS_ENDPOINT_URL_SQS: endpoint.url,
    AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2: endpoint.url,
  });
  const tableName = `collections-${randomUUID().slice(0, 8)}`;
  const setupClient = new DynamoDBClient({ endpoint: dynamoUrl });
  const streamArn = await createTable(setupClient, tableName);
  setupClient.destroy();
  const dynamoClient = new DynamoDBClient(fastRetry());
  countDynamoRequests(dynamoClient, () => stack().usage);
  const sender = senderFor(tableName);
  const once = (s: MessageSender) => sendOnce(s, dynamoClient, tableName);
  return {
    store: new DynamoAccountStore(documentClient(dynamoClient), tableName),
    senders: { email: once(sesEmailSender(newSesClient(fastRetry()), sender)), sms: once(endUserSmsSender(newSmsClient(fastRetry()), SMS_FROM)) },
    callbacks: stepFunctionsCallbacks(newSfnClient(fastRetry()), workflow.stateMachineArn),
    deadLetters: sqsDeadLetters(newSqsClient(fastRetry()), `${endpoint.url}/${LOCAL_ACCOUNT}/collections-dead-letters`),
    relay: new OutboxRelay(dynamoStreamSource(new DynamoDBStreamsClient({ ...fastRetry(), endpoint: process.env.AWS_ENDPOINT_URL_DYNAMODB }), streamArn),
      eventBridgePublisher(newEventBridgeClient(fastRetry()), 'collections')),
    emails: async () => (await ses.sent()).filter((e) => e.from === sender),
    emailsSent: async () => (await ses.sent()).filter((e) => e.from === sender).length,
    faults,
    tableName,
    addresses: { awsEndpoint: endpoint.url, ses: ses.url, dynamodb: dynamoUrl },
    release: () => {},
    close: async () => {
      await Promise.all([endpoint.close(), ses.close(), ...proxies.map((p) => p.close())]);
      await dynamo?.stop();
    },
  };
};

export class LocalStack {
  readonly scheduler: Scheduler;
  readonly engine: LocalEngine;
  readonly store: Ports['store'];
  readonly relay: OutboxRelay;
  readonly tableName: string;
  readonly eventsOut: OutboundEvent[] = [];
  readonly deadLetters: DeadLetter[] = [];
  readonly sms: SentSms[] = [];
  readonly logs: LogLine[] = [];
  /** Messages handed to the providers (the in-process ones and the local SMS endpoint; local SES counts its own). */
  readonly messagesSent = { email: 0, sms: 0 };
  readonly keepOutputs: boolean;
  readonly metrics: Record<string, number> = {};
  readonly usage: Usage = { invocations: {}, handlerMs: {}, dynamo: {}, dynamoByHandler: {}, dynamoUnits: { read: 0, write: 0 } };
  /** Handlers made to fail after their writes (a Lambda dying before it returns), by name. */
  readonly crashesInjected: Record<string, number> = {};
  readonly smsOptedOut: ReadonlySet<string>;
  readonly playbook: Playbook;
  /** The self-service links messages carry; the API verifies with the same key. */
  readonly links: CustomerLinks;
  /** Letters written in memory (when the run has no letters folder), by document key. */
  readonly letters: Map<string, { body: Uint8Array; contentType: string }> | null;
  private readonly intake: (key: string) => (event: SQSEvent) => Promise<SQSBatchResponse>;
  readonly onEventOut?: (event: OutboundEvent) => void;
  private readonly logSink: (line: LogLine) => void;
  private deliveries = 0;
  private ports!: Ports;

  private constructor(readonly workflow: SynthesizedWorkflow, options: LocalStackOptions, ports: (stack: LocalStack) => Ports) {
    this.scheduler = new Scheduler(options.start.getTime());
    this.onEventOut = options.onEventOut;
    this.keepOutputs = options.keepOutputs ?? true;
    const { onLog } = options;
    this.logSink = (line) => {
      if (this.keepOutputs) this.logs.push(line);
      onLog?.(line);
    };
    this.smsOptedOut = new Set(options.smsOptedOut ?? []);
    // Scenario and simulation runs sign with one fixed local key, so runs compare message for message
    // whatever their seed or fault rate; `npm run serve` passes a random one.
    const linkKey = options.linkKey ?? LOCAL_RUN_LINK_KEY;
    this.links = hmacCustomerLinks(options.apiUrl ?? DEFAULT_API_URL, async () => linkKey);
    const { links } = this;
    this.ports = ports(this);
    const { scheduler } = this;
    const { store, senders, callbacks, deadLetters } = this.ports;
    this.store = store;
    this.relay = this.ports.relay;
    this.tableName = this.ports.tableName;
    const playbook = { pack: options.pack, strategy: options.strategy ?? DEFAULT_STRATEGY };
    this.playbook = playbook;
    const metrics = countingMetrics(this.metrics);
    // Handlers are built per invocation, with the clock of the account they work for.
    const workflowDeps = (service: string, account: string): WorkflowDeps => {
      const clock = scheduler.clock(account);
      return { clock, accounts: store, playbook, log: this.logFor(service, clock), metrics };
    };
    const accountOf = (input: unknown) => String((input as { accountId?: unknown }).accountId);
    const kept = options.documentsDir ? null : memoryDocuments();
    const documents = kept ?? folderDocuments(options.documentsDir!);
    this.letters = kept?.documents ?? null;
    const handlers: Record<string, Handler> = {
      diagnose: (input) => makeDiagnose(workflowDeps('diagnose', accountOf(input)))(input),
      remind: (input) => makeRemind({ ...workflowDeps('remind', accountOf(input)), senders, links })(input),
      'offer-plan': (input) => makeOfferPlan({ ...workflowDeps('offer-plan', accountOf(input)), senders, links })(input),
      escalate: (input) => makeEscalate(workflowDeps('escalate', accountOf(input)))(input),
      letter: (input) => makeLetter({ ...workflowDeps('letter', accountOf(input)), documents, render: renderLetterPdf, links })(input),
      close: (input) => makeClose(workflowDeps('close', accountOf(input)))(input),
      'await-event': (input) => makeAwaitEvent({ ...workflowDeps('await-event', accountOf(input)), callbacks })(input),
    };
    this.engine = new LocalEngine({
      workflow, scheduler, keepHistory: options.keepHistory,
      handlers: Object.fromEntries(Object.entries(handlers).map(([name, h]) => [name, this.measured(name, h)])),
    });
    this.intake = (key: string) => {
      const clock = scheduler.clock(key);
      const intake = makeIntake({ clock, accounts: store, pack: playbook.pack, callbacks, deadLetters, log: this.logFor('intake', clock), metrics });
      return this.measured('intake', intake as Handler) as (event: SQSEvent) => Promise<SQSBatchResponse>;
    };
  }

  /**
   * Times and counts each invocation, and afterwards publishes what it put in the outbox before the
   * account's clock may move (so simulated customers hear of it at the right virtual time). With faults,
   * a share of invocations that wrote something then fail, as a Lambda that dies before returning would.
   */
  private measured(name: string, handler: Handler): Handler {
    return async (input) => {
      const started = performance.now();
      this.usage.invocations[name] = (this.usage.invocations[name] ?? 0) + 1;
      const invocation: Invocation = { name, wrote: false, wroteOutbox: false };
      try {
        const output = await currentInvocation.run(invocation, () => handler(input));
        if (invocation.wrote && this.ports.faults.next()) {
          this.crashesInjected[name] = (this.crashesInjected[name] ?? 0) + 1;
          throw new TransientError(`injected fault: ${name} failed after its write`);
        }
        return output;
      } finally {
        if (invocation.wroteOutbox) await this.relay.drain();
        this.usage.handlerMs[name] = (this.usage.handlerMs[name] ?? 0) + performance.now() - started;
      }
    };
  }

  /** The account (clock) an envelope belongs to: its detail's accountId, or the envelope id if it has none. */
  static keyOf(envelope: Record<string, unknown>): string {
    const accountId = (envelope.detail as { accountId?: unknown } | undefined)?.accountId;
    return typeof accountId === 'string' ? accountId : String(envelope.id ?? 'unknown');
  }

  static async start(options: LocalStackOptions): Promise<LocalStack> {
    const random = seededRandom(options.seed ?? 1);
    const faults = options.faultRate ? makeFaults(options.faultRate, random) : noFaults;
    const workflow = options.workflow ?? await loadWorkflow(options.pack);
    let stack: LocalStack | undefined;
    const current = () => stack!;
    const ports = options.store === 'memory' ? inProcessPorts(current, faults) : await awsLocalPorts(current, options, faults, workflow);
    stack = new LocalStack(workflow, options, () => ports);
    return stack;
  }

  /** Delivers an EventBridge envelope the way the inbound queue would: one SQS record to the intake. */
  deliver(envelope: Record<string, unknown>): Promise<SQSBatchResponse> {
    return this.deliverBatch([envelope]);
  }

  /**
   * Delivers envelopes as one SQS batch (up to 10) to the intake, which reports the records that failed.
   * A function error fails the whole batch: SQS then redelivers every message in it.
   */
  async deliverBatch(envelopes: readonly Record<string, unknown>[]): Promise<SQSBatchResponse & { messageIds: string[] }> {
    const records = envelopes.map((envelope) => {
      const messageId = `local-${++this.deliveries}`;
      return {
        messageId, receiptHandle: messageId, body: JSON.stringify(envelope), attributes: {} as never, messageAttributes: {},
        md5OfBody: '', eventSource: 'aws:sqs', eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:inbound', awsRegion: 'us-east-1',
      };
    });
    const messageIds = records.map((r) => r.messageId);
    const response = await this.intake(LocalStack.keyOf(envelopes[0] ?? {}))({ Records: records })
      .catch(() => ({ batchItemFailures: messageIds.map((itemIdentifier) => ({ itemIdentifier })) }));
    return { ...response, messageIds };
  }

  /**
   * The inbound queue (rule → SQS → intake): delivers at the account's time of arrival, redelivers a message
   * the intake failed on after the visibility timeout, and moves it to the dead-letter queue after the last
   * receive. `envelope` may be worked out at delivery (the scenario runner's `latest` plan).
   */
  enqueue(key: string, envelope: Record<string, unknown> | (() => Promise<Record<string, unknown> | null>), at = this.scheduler.arrivalTime(key), receive = 1): void {
    this.scheduler.schedule(at, key, () => {
      this.scheduler.enter(key);
      void (async () => {
        const body = typeof envelope === 'function' ? await envelope() : envelope;
        if (!body) return;
        const response = await this.deliver(body);
        if (response.batchItemFailures.length === 0) return;
        if (receive < INBOUND_REDELIVERY.maxReceives) this.enqueue(key, envelope, this.scheduler.timeOf(key) + INBOUND_REDELIVERY.afterMs, receive + 1);
        else this.acceptDeadLetter(JSON.stringify(body), `processing failed ${receive} times; moved to the dead-letter queue`);
      })().finally(() => this.scheduler.leave(key));
    });
  }

  /**
   * One PutEvents entry on the `collections` bus, as EventBridge takes it: the inbound rule's sources go to
   * the inbound queue, the workflow's own events out to their listeners; anything else matches no rule.
   */
  putEvent(entry: PutEventsEntry): { EventId: string } | { ErrorCode: string; ErrorMessage: string } {
    const bus = entry.EventBusName ?? 'default';
    if (bus !== BUS_NAME && !bus.endsWith(`:event-bus/${BUS_NAME}`)) {
      return { ErrorCode: 'ResourceNotFoundException', ErrorMessage: `Event bus ${bus} does not exist here: this endpoint serves the ${BUS_NAME} bus (set EventBusName).` };
    }
    for (const field of ['Source', 'DetailType', 'Detail'] as const) {
      if (typeof entry[field] !== 'string' || entry[field] === '') return { ErrorCode: 'InvalidArgument', ErrorMessage: `Parameter ${field} is not valid. Reason: ${field} is a required argument.` };
    }
    let detail: unknown;
    try {
      detail = JSON.parse(entry.Detail!);
    } catch { /* checked below */ }
    if (typeof detail !== 'object' || detail === null || Array.isArray(detail)) return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
    const id = randomUUID();
    const fields = detail as Record<string, unknown>;
    if ((INBOUND_SOURCES as readonly string[]).includes(entry.Source!)) {
      const envelope = { version: '0', id, 'detail-type': entry.DetailType, source: entry.Source, account: LOCAL_ACCOUNT, region: 'us-east-1', resources: entry.Resources ?? [], detail: fields };
      const key = LocalStack.keyOf(envelope);
      this.enqueue(key, { ...envelope, time: new Date(this.scheduler.arrivalTime(key)).toISOString().replace(/\.\d{3}Z$/, 'Z') });
    } else if (entry.Source === OUTBOX_SOURCE) {
      this.acceptEvents([{ detailType: entry.DetailType!, detail: fields }]);
    }
    return { EventId: id };
  }

  /** Events out reaching the bus: kept, and handed to whoever listens (the simulated customers). */
  acceptEvents(events: readonly PublishedEvent[]): void {
    for (const { detailType, detail } of events) {
      const event = { at: new Date(this.scheduler.timeOf(String(detail.accountId))).toISOString(), detailType, detail };
      if (this.keepOutputs) this.eventsOut.push(event);
      this.onEventOut?.(event);
    }
  }

  acceptDeadLetter(body: string, reason: string): void {
    let key = 'unknown';
    try {
      key = LocalStack.keyOf(JSON.parse(body) as Record<string, unknown>);
    } catch { /* a body that is not JSON belongs to no account */ }
    this.deadLetters.push({ at: new Date(this.scheduler.timeOf(key)).toISOString(), body, reason });
  }

  acceptSms(to: string, text: string, accountId: string): void {
    this.messagesSent.sms += 1;
    if (this.keepOutputs) this.sms.push({ at: new Date(this.scheduler.timeOf(accountId)).toISOString(), to, text });
  }

  /**
   * A simulation has read a finished account and needs nothing more of its record: in process memory, its
   * record items, call tasks and send records go (its state and create-once claims stay, so a late event is
   * refused or recognised exactly as before). Only a run that will not read the record again calls this.
   */
  release(accountId: string): void {
    this.ports.release(accountId);
  }

  /** A handler's log on this stack: its lines kept (while the stack keeps outputs) and passed to `onLog`. */
  logFor(service: string, clock: Clock): Log {
    return recordingLog(service, clock, this.logSink);
  }

  /** What this stack sent by email (local SES's inbox, or the in-process sender's while it keeps outputs). */
  emails(): Promise<SentEmail[]> {
    return this.ports.emails();
  }

  /** How many emails the provider took: local SES's count, or the in-process sender's. */
  emailsSent(): Promise<number> {
    return this.ports.emailsSent();
  }

  get addresses(): LocalAddresses | undefined {
    return this.ports.addresses;
  }

  get faultsInjected(): number {
    return this.ports.faults.injected;
  }

  async stop(): Promise<void> {
    await this.engine.abortAll();
    await this.ports.close();
  }
}

/** What the local AWS endpoint answers, bound to a stack once it exists. */
const operations = (stack: () => LocalStack) => ({
  'AWSStepFunctions.StartExecution': (request: Record<string, unknown>) => {
    const name = String(request.name);
    const input = JSON.parse(String(request.input ?? '{}')) as Record<string, unknown>;
    if (!stack().engine.start(name, input)) throw new AwsError('ExecutionAlreadyExists', `Execution Already Exists: '${name}'`);
    return { executionArn: stack().engine.executionArn(name), startDate: stack().scheduler.timeOf(String(input.accountId)) / 1000 };
  },
  'AWSStepFunctions.SendTaskSuccess': (request: Record<string, unknown>) => {
    stack().engine.resume(String(request.taskToken));
    return {};
  },
  'AWSEvents.PutEvents': (request: Record<string, unknown>) => {
    const entries = (request.Entries ?? []) as PutEventsEntry[];
    if (entries.length < 1 || entries.length > 10) throw new AwsError('ValidationException', `1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length between 1 and 10 (got ${entries.length})`);
    const results = entries.map((entry) => stack().putEvent(entry));
    return { FailedEntryCount: results.filter((r) => 'ErrorCode' in r).length, Entries: results };
  },
  'AmazonSQS.SendMessage': (request: Record<string, unknown>) => {
    const attributes = request.MessageAttributes as Record<string, { StringValue?: string }> | undefined;
    stack().acceptDeadLetter(String(request.MessageBody), attributes?.reason?.StringValue ?? '');
    return { MessageId: randomUUID(), MD5OfMessageBody: createHash('md5').update(String(request.MessageBody)).digest('hex') };
  },
  'PinpointSMSVoiceV2.SendTextMessage': (request: Record<string, unknown>) => {
    if (stack().smsOptedOut.has(String(request.DestinationPhoneNumber))) {
      throw new AwsError('ConflictException', 'Conflict Occurred: DESTINATION_PHONE_NUMBER_OPTED_OUT');
    }
    stack().acceptSms(String(request.DestinationPhoneNumber), String(request.MessageBody), String((request.Context as { accountId?: string } | undefined)?.accountId));
    return { MessageId: randomUUID() };
  },
});
