// The scenario timeline of docs/contract.md §4: the account's record in time order, in the contract's shape.
import { assertNever } from './assert-never';
import { TIMELINE_KINDS, type RecordEntry } from './record';

export type TimelineEntry = Record<string, unknown> & { at: string; kind: string };

/** What a collector reads besides the §4 kinds: how each call went, and what the bank changed. */
export const DESK_KINDS: ReadonlySet<RecordEntry['kind']> = new Set([
  ...TIMELINE_KINDS,
  'call-outcome',
  'account-updated',
]);

export const toTimeline = (
  record: readonly RecordEntry[],
  kinds: ReadonlySet<RecordEntry['kind']> = TIMELINE_KINDS,
): TimelineEntry[] =>
  record
    .filter((entry) => kinds.has(entry.kind))
    .map((entry) => {
      switch (entry.kind) {
        case 'contact': {
          const { contactId: _id, ...rest } = entry;
          return rest;
        }
        case 'plan-offered':
          return {
            ...entry,
            terms: entry.terms.map(({ instalments, monthlyAmount }) => ({ instalments, monthlyAmount })),
          };
        // In the contract's shape as recorded: a new kind is placed here, or shaped above, on purpose.
        case 'started':
        case 'due-soon':
        case 'courtesy-ended':
        case 'contact-blocked':
        case 'contact-failed':
        case 'payment':
        case 'account-updated':
        case 'plan-accepted':
        case 'plan-broken':
        case 'ptp-made':
        case 'ptp-kept':
        case 'ptp-broken':
        case 'escalated':
        case 'dispute-opened':
        case 'dispute-resolved':
        case 'opt-out':
        case 'flag-inherited':
        case 'cease':
        case 'call-outcome':
        case 'reason':
        case 'inbound-call':
        case 'settlement-offered':
        case 'settlement-accepted':
        case 'settlement-lapsed':
        case 'debit-requested':
        case 'payment-failed':
        case 'written-off':
        case 'bucket':
        case 'call-task':
        case 're-aged':
        case 're-age-refused':
        case 'letter':
        case 'letter-dropped':
        case 'placed':
        case 'recalled':
        case 'closed':
        case 'erased':
        case 'ledger':
        case 'payment-reversed':
        case 'payment-allocated':
        case 'ptp-reopened':
          return entry;
        default:
          return assertNever(entry, 'record entry');
      }
    });
