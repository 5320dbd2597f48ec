// The collection state of one account in one delinquency cycle: what every decision reads.
import { HARDSHIP_REASONS, type DelinquencyReason } from './inbound-events';
import type { Channel } from './channels';
import type { Bucket } from './days-past-due';
import type { LedgerEntry } from './ledger-entry';
import type { Locale } from './money';
import type { LocalDate } from './zoned-time';

/**
 * Why a cycle closed. `settled`: a settlement's lump sum was paid in time and the rest of the balance written off
 * (docs/contract.md §3.16). `statement-paid` and `statement-due`: a courtesy (pre-due) state ends, the statement paid
 * or its due date passed; never a collection cycle's reason.
 */
export const CLOSE_REASONS = [
  'cured',
  'paid-in-full',
  'plan-completed',
  'charged-off',
  'bankrupt',
  'deceased',
  'settled',
  'statement-paid',
  'statement-due',
] as const;
export type CloseReason = (typeof CLOSE_REASONS)[number];

export const LETTER_TEMPLATES = ['final-notice', 'plan-confirmation', 'settlement-confirmation'] as const;
export type LetterTemplate = (typeof LETTER_TEMPLATES)[number];
/**
 * A letter the workflow owes the customer: set by the change that calls for it, cleared when it is written
 * (letters.ts).
 */
export interface LetterDue {
  template: LetterTemplate;
  requestedAt: string;
  planId?: string;
  settlementId?: string;
}

export interface Flags {
  bankrupt: boolean;
  deceased: boolean;
  hardship: boolean;
}

export interface PromiseToPay {
  promiseId: string;
  amount: number;
  dueDate: LocalDate;
  madeAt: string;
  /** Payments received since the promise was made, in minor units. */
  paidSince: number;
  /** The payments counted in `paidSince` (absent on promises made before reversals): a reversal takes its own back. */
  paidBy?: string[];
}

/** A promise settled as broken, kept so that a payment posted in time but delivered late can still keep it. */
export interface SettledPromise extends PromiseToPay {
  deadline: string;
}

export interface PlanTerm {
  instalments: number;
  monthlyAmount: number;
  /** Penalty interest frozen while the plan runs. */
  interestFrozen: boolean;
  /** Late fees waived on completion, minor units. */
  feeWaived: number;
}

/** A plan offered; `acceptedAt` once the customer took it (it stays the last offer, but is on offer no more). */
export interface PlanOffer {
  planId: string;
  offeredAt: string;
  balance: number;
  terms: PlanTerm[];
  acceptedAt?: string;
}

/**
 * A message decided and recorded before it is sent: the send uses `contactId` as its idempotency key,
 * and a retry finds this and finishes it instead of deciding a second message.
 */
export interface PendingContact {
  contactId: string;
  at: string;
  channel: Channel;
  template: string;
  locale: Locale;
  rule: string;
  subject: string;
  text: string;
  /** Sends tried so far; after the last one the attempt is recorded as failed. */
  attempts: number;
  offer: PlanOffer | null;
  /** A settlement this message offers (made when it is sent, or its call task queued). */
  settlement?: Settlement;
  /** Instalment reminders: the due date reminded about. */
  remindedFor: LocalDate | null;
  /** The state version the step that decided this message was decided on. */
  decidedOn?: number;
}

/**
 * A call the workflow decided on: a task in the collectors' queue until a collector dials it (then it is a
 * contact) or its window ends (then it is recorded as not made). docs/contract.md §3.12.
 */
export interface CallTask {
  taskId: string;
  /** The contact id the dial is recorded under. */
  contactId: string;
  createdAt: string;
  /** The end of the contact window it was created in: nobody may dial it after this. */
  expiresAt: string;
  template: string;
  rule: string;
  locale: Locale;
  /** What the collector must say: the §3.2 facts in the customer's locale. */
  script: string;
  /** A plan offered on the call when the collector reaches the customer. */
  offer: PlanOffer | null;
  /** The state version the step that created it was decided on. */
  decidedOn?: number;
}

export interface Instalment {
  dueDate: LocalDate;
  amount: number;
  paid: number;
  /** The local date the instalment was paid in full (absent on plans written before re-aging). */
  paidOn?: LocalDate | null;
}

/**
 * An instalment debit asked of the bank (docs/contract.md §3.17): `<planId>-I<n>`, and once after a failure
 * `<planId>-I<n>-R1`. The bank answers PaymentPosted or PaymentFailed under its id.
 */
export interface Debit {
  paymentId: string;
  /** The instalment's number, from 1. */
  instalment: number;
  amount: number;
  requestedAt: string;
  retry: boolean;
  status: 'requested' | 'posted' | 'failed';
  failedAt?: string;
}

export interface ActivePlan {
  planId: string;
  acceptedAt: string;
  total: number;
  interestFrozen: boolean;
  feeWaived: number;
  instalments: Instalment[];
  /** Due date of the instalment last reminded about, so each gets one reminder. */
  remindedFor: LocalDate | null;
  /** The day this plan earned the account a re-age (re-age.ts). */
  reAgedOn?: LocalDate | null;
  /** This plan earned a re-age the pack's limits refused; recorded once. */
  reAgeRefused?: boolean;
  /** The bank debits each instalment on its due date (absent: the customer pays them). */
  autopay?: boolean;
  /** Debits asked of the bank, oldest first. */
  debits?: Debit[];
}

/**
 * A lump sum offered in settlement of the balance (docs/contract.md §3.16): accepted, payments since the offer reaching
 * `amount` by `validUntil` settle the account; otherwise it lapses and collection resumes.
 */
export interface Settlement {
  settlementId: string;
  amount: number;
  offeredAt: string;
  /** The last local day a payment counts toward it. */
  validUntil: LocalDate;
  acceptedAt: string | null;
  /** Payments posted since the offer, minor units. */
  paidSince: number;
  /** The payments counted in `paidSince` (absent on older states): a reversal takes its own back. */
  paidBy?: string[];
}

export interface RecentPayment {
  paymentId?: string;
  postedAt: string;
  /** Minor units. */
  amount: number;
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
  /** Messages the provider finally refused: they are not contacts, but they use up a contact id. */
  failedSends: number;
  lastFailedAt: string | null;
  rightPartyContacts: number;
  lastRightPartyAt: string | null;
  /** Contacts still inside the widest frequency window (7 days), oldest first. */
  recentContacts: { at: string; channel: Channel }[];
  lastContactAt: string | null;
  /** Last time a reminder was due, whether it was sent or blocked: the cadence runs from it. */
  lastReminderAt: string | null;
  /**
   * The channel last tried, whether it reached the customer, failed or (a call task) expired undialled: the
   * rotation goes on from it, so a channel that does not get through does not starve the others.
   * Absent in states stored before it was kept: then the last contact's channel stands in.
   */
  lastTriedChannel?: Channel;
  /** Settlements offered in this cycle (one is offered by the workflow at most; absent on older states). */
  settlementsOffered?: number;
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
  /**
   * Every change to `balance` and `amountDue` in this cycle, oldest first (ledger.ts posts them): the two are always
   * its fold. Absent on states stored before the ledger.
   */
  ledger?: LedgerEntry[];
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
  /** ISO 3166-2 subdivision (`US-MA`) selecting the pack's regional overlay, if the bank sent one. */
  region?: string | null;
  /**
   * The bank's customer number (docs/contract.md §11.1): accounts that share it are one person. Absent: the account is
   * a person of its own (person.ts).
   */
  customerId?: string;
  /**
   * Until when the person's cap for the day holds a kind of contact back on this account (person-caps.ts): another
   * account of theirs took the day's last slot.
   */
  personHold?: { calls?: string; messages?: string } | null;
  /** Channels the customer has a contact point for (no addresses here: those live in PROFILE). */
  reachable: Channel[];
  flags: Flags;
  optOuts: Channel[];
  ceased: boolean;
  openDisputes: string[];
  resolvedDisputes: string[];
  /** The latest reason the customer gave for being late (docs/contract.md §3.15); absent before any. */
  reason?: { reasonId: string; reason: DelinquencyReason; at: string } | null;
  escalationLevel: number;
  /** Bucket at the last diagnosis: what the status/bucket report index shows. */
  bucket: Bucket;
  promise: PromiseToPay | null;
  lastPromise: SettledPromise | null;
  /** The promises kept in this cycle, with the payments that kept them: a reversal judges its own again (§3.21). */
  keptPromises?: SettledPromise[];
  plan: ActivePlan | null;
  lastOffer: PlanOffer | null;
  /** The settlement on offer or accepted, until it is paid or lapses (absent on older states). */
  settlement?: Settlement | null;
  /**
   * Payments posted within the last day (settlement.ts): an offer dated before a payment it learns of only afterwards
   * (a collector's, recorded before the intake applies it; a message sent after the payment came in) still counts it.
   */
  recentPayments?: RecentPayment[];
  history: AccountHistory;
  /** A message recorded as pending and not yet confirmed sent or failed. */
  pendingContact: PendingContact | null;
  /**
   * Set on the short-lived state of a pre-due courtesy reminder (`AccountDueSoon`): no collection cycle, one
   * message at most, ended by a payment, the due date or the account's delinquency (courtesy.ts).
   */
  courtesy?: { statementId: string } | null;
  /** Letters owed to the customer, oldest first (letters.ts): the workflow writes them one at a time. */
  lettersDue?: LetterDue[];
  /** Days the account was re-aged, in this cycle or earlier ones, within the last five years (oldest first). */
  reAges?: LocalDate[];
  /** With an agency since the `agency` escalation: we send nothing until it is recalled (docs/contract.md §3.14). */
  placement?: { agency: string; placedAt: string } | null;
  /** The call task waiting in the collectors' queue, if any (absent on states written before the call queue). */
  callTask?: CallTask | null;
  /** Task token of the AwaitEvent step the execution is parked in, if any; cleared when used. */
  taskToken: string | null;
  /** When that wait times out on its own: a token past this is spent and never sent. */
  tokenExpiresAt: string | null;
  /**
   * The state version a workflow action was decided on, once that action has been recorded: a retry of
   * the same step (its function died after the write) sees it and answers as the first attempt did.
   */
  actedOn?: number;
  /** Bumped by every write; writes are conditional on the version they read. */
  version: number;
}

export const emptyHistory = (): AccountHistory => ({
  payments: 0,
  promisesMade: 0,
  promisesKept: 0,
  promisesBroken: 0,
  plansOffered: 0,
  plansAccepted: 0,
  plansBroken: 0,
  contacts: 0,
  failedSends: 0,
  lastFailedAt: null,
  rightPartyContacts: 0,
  lastRightPartyAt: null,
  recentContacts: [],
  lastContactAt: null,
  lastReminderAt: null,
});

/**
 * The plan a customer may take now: the last one offered, unless a plan runs or the offer was taken already
 * (a plan broken later is not on offer again; its acceptance is on record, so taking it twice would do nothing).
 */
export const openOffer = (state: AccountState): PlanOffer | null =>
  state.lastOffer && !state.lastOffer.acceptedAt && !state.plan ? state.lastOffer : null;

/**
 * A hardship case (docs/contract.md §3.15): the bank flagged it, or the customer's latest reason is one of hardship. It
 * earns fee waivers in plan terms, a plan offered within a day of the reason, and a hold on escalation.
 */
export const isHardship = (state: AccountState): boolean =>
  state.flags.hardship || (state.reason ? HARDSHIP_REASONS.has(state.reason.reason) : false);

/** The latest reason is hardship and no plan has been offered since it was given: one is owed within a day. */
export const hardshipOfferOwed = (state: AccountState): boolean =>
  !!state.reason &&
  HARDSHIP_REASONS.has(state.reason.reason) &&
  !state.plan &&
  (!state.lastOffer || Date.parse(state.lastOffer.offeredAt) < Date.parse(state.reason.at));
