// The local composition root: the synthesized workflow on the virtual clock and the deployed handlers, with
// their ports bound either to real SDK clients against local services on free loopback ports (DynamoDB Local,
// local SES, the AWS JSON endpoint, optional fault proxies: `dynamodb-local`, aws-local-ports.ts) or to
// in-process adapters behind the same ports (`memory`, in-process-ports.ts). Its rooms: usage.ts (metering),
// outputs.ts (what was sent and left), handler-table.ts, inbound-path.ts, endpoint-operations.ts. Whoever drives the
// stack reaches each room through that room's own interface (Inbound, RunOutputs, Inboxes, Meter), not through it.
import { createHash } from 'node:crypto';
import { hmacCustomerLinks } from '../../functions/adapters/hmac-customer-links';
import { folderDocuments, memoryDocuments } from '../../functions/adapters/in-process/local-documents';
import type { MessageChannel } from '../../functions/domain/channels';
import type { Playbook } from '../../functions/domain/next-step';
import type { PolicyPack } from '../../functions/domain/policy-packs';
import { DEFAULT_STRATEGY, type Strategy } from '../../functions/domain/strategy';
import type { CustomerLinks } from '../../functions/ports';
import { awsLocalPorts } from './aws-local-ports';
import { interleaving, type Interleaving, type InterleavingOptions } from './interleaving';
import { LocalEngine, type HistoryEvent } from './engine';
import type { ExecutionRecord } from './execution-limits';
import { faults as makeFaults, noFaults } from './faults';
import { handlerTable } from './handler-table';
import { inProcessPorts } from './in-process-ports';
import { InboundPath, type Inbound } from './inbound-path';
import type { Inboxes, LocalAddresses, Ports, StackParts } from './local-ports';
import { keyOf, StackOutputs, type OutboundEvent, type RunOutputs } from './outputs';
import type { OutboxRelay } from './outbox-relay';
import { seededRandom } from './random';
import type { LogLine } from './recorders';
import { Scheduler } from './scheduler';
import { loadWorkflow, type SynthesizedWorkflow } from './synthesized-workflow';
import { documentsWithGrants, secretWithGrants, withServiceGrants, type ProviderActions } from './service-iam';
import { emptyUsage, type Usage } from './usage';

import type { StoreKind } from './store-kind';

export { STORE_KINDS, type StoreKind } from './store-kind';

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
  /** Keep execution histories on their records (for --trace). */
  keepHistory?: boolean;
  /** Called with each event of an execution's history as it happens: a trace that keeps histories off the records. */
  onExecutionHistory?: (record: ExecutionRecord, event: HistoryEvent) => void;
  /** Called once an execution has ended: a trace written as the run goes. */
  onExecutionEnded?: (record: ExecutionRecord) => void;
  /** Reuse an already synthesized workflow (it depends only on the pack). */
  workflow?: SynthesizedWorkflow;
  /** Called for every event out, at its virtual time: how simulated customers hear from us. */
  onEventOut?: (event: OutboundEvent) => void;
  /** Called for every structured log line a handler writes. */
  onLog?: (line: LogLine) => void;
  /**
   * Keep what the run sent and logged for reading back: `outputs` and `inboxes` (default true: tests and scenarios
   * read them). A long simulation sets false, listens (onLog, onEventOut) and reads the counts
   * (`inboxes.messagesSent()`) instead, so memory does not grow with the run.
   */
  keepOutputs?: boolean;
  /** Contact points a channel's provider refuses as opted out with it, e.g. texts at the carrier (permanent). */
  optedOutAtProvider?: Partial<Record<MessageChannel, readonly string[]>>;
  /** The IAM actions of a provider PORT_ACTIONS does not know: a channel a test adds at run time (service-iam.ts). */
  providerActions?: ProviderActions;
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

/** How hard a run pushed the stack, and what it used: the cost estimate, the benchmark and the fault tests read it. */
export interface Meter {
  readonly usage: Usage;
  /** Handlers made to fail after their writes (a Lambda dying before it returns), by name. */
  readonly crashesInjected: Record<string, number>;
  /** Invocations Lambda throttled before they ran, by function (injected with faults). */
  readonly throttlesInjected: Record<string, number>;
  /** Transient faults injected at the ports. */
  readonly faultsInjected: number;
}

/**
 * A local stack, as its parts: whoever drives it (the tools, the live stack, the tests) uses the part it needs through
 * that part's own interface.
 */
export class LocalStack {
  private constructor(
    readonly workflow: SynthesizedWorkflow,
    /** Each account's virtual clock, and the run's. */
    readonly scheduler: Scheduler,
    /** The state machine's executions. */
    readonly engine: LocalEngine,
    /** The table: accounts, the call queue, the report's reader. */
    readonly store: Ports['store'],
    /** People's partitions: their accounts, person-wide facts and contact ledger (docs/contract.md §11.1). */
    readonly persons: Ports['persons'],
    /** Events in: the bus's rule, the inbound queue and its redelivery, the intake. */
    readonly inbound: Inbound,
    /** Events out, dead letters, logs and metrics. */
    readonly outputs: RunOutputs,
    /** What the message providers took. */
    readonly inboxes: Inboxes,
    readonly meter: Meter,
    readonly playbook: Playbook,
    /** The self-service links messages carry; the API verifies with the same key. */
    readonly links: CustomerLinks,
    /** Letters written in memory (when the run has no letters folder), by document key. */
    readonly letters: Map<string, { body: Uint8Array; contentType: string }> | null,
    /** Events delivered between an execution's states (the fuzzer's interleaving), when the run asked for it. */
    readonly interleaving: Interleaving | undefined,
    private readonly ports: Ports,
  ) {}

  /** The outbox pipe (the table's stream to the bus): what it read, published and was refused. */
  get relay(): Pick<OutboxRelay, 'stats'> {
    return this.ports.relay;
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
      optedOutAtProvider: options.optedOutAtProvider,
    });
    const usage = emptyUsage();
    // The engine and the inbound path need the ports' handlers; the ports reach them only once they exist.
    const late: { engine?: LocalEngine; inbound?: InboundPath } = {};
    const parts: StackParts = {
      outputs,
      usage,
      iam: workflow.iam,
      engine: () => late.engine!,
      inbound: () => late.inbound!,
    };
    const ports =
      options.store === 'memory'
        ? inProcessPorts(parts, faults)
        : await awsLocalPorts(parts, options, faults, workflow);
    // Scenario and simulation runs sign with one fixed local key, so runs compare message for message
    // whatever their seed or fault rate; `npm run serve` passes a random one.
    const linkKey = options.linkKey ?? LOCAL_RUN_LINK_KEY;
    const links = hmacCustomerLinks(
      options.apiUrl ?? DEFAULT_API_URL,
      secretWithGrants(workflow.iam, async () => linkKey),
    );
    const playbook = { pack: options.pack, strategy: options.strategy ?? DEFAULT_STRATEGY };
    const kept = options.documentsDir ? null : memoryDocuments();
    const meter = {
      usage,
      crashesInjected: {},
      throttlesInjected: {},
      get faultsInjected() {
        return ports.faults.injected;
      },
    };
    // Each function's calls held to its role as the template grants it (service-iam.ts; the table's: table-iam.ts).
    const table = handlerTable({
      ports: withServiceGrants(workflow.iam, ports, options.providerActions),
      scheduler,
      outputs,
      usage,
      playbook,
      links,
      documents: documentsWithGrants(workflow.iam, kept ?? folderDocuments(options.documentsDir!)),
      crashesInjected: meter.crashesInjected,
      throttlesInjected: meter.throttlesInjected,
    });
    const interleaved = options.interleave
      ? interleaving(scheduler, { ...options.interleave, seed: options.seed ?? 1 })
      : undefined;
    const engine = (late.engine = new LocalEngine({
      workflow,
      scheduler,
      keepHistory: options.keepHistory,
      onHistory: options.onExecutionHistory,
      onEnded: options.onExecutionEnded,
      handlers: table.workflow,
      load: usage.load,
      betweenStates: interleaved?.betweenStates,
    }));
    const inbound = (late.inbound = new InboundPath(scheduler, table.intake, outputs, workflow.iam));
    const inboxes: Inboxes = {
      emails: () => ports.emails(),
      messages: outputs.messages,
      messagesSent: () => ports.messagesSent(),
    };
    const letters = kept?.documents ?? null;
    return new LocalStack(
      workflow,
      scheduler,
      engine,
      ports.store,
      ports.persons,
      inbound,
      outputs,
      inboxes,
      meter,
      playbook,
      links,
      letters,
      interleaved,
      ports,
    );
  }

  /** Where the local services listen (the DynamoDB path only): what `npm run serve` hands out. */
  get addresses(): LocalAddresses | undefined {
    return this.ports.addresses;
  }

  /**
   * A simulation has read a finished account and needs nothing more of its record: in process memory, its
   * record items, call tasks and send records go (its state and create-once claims stay, so a late event is
   * refused or recognised exactly as before). Only a run that will not read the record again calls this.
   */
  release(accountId: string): void {
    this.ports.release(accountId);
  }

  async stop(): Promise<void> {
    await this.engine.abortAll();
    await this.ports.close();
  }
}
