// The sums a run's KPIs are ratios of: a leaf, so the run's types and the KPI code can both name it.
import type { Channel } from '../../../functions/domain/channels';

/** What the accounts of a run add up to, before any ratio is taken. Shards and accounts add with `addUp`. */
export interface KpiTally {
  accounts: number;
  outcomes: Record<string, number>;
  outcomesByProfile: Record<string, Record<string, number>>;
  reachedBucket: Record<string, number>;
  collected: number;
  overdue: number;
  balanceAtDelinquency: number;
  contactsByChannel: Record<Channel, number>;
  contactsByLocalHour: number[];
  contactsBlocked: number;
  escalationsByLevel: Record<string, number>;
  /** Collected on each day of the run (not cumulative), day 0 first. */
  paidByDay: number[];
  promisesMade: number;
  promisesKept: number;
  promisesBroken: number;
  plansOffered: number;
  accountsOffered: number;
  plansAccepted: number;
  plansBroken: number;
  letters: number;
  reasons: Record<string, number>;
  settlementsOffered: number;
  settlementsAccepted: number;
  settlementsLapsed: number;
  writtenOff: number;
  autopayPlans: number;
  debitsRequested: number;
  debitsFailed: number;
  calls: {
    tasks: number;
    dialled: number;
    expired: number;
    outsideQueue: number;
    outcomes: number;
    rightParty: number;
    waits: number;
    waitMinutes: number;
  };
}

/** The run an account's tally is taken in: its first and last instants and its length in days. */
export interface RunFrame {
  start: Date;
  until: Date;
  days: number;
}
