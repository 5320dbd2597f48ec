// The local composition root: the synthesized workflow on the virtual clock and the deployed handlers, with
// their ports bound either to real SDK clients against local services on free loopback ports (DynamoDB Local,
// local SES, the AWS JSON endpoint, optional fault proxies: `dynamodb-local`, aws-local-ports.ts) or to
// in-process adapters behind the same ports (`memory`, in-process-ports.ts). Its rooms: usage.ts (metering),
// outputs.ts (what was sent and left), handler-table.ts, inbound-path.ts, endpoint-operations.ts.
import { createHash } from 'node:crypto';
import type { SQSBatchResponse } from 'aws-lambda';
import { hmacCustomerLinks } from '../../functions/adapters/hmac-customer-links';
import { folderDocuments, memoryDocuments } from '../../functions/adapters/in-process/local-documents';
import type { Playbook } from '../../functions/domain/next-step';
import type { PolicyPack } from '../../functions/domain/policy-packs';
import { DEFAULT_STRATEGY, type Strategy } from '../../functions/domain/strategy';
import type { Clock, CustomerLinks, Log, PublishedEvent } from '../../functions/ports';
import { awsLocalPorts } from './aws-local-ports';
import { interleaving, type Interleaving, type InterleavingOptions } from './interleaving';
import { LocalEngine } from './engine';
import { faults as makeFaults, noFaults } from './faults';
import { handlerTable } from './handler-table';
import { inProcessPorts } from './in-process-ports';
import { InboundPath, type PutEventsEntry } from './inbound-path';
import type { LocalAddresses, Ports, StackParts } from './local-ports';
import type { SentEmail } from './local-ses';
import type { OutboxRelay } from './outbox-relay';
import { keyOf, StackOutputs, type OutboundEvent } from './outputs';
import { seededRandom } from './random';
import type { LogLine } from './recorders';
import { Scheduler } from './scheduler';
import { loadWorkflow, type SynthesizedWorkflow } from './synthesized-workflow';
import { documentsWithGrants, secretWithGrants, withServiceGrants } from './service-iam';
import { emptyUsage, type Usage } from './usage';

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
  /**
   * Folder documents are written under (letters as `letters/<accountId>/<letterId>.pdf`); default: kept in memory
   * (`stack.letters`).
   */
  documentsDir?: string;
  /** Deliver inbound events between the states of an execution, chosen by `seed` (the fuzzer's interleaving). */
  interleave?: Omit<InterleavingOptions, 'seed'>;
}

const LOCAL_RUN_LINK_KEY = createHash('sha256').update('collections local run link key').digest();

/** `npm run serve`'s default address, so links in scenario and simulation messages have a home. */
export const DEFAULT_API_PORT = 8787;
export const DEFAULT_API_URL = `http://127.0.0.1:${DEFAULT_API_PORT}`;

export class LocalStack {
  readonly scheduler: Scheduler;
  readonly engine: LocalEngine;
  readonly store: Ports['store'];
  readonly persons: Ports['persons'];
  readonly relay: OutboxRelay;
  readonly tableName: string;
  readonly outputs: StackOutputs;
  readonly usage: Usage = emptyUsage();
  /** Handlers made to fail after their writes (a Lambda dying before it returns), by name. */
  readonly crashesInjected: Record<string, number> = {};
  /** Invocations Lambda throttled before they ran, by function (injected with faults). */
  readonly throttlesInjected: Record<string, number> = {};
  readonly playbook: Playbook;
  /** The self-service links messages carry; the API verifies with the same key. */
  readonly links: CustomerLinks;
  /** Letters written in memory (when the run has no letters folder), by document key. */
  readonly letters: Map<string, { body: Uint8Array; contentType: string }> | null;
  private readonly inbound: InboundPath;
  /** Events delivered between an execution's states (the fuzzer's interleaving), when the run asked for it. */
  readonly interleaving: Interleaving | undefined;

  private constructor(
    readonly workflow: SynthesizedWorkflow,
    options: LocalStackOptions,
    scheduler: Scheduler,
    outputs: StackOutputs,
    usage: Usage,
    private readonly ports: Ports,
    late: { engine?: LocalEngine; inbound?: InboundPath },
  ) {
    this.scheduler = scheduler;
    this.outputs = outputs;
    this.usage = usage;
    // Scenario and simulation runs sign with one fixed local key, so runs compare message for message
    // whatever their seed or fault rate; `npm run serve` passes a random one.
    const linkKey = options.linkKey ?? LOCAL_RUN_LINK_KEY;
    this.links = hmacCustomerLinks(
      options.apiUrl ?? DEFAULT_API_URL,
      secretWithGrants(workflow.serviceGrants, async () => linkKey),
    );
    this.store = ports.store;
    this.persons = ports.persons;
    this.relay = ports.relay;
    this.tableName = ports.tableName;
    this.playbook = { pack: options.pack, strategy: options.strategy ?? DEFAULT_STRATEGY };
    const kept = options.documentsDir ? null : memoryDocuments();
    this.letters = kept?.documents ?? null;
    // Each function's calls held to its role as the template grants it (service-iam.ts; the table's: table-iam.ts).
    const table = handlerTable({
      ports: withServiceGrants(workflow.serviceGrants, ports),
      scheduler,
      outputs,
      usage,
      playbook: this.playbook,
      links: this.links,
      documents: documentsWithGrants(workflow.serviceGrants, kept ?? folderDocuments(options.documentsDir!)),
      crashesInjected: this.crashesInjected,
      throttlesInjected: this.throttlesInjected,
    });
    this.interleaving = options.interleave
      ? interleaving(scheduler, { ...options.interleave, seed: options.seed ?? 1 })
      : undefined;
    this.engine = late.engine = new LocalEngine({
      workflow,
      scheduler,
      keepHistory: options.keepHistory,
      handlers: table.workflow,
      load: usage.load,
      betweenStates: this.interleaving?.betweenStates,
    });
    this.inbound = late.inbound = new InboundPath(scheduler, table.intake, outputs);
  }

  /** The account (clock) an envelope belongs to: its detail's accountId, or the envelope id if it has none. */
  static keyOf(envelope: Record<string, unknown>): string {
    return keyOf(envelope);
  }

  static async start(options: LocalStackOptions): Promise<LocalStack> {
    const faults = options.faultRate ? makeFaults(options.faultRate, seededRandom(options.seed ?? 1)) : noFaults;
    const workflow = options.workflow ?? (await loadWorkflow(options.pack));
    const scheduler = new Scheduler(options.start.getTime());
    const outputs = new StackOutputs({
      keepOutputs: options.keepOutputs ?? true,
      timeOf: (accountId) => scheduler.timeOf(accountId),
      onEventOut: options.onEventOut,
      onLog: options.onLog,
      smsOptedOut: options.smsOptedOut,
    });
    const usage = emptyUsage();
    // The engine and the inbound path need the ports' handlers; the ports reach them only once they exist.
    const late: { engine?: LocalEngine; inbound?: InboundPath } = {};
    const parts: StackParts = { outputs, usage, engine: () => late.engine!, inbound: () => late.inbound! };
    const ports =
      options.store === 'memory'
        ? inProcessPorts(parts, faults)
        : await awsLocalPorts(parts, options, faults, workflow);
    return new LocalStack(workflow, options, scheduler, outputs, usage, ports, late);
  }

  /** Delivers an EventBridge envelope the way the inbound queue would: one SQS record to the intake. */
  deliver(envelope: Record<string, unknown>): Promise<SQSBatchResponse> {
    return this.inbound.deliver(envelope);
  }

  /** Delivers envelopes as one SQS batch (up to 10) to the intake, which reports the records that failed. */
  deliverBatch(envelopes: readonly Record<string, unknown>[]): Promise<SQSBatchResponse & { messageIds: string[] }> {
    return this.inbound.deliverBatch(envelopes);
  }

  /** The inbound queue (inbound-path.ts): delivery at the account's time of arrival, redelivery, dead letters. */
  enqueue(
    key: string,
    envelope: Record<string, unknown> | (() => Promise<Record<string, unknown> | null>),
    at?: number,
  ): void {
    this.inbound.enqueue(key, envelope, at);
  }

  /** One PutEvents entry on the `collections` bus, as EventBridge takes it. */
  putEvent(entry: PutEventsEntry): { EventId: string } | { ErrorCode: string; ErrorMessage: string } {
    return this.inbound.putEvent(entry);
  }

  acceptEvents(events: readonly PublishedEvent[]): void {
    this.outputs.acceptEvents(events);
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
    return this.outputs.logFor(service, clock);
  }

  /** What this stack sent by email (local SES's inbox, or the in-process sender's while it keeps outputs). */
  emails(): Promise<SentEmail[]> {
    return this.ports.emails();
  }

  /** How many emails the provider took: local SES's count, or the in-process sender's. */
  emailsSent(): Promise<number> {
    return this.ports.emailsSent();
  }

  get eventsOut() {
    return this.outputs.eventsOut;
  }
  get deadLetters() {
    return this.outputs.deadLetters;
  }
  get sms() {
    return this.outputs.sms;
  }
  get logs() {
    return this.outputs.logs;
  }
  get messagesSent() {
    return this.outputs.messagesSent;
  }
  get metrics() {
    return this.outputs.metrics;
  }
  get keepOutputs() {
    return this.outputs.keepOutputs;
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
