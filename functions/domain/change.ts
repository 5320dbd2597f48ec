// What every domain decision returns: the account's new state and the record entries that explain it.
import type { AccountState } from './account';
import type { RecordEntry } from './record';

export interface Change {
  state: AccountState;
  entries: RecordEntry[];
}
