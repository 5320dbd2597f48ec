// What a portfolio simulation is asked for (`npm start`'s options) and what it answers: the run's accounts, KPIs,
// usage, checks and progress.
import type { PolicyPack } from '../../../functions/domain/policy-packs';
import type { Strategy } from '../../../functions/domain/strategy';
import type { LocalStack, StoreKind } from '../../twin/local-stack';
import type { ProviderActions } from '../../twin/service-iam';
import type { SynthesizedWorkflow } from '../../twin/synthesized-workflow';
import type { Violation } from '../scenario/violation';
import type { AccountRow } from './account-row';
import type { Consistency } from './consistency';
import type { KpiTally } from './kpi-tally';
import type { RunUsage, TeamFigures } from './run-figures';
import type { SimulatedAccount } from './simulated-account';
import type { PeopleTally } from '../scenario/person-check';

export interface SimulationOptions {
  accounts: number;
  days: number;
  pack: PolicyPack;
  /** Share of people with more than one card (people.ts; default 0.25, 0: every account its own person). */
  multiCardShare?: number;
  seed: number;
  strategy?: Strategy;
  start?: Date;
  dynamoEndpoint?: string;
  workflow?: SynthesizedWorkflow;
  /** The IAM actions of a provider the twin does not know: a channel a test adds at run time (service-iam.ts). */
  providerActions?: ProviderActions;
  /** Share of calls to every local endpoint that fail transiently, plus handlers failing after their writes (0–1). */
  faultRate?: number;
  /** Share of the customers' payments their bank reverses 2–10 days later (docs/contract.md §3.21); default 0. */
  reversalRate?: number;
  /**
   * Trace into this folder as the run goes (simulation-trace.ts): execution inputs and histories, logs and events out.
   */
  trace?: string;
  /** Keep every account's final state and full record in the result (`accounts`), for tests that read them. */
  keepRecords?: boolean;
  /** Called with each account's row as it finishes: its cycle closed, or the run ended with it open. */
  onAccount?: (row: AccountRow) => void;
  /** In-process adapters (`memory`, the default) or DynamoDB Local through the real SDK clients. */
  store?: StoreKind;
  /** Worker threads to shard the accounts across (default 1: this thread). */
  workers?: number;
  /**
   * A team of this many collectors works the call queue in its shift (default: no limit, every task dialled within the
   * hour).
   */
  agents?: number;
  /**
   * Folder documents are written under (letters as `letters/<accountId>/<letterId>.pdf`); default: kept in memory and
   * dropped.
   */
  documentsDir?: string;
  /**
   * Called with the stack when the run has ended, before it stops (one thread only; once per batch): reads what the run
   * left.
   */
  inspect?: (stack: LocalStack) => Promise<void>;
  /** Called as virtual time advances: how far the run is, cycles closed so far. */
  onProgress?: (progress: Progress) => void;
  /**
   * Accounts a worker runs at once (default 5,000): a larger shard runs in successive batches, each on a
   * fresh local stack, so memory follows the batch and not the portfolio. Accounts never interact, so
   * outcomes do not depend on it. A limited team (`agents`) works one queue: its accounts run as one batch.
   */
  batchSize?: number;
}

/**
 * How far a run is: account-days simulated of all it will simulate, cycles closed, and where the batch
 * furthest behind is (its number, and the day every account in it has reached).
 */
export interface Progress {
  accountDays: number;
  totalAccountDays: number;
  closed: number;
  accounts: number;
  batch: number;
  batches: number;
  day: number;
  days: number;
}

export const DEFAULT_BATCH_SIZE = 5_000;

export interface SimulationRun {
  options: Required<Pick<SimulationOptions, 'accounts' | 'days' | 'seed'>> & {
    policy: string;
    strategy: string;
    start: string;
    until: string;
    store: StoreKind;
    currency: string;
  };
  /** The limited team, when there was one: its size, its dials, and its hours on shift and on calls. */
  collectors?: TeamFigures;
  /** What the accounts add up to: the KPIs are its ratios (computeKpis). */
  tally: KpiTally;
  /** What the people add up to (docs/contract.md §11.1): peopleKpis. */
  people?: PeopleTally;
  /** Every account's final state and record, in portfolio order — only with `keepRecords` (empty otherwise). */
  accounts: SimulatedAccount[];
  violations: Violation[];
  usage: RunUsage;

  consistency: Consistency;
  seconds: number;
}
