// The collection state of one account in one delinquency cycle: what every decision reads.
import type { Channel } from './channels';
import type { Bucket } from './days-past-due';
import type { Locale } from './money';
import type { LocalDate } from './zoned-time';

export type CloseReason = 'cured' | 'paid-in-full' | 'plan-completed' | 'charged-off' | 'bankrupt' | 'deceased';

export interface Flags { bankrupt: boolean; deceased: boolean; hardship: boolean }

export interface PromiseToPay {
  promiseId: string;
  amount: number;
  dueDate: LocalDate;
  madeAt: string;
  /** Payments received since the promise was made, in minor units. */
  paidSince: number;
}

export interface PlanTerm {
  instalments: number;
  monthlyAmount: number;
  /** Penalty interest frozen while the plan runs. */
  interestFrozen: boolean;
  /** Late fees waived on completion, minor units. */
  feeWaived: number;
}

export interface PlanOffer { planId: string; offeredAt: string; balance: number; terms: PlanTerm[] }

export interface Instalment { dueDate: LocalDate; amount: number; paid: number }

export interface ActivePlan {
  planId: string;
  acceptedAt: string;
  total: number;
  interestFrozen: boolean;
  feeWaived: number;
  instalments: Instalment[];
  /** Due date of the instalment last reminded about, so each gets one reminder. */
  remindedFor: LocalDate | null;
}

/** What the account's history says, kept as counters so a decision needs one read. */
export interface AccountHistory {
  payments: number;
  promisesMade: number;
  promisesKept: number;
  promisesBroken: number;
  plansOffered: number;
  plansAccepted: number;
  plansBroken: number;
  contacts: number;
  rightPartyContacts: number;
  lastRightPartyAt: string | null;
  /** Contacts still inside the widest frequency window (7 days), oldest first. */
  recentContacts: { at: string; channel: Channel }[];
  lastContactAt: string | null;
  /** Last time a reminder was due, whether it was sent or blocked: the cadence runs from it. */
  lastReminderAt: string | null;
}

export interface AccountState {
  accountId: string;
  cycleId: string;
  status: 'open' | 'closed';
  closeReason: CloseReason | null;
  closedAt: string | null;
  openedAt: string;
  currency: string;
  /** Whole outstanding balance, minor units. */
  balance: number;
  /** Overdue amount still to pay to cure, minor units. */
  amountDue: number;
  /** Overdue amount when the cycle opened (plus later increases from the bank). */
  overdue: number;
  /** Payments applied in this cycle, minor units. */
  collected: number;
  dueDate: LocalDate;
  aprBps: number | null;
  lateFee: number | null;
  /** Not PII: needed by every decision, so kept beside the state rather than in PROFILE. */
  locale: Locale;
  timezone: string;
  /** Channels the customer has a contact point for (no addresses here: those live in PROFILE). */
  reachable: Channel[];
  flags: Flags;
  optOuts: Channel[];
  ceased: boolean;
  openDisputes: string[];
  resolvedDisputes: string[];
  escalationLevel: number;
  /** Bucket at the last diagnosis: what the status/bucket report index shows. */
  bucket: Bucket;
  promise: PromiseToPay | null;
  plan: ActivePlan | null;
  lastOffer: PlanOffer | null;
  history: AccountHistory;
  /** Task token of the AwaitEvent step the execution is parked in, if any. */
  taskToken: string | null;
  /** Bumped by every write; writes are conditional on the version they read. */
  version: number;
}

export const emptyHistory = (): AccountHistory => ({
  payments: 0, promisesMade: 0, promisesKept: 0, promisesBroken: 0, plansOffered: 0, plansAccepted: 0,
  plansBroken: 0, contacts: 0, rightPartyContacts: 0, lastRightPartyAt: null, recentContacts: [],
  lastContactAt: null, lastReminderAt: null,
});
