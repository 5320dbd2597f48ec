// What a manager's report counts (docs/contract.md §8), as per-day counters derived from the record entries of one
// change. Stores add them to the day's aggregate items in the same transaction as the change (the outbox
// rule), so a retried or refused write can never make a figure drift from the record. Days are UTC dates
// of each entry's own time (a payment counts on the day it was posted). Pure.
import type { AccountState } from './account';
import { assertNever } from './assert-never';
import type { RecordEntry } from './record';

/** date (YYYY-MM-DD, UTC) → counter → amount to add. */
export type DailyFigures = Record<string, Record<string, number>>;

/** The counters one entry adds to its day; the names are the report's vocabulary. */
const countersOf = (entry: RecordEntry, currency: string): [string, number][] => {
  switch (entry.kind) {
    case 'started':
      return [['started', 1]];
    case 'payment':
      return [
        ['payments', 1],
        [`collected:${currency}`, entry.amount],
      ];
    // A payment taken back was not collected after all (docs/contract.md §3.21).
    case 'payment-reversed':
      return [
        ['payments-reversed', 1],
        [`collected:${currency}`, -entry.amount],
      ];
    case 'contact':
      return [[`contacts:${entry.channel}`, 1]];
    case 'contact-failed':
      return [[`contacts-failed:${entry.channel}`, 1]];
    case 'contact-blocked':
      return [[`blocked:${entry.rule}`, 1]];
    case 'ptp-made':
      return [['promises-made', 1]];
    case 'ptp-kept':
      return [['promises-kept', 1], ...(entry.late ? [['promises-broken', -1] as [string, number]] : [])];
    case 'ptp-broken':
      return [['promises-broken', 1]];
    case 'ptp-reopened':
      return [['promises-kept', -1]];
    case 'plan-offered':
      return [['plans-offered', 1]];
    case 'plan-accepted':
      return [['plans-accepted', 1], ...(entry.autopay ? [['plans-autopay', 1] as [string, number]] : [])];
    case 'plan-broken':
      return [['plans-broken', 1]];
    case 'escalated':
      return [[`escalated:${entry.to}`, 1]];
    case 'placed':
      return [['placed', 1]];
    case 'recalled':
      return [['recalled', 1]];
    case 're-aged':
      return [['re-aged', 1]];
    case 'letter':
      return [[`letters:${entry.template}`, 1]];
    case 'reason':
      return [[`reasons:${entry.reason}`, 1]];
    case 'settlement-offered':
      return [['settlements-offered', 1]];
    case 'settlement-accepted':
      return [['settlements-accepted', 1]];
    case 'settlement-lapsed':
      return [['settlements-lapsed', 1]];
    case 'written-off':
      return [[`written-off:${currency}`, entry.amount]];
    case 'debit-requested':
      return [['debits-requested', 1]];
    case 'payment-failed':
      return [['payments-failed', 1]];
    case 'closed':
      return [[`closed:${entry.reason}`, 1]];
    case 'bucket':
      return [[`entered:${entry.to}`, 1]];
    case 'call-outcome': {
      const agent = entry.agentId ?? 'unknown';
      return [
        [`dials:${agent}`, 1],
        ...(entry.outcome === 'right-party' ? [[`right-party:${agent}`, 1] as [string, number]] : []),
      ];
    }
    // Counted by no report figure.
    case 'due-soon':
    case 'courtesy-ended':
    case 'account-updated':
    case 'dispute-opened':
    case 'dispute-resolved':
    case 'opt-out':
    case 'flag-inherited':
    case 'cease':
    case 'inbound-call':
    case 'call-task':
    case 're-age-refused':
    case 'letter-dropped':
    case 'erased':
    case 'ledger':
    // Each part is counted as its own account's payment.
    case 'payment-allocated':
      return [];
    default:
      return assertNever(entry, 'record entry');
  }
};

/** The figures a change's entries add, by day; nothing for a change without countable entries. */
export const figuresOf = (entries: readonly RecordEntry[], state: Pick<AccountState, 'currency'>): DailyFigures => {
  const figures: DailyFigures = {};
  for (const entry of entries) {
    for (const [counter, amount] of countersOf(entry, state.currency)) {
      const day = (figures[entry.at.slice(0, 10)] ??= {});
      day[counter] = (day[counter] ?? 0) + amount;
    }
  }
  return figures;
};

/** Adds figures together (the report's month to date, the shards of one day). */
export const addFigures = (
  into: Record<string, number>,
  more: Readonly<Record<string, number>>,
): Record<string, number> => {
  for (const [counter, amount] of Object.entries(more)) into[counter] = (into[counter] ?? 0) + amount;
  return into;
};
