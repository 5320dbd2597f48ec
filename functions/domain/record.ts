// What happened to an account: the audit record's entries, and the events they announce.
import type { CloseReason, PlanTerm } from './account';
import { assertNever } from './assert-never';
import type { Channel } from './channels';
import type { AgentRole } from './inbound-events';
import type { LedgerEntry } from './ledger-entry';
import type { Locale } from './money';

export type RecordEntry =
  | { kind: 'started'; at: string; amountDue: number; balance: number }
  /** A courtesy state opened for a statement coming due (no collection cycle, no event out). */
  | { kind: 'due-soon'; at: string; statementId: string; minimumDue: number; dueDate: string }
  /** The courtesy state ended: paid, due date passed, or superseded. No event out. */
  | { kind: 'courtesy-ended'; at: string; reason: CloseReason }
  | {
      kind: 'contact';
      at: string;
      contactId: string;
      channel: Channel;
      template: string;
      locale: Locale;
      rule: string;
      text: string;
      /** A call on the person's task that covered several of their accounts: each of them (docs/contract.md §11.7). */
      accountIds?: string[];
    }
  | { kind: 'contact-blocked'; at: string; channel: Channel; rule: string }
  /** A message the provider finally refused, or that could not be sent: not a contact. */
  | {
      kind: 'contact-failed';
      at: string;
      contactId: string;
      channel: Channel;
      template: string;
      rule: string;
      reason: string;
    }
  /** `at` is when the payment was posted (never later than its arrival); `receivedAt` when it arrived. */
  | { kind: 'payment'; at: string; paymentId: string; amount: number; receivedAt: string }
  | { kind: 'account-updated'; at: string; fields: string[] }
  /** A change to the balance or the amount due (docs/contract.md §3.19): the entry the state's ledger gained. */
  | { kind: 'ledger'; at: string; entry: LedgerEntry }
  /** The bank took a payment back (docs/contract.md §3.21): `amount` is owed again. Event PaymentReversalApplied. */
  | {
      kind: 'payment-reversed';
      at: string;
      paymentId: string;
      amount: number;
      reason: 'returned' | 'chargeback' | 'error';
    }
  | { kind: 'plan-offered'; at: string; planId: string; terms: PlanTerm[]; agentId?: string }
  | {
      kind: 'plan-accepted';
      at: string;
      planId: string;
      instalments: number;
      monthlyAmount: number;
      autopay?: boolean;
      agentId?: string;
    }
  | { kind: 'plan-broken'; at: string; planId: string; daysLate: number }
  | { kind: 'ptp-made'; at: string; promiseId: string; amount: number; dueDate: string; agentId?: string }
  /** `late`: kept by a payment posted in time but delivered after the promise was settled as broken. */
  | { kind: 'ptp-kept'; at: string; promiseId: string; late?: boolean }
  | { kind: 'ptp-broken'; at: string; promiseId: string; paid: number }
  /** A promise kept no more: a payment that kept it was reversed (audit only; it is kept or broken again). */
  | { kind: 'ptp-reopened'; at: string; promiseId: string; paymentId: string }
  | { kind: 'escalated'; at: string; level: number; to: string; rule: string }
  | { kind: 'dispute-opened'; at: string; disputeId: string; agentId?: string }
  | { kind: 'dispute-resolved'; at: string; disputeId: string; outcome: 'upheld' | 'rejected' }
  | { kind: 'opt-out'; at: string; channel: Channel }
  | { kind: 'cease'; at: string }
  | { kind: 'call-outcome'; at: string; callId: string; outcome: string; agentId?: string; dialledAt?: string }
  /** Why the customer is late, as they or a collector recorded it (the note stays on its create-once record). */
  | { kind: 'reason'; at: string; reasonId: string; reason: string; agentId?: string }
  /** The customer called in and `agentId` took the call: a conversation, not an attempt of ours. */
  | { kind: 'inbound-call'; at: string; callId: string; agentId: string; numberSource?: 'telephony' | 'typed' }
  /** A settlement offered (docs/contract.md §3.16): event SettlementOffered. */
  | {
      kind: 'settlement-offered';
      at: string;
      settlementId: string;
      amount: number;
      currency: string;
      validUntil: string;
      agentId?: string;
    }
  /** `agentId` and `agentRole`: the collector who agreed it on the phone, and as what (docs/contract.md §3.16). */
  | {
      kind: 'settlement-accepted';
      at: string;
      settlementId: string;
      amount: number;
      agentId?: string;
      agentRole?: AgentRole;
    }
  /** Not paid by its last day: collection resumes. */
  | { kind: 'settlement-lapsed'; at: string; settlementId: string; paid: number }
  /** An instalment debit asked of the bank (docs/contract.md §3.17): event InstalmentDebitRequested. */
  | {
      kind: 'debit-requested';
      at: string;
      planId: string;
      instalment: number;
      paymentId: string;
      amount: number;
      currency: string;
      dueDate: string;
    }
  /** The bank could not take a payment (a debit of ours, or another). */
  | { kind: 'payment-failed'; at: string; paymentId: string; amount: number; reason: string }
  /** The balance left after a settlement was paid, written off (event BalanceWrittenOff). */
  | { kind: 'written-off'; at: string; amount: number; currency: string; reason: 'settlement' }
  /** Days past due crossed into another bucket (audit only): what the report's roll rates count. */
  | { kind: 'bucket'; at: string; from: string; to: string }
  /**
   * A call put in the collectors' queue: not a contact until it is dialled. A person's task (docs/contract.md §11.1)
   * lists `accountIds`, the account that made it first, as it stands after this entry; an account that joined the task
   * records the task's own cycle as `taskCycleId`.
   */
  | {
      kind: 'call-task';
      at: string;
      taskId: string;
      contactId: string;
      expiresAt: string;
      accountIds?: string[];
      taskCycleId?: string;
    }
  /** Brought current after a workout: days past due now count from `dueDate`. */
  | { kind: 're-aged'; at: string; rule: string; previousDueDate: string; dueDate: string; dpdBefore: number }
  /** The plan earned a re-age but the pack's limits refused it (audit only). */
  | { kind: 're-age-refused'; at: string; rule: string; reason: string }
  /** A letter written to the document store for the print vendor (event LetterRequested). */
  | { kind: 'letter'; at: string; letterId: string; template: string; documentKey: string }
  /** A letter that will not go: the cycle closed, or a cease the pack does not let letters pass (audit only). */
  | { kind: 'letter-dropped'; at: string; template: string; rule: string }
  /** Placed with the pack's agency at the `agency` level: our own contact stops. */
  | { kind: 'placed'; at: string; agency: string }
  /** The agency handed the account back: our contact resumes under the policy. */
  | { kind: 'recalled'; at: string; agency: string }
  | { kind: 'closed'; at: string; reason: CloseReason }
  /**
   * A payment to the person split across their accounts (docs/contract.md §11.1), on each part's account beside that
   * part's payment; the first part's account announces it (event PaymentAllocated).
   */
  | {
      kind: 'payment-allocated';
      at: string;
      paymentId: string;
      customerId: string;
      parts: { accountId: string; amount: number }[];
    }
  /** Right to erasure: personal data removed from the listed items; the record of what happened stays. */
  | { kind: 'erased'; at: string; items: string[] };

export type RecordKind = RecordEntry['kind'];

/** Kinds that docs/contract.md §4 lists for a scenario timeline; the others stay in the audit only. */
export const TIMELINE_KINDS: ReadonlySet<RecordKind> = new Set<RecordKind>([
  'contact',
  'contact-blocked',
  'contact-failed',
  'payment',
  'payment-reversed',
  'plan-offered',
  'plan-accepted',
  'plan-broken',
  'ptp-made',
  'ptp-kept',
  'ptp-broken',
  'escalated',
  'dispute-opened',
  'dispute-resolved',
  'opt-out',
  'cease',
  'closed',
  'placed',
  'recalled',
  're-aged',
  'due-soon',
  'inbound-call',
  'reason',
  'courtesy-ended',
  'letter',
  'settlement-offered',
  'settlement-accepted',
  'settlement-lapsed',
  'debit-requested',
  'payment-failed',
  'payment-allocated',
]);

export interface EventOut {
  detailType: string;
  detail: Record<string, unknown>;
}

/** Events out (docs/contract.md §2) announced by a record entry: ids and figures only, never PII. */
export const eventOutFor = (entry: RecordEntry, ids: { accountId: string; cycleId: string }): EventOut | null => {
  const at = entry.at;
  switch (entry.kind) {
    case 'started':
      return { detailType: 'CollectionStarted', detail: { ...ids, at } };
    case 'contact':
      return {
        detailType: 'ContactAttempted',
        detail: {
          ...ids,
          at,
          contactId: entry.contactId,
          channel: entry.channel,
          template: entry.template,
          rule: entry.rule,
        },
      };
    case 'plan-offered':
      return { detailType: 'PlanOffered', detail: { ...ids, at, planId: entry.planId, options: entry.terms } };
    case 'ptp-kept':
      return { detailType: 'PromiseKept', detail: { ...ids, at, promiseId: entry.promiseId } };
    case 'ptp-broken':
      return { detailType: 'PromiseBroken', detail: { ...ids, at, promiseId: entry.promiseId } };
    case 'escalated':
      return { detailType: 'AccountEscalated', detail: { ...ids, at, level: entry.level, to: entry.to } };
    case 're-aged':
      return {
        detailType: 'AccountReAged',
        detail: { ...ids, at, dueDate: entry.dueDate, dpdBefore: entry.dpdBefore },
      };
    case 'letter':
      return {
        detailType: 'LetterRequested',
        detail: { ...ids, at, letterId: entry.letterId, template: entry.template, documentKey: entry.documentKey },
      };
    case 'placed':
      return { detailType: 'AccountPlaced', detail: { ...ids, at, agency: entry.agency } };
    case 'recalled':
      return { detailType: 'PlacementRecalled', detail: { ...ids, at, agency: entry.agency } };
    case 'closed':
      return { detailType: 'CycleClosed', detail: { ...ids, at, reason: entry.reason } };
    case 'settlement-offered':
      return {
        detailType: 'SettlementOffered',
        detail: {
          ...ids,
          at,
          settlementId: entry.settlementId,
          amount: entry.amount,
          currency: entry.currency,
          validUntil: entry.validUntil,
        },
      };
    case 'debit-requested':
      return {
        detailType: 'InstalmentDebitRequested',
        detail: {
          ...ids,
          at,
          planId: entry.planId,
          instalment: entry.instalment,
          paymentId: entry.paymentId,
          amount: entry.amount,
          currency: entry.currency,
          dueDate: entry.dueDate,
        },
      };
    case 'written-off':
      return {
        detailType: 'BalanceWrittenOff',
        detail: { ...ids, at, amount: entry.amount, currency: entry.currency, reason: entry.reason },
      };
    case 'payment-reversed':
      return {
        detailType: 'PaymentReversalApplied',
        detail: { ...ids, at, paymentId: entry.paymentId, amount: entry.amount },
      };
    case 'payment-allocated':
      // One event for the split, from the account of its first part (every part's account records the split).
      return entry.parts[0]?.accountId === ids.accountId
        ? {
            detailType: 'PaymentAllocated',
            detail: { at, paymentId: entry.paymentId, customerId: entry.customerId, parts: entry.parts },
          }
        : null;
    case 'call-task':
      // The task as it stands: `accountId` (and its cycle) the account that made it, for v3 clients; `accountIds`
      // every account it lists. An account joining a person's task announces it again, listing one more.
      return {
        detailType: 'CallTaskCreated',
        detail: {
          ...ids,
          ...(entry.accountIds ? { accountId: entry.accountIds[0], accountIds: entry.accountIds } : {}),
          ...(entry.taskCycleId ? { cycleId: entry.taskCycleId } : {}),
          at,
          taskId: entry.taskId,
          expiresAt: entry.expiresAt,
        },
      };
    // Audit only: these change the account or say why, and announce nothing (docs/contract.md §2).
    case 'due-soon':
    case 'courtesy-ended':
    case 'contact-blocked':
    case 'contact-failed':
    case 'payment':
    case 'account-updated':
    case 'plan-accepted':
    case 'plan-broken':
    case 'ptp-made':
    case 'dispute-opened':
    case 'dispute-resolved':
    case 'opt-out':
    case 'cease':
    case 'call-outcome':
    case 'reason':
    case 'inbound-call':
    case 'settlement-accepted':
    case 'settlement-lapsed':
    case 'payment-failed':
    case 'bucket':
    case 're-age-refused':
    case 'letter-dropped':
    case 'erased':
    case 'ledger':
    case 'ptp-reopened':
      return null;
    case 'payment-reversed':
      return {
        detailType: 'PaymentReversalApplied',
        detail: { ...ids, at, paymentId: entry.paymentId, amount: entry.amount },
      };
    default:
      return assertNever(entry, 'record entry');
  }
};
