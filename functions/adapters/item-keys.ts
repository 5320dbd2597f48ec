// The sort keys of the account's items, shared by every AccountStore implementation.
import type { RecordEntry } from '../domain/record';

export const STATE = 'STATE';
export const PROFILE = 'PROFILE';

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** Contact entries become CONTACT# items; every other entry is an EVENT# audit item. */
export const entryKey = (entry: RecordEntry, version: number, index: number): string =>
  entry.kind === 'contact'
    ? `CONTACT#${entry.at}#${entry.contactId}`
    : `EVENT#${entry.at}#${pad(version, 6)}#${pad(index, 2)}`;

/** Fields a store adds to an entry item that are not part of the entry. */
export const ITEM_ONLY: ReadonlySet<string> = new Set(['pk', 'sk', 'cycleId', 'eventType', 'eventDetail']);
