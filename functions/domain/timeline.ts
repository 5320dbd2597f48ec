// The scenario timeline of CONTRACT §4: the account's record in time order, in the contract's shape.
import { TIMELINE_KINDS, type RecordEntry } from './record';

export type TimelineEntry = Record<string, unknown> & { at: string; kind: string };

export const toTimeline = (record: readonly RecordEntry[]): TimelineEntry[] =>
  record.filter((entry) => TIMELINE_KINDS.has(entry.kind)).map((entry) => {
    switch (entry.kind) {
      case 'contact': {
        const { contactId: _id, ...rest } = entry;
        return rest;
      }
      case 'plan-offered':
        return { ...entry, terms: entry.terms.map(({ instalments, monthlyAmount }) => ({ instalments, monthlyAmount })) };
      default:
        return entry;
    }
  });
