// What applying an inbound event to an account comes to: applied (the new state, its record entries and contact
// points), a duplicate, or rejected with the reason.
import type { AccountState } from './account';
import type { RecordEntry } from './record';

/** The contact points of a customer: the only PII, stored apart from the state. */
export interface Profile {
  name: string;
  email: string | null;
  phone: string | null;
}

export type Outcome =
  /** `profile`: the contact points to write; on an update, only those it names. */
  | { kind: 'applied'; state: AccountState; entries: RecordEntry[]; profile?: Partial<Profile>; opensCycle?: boolean }
  | { kind: 'duplicate'; reason: string }
  | { kind: 'rejected'; reason: string };

export const applied = (
  state: AccountState,
  entries: RecordEntry[],
  extra: Partial<Extract<Outcome, { kind: 'applied' }>> = {},
): Outcome => ({ kind: 'applied', state, entries, ...extra });
