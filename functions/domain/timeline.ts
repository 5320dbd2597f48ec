// The scenario timeline of docs/contract.md §4: the account's record in time order, in the contract's shape.
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
        default:
          return entry;
      }
    });
