// An account's recent contacts as the contact policy reads them: each instant parsed and its local date read once per
// state, not once per check (a step asks the policy a few hundred times, the daily cap each time for every contact).
import type { AccountState } from './account';
import type { Channel } from './channels';
import { localDate, type LocalDate } from './zoned-time';

export interface RecentContact {
  at: number;
  channel: Channel;
  /** The local date of the contact in the account's zone. */
  date: LocalDate;
}

type Contacts = AccountState['history']['recentContacts'];

/**
 * Read lists, by the list itself: a transition builds a new list rather than change one (transitions.ts), so an entry
 * lives as long as its state and no longer. The zone and length are kept beside it and checked all the same.
 */
const read = new WeakMap<Contacts, { timezone: string; length: number; contacts: readonly RecentContact[] }>();

export const recentContactsOf = (state: AccountState): readonly RecentContact[] => {
  const list = state.history.recentContacts;
  const known = read.get(list);
  if (known && known.timezone === state.timezone && known.length === list.length) return known.contacts;
  const contacts = list.map((k) => ({
    at: Date.parse(k.at),
    channel: k.channel,
    date: localDate(new Date(k.at), state.timezone),
  }));
  read.set(list, { timezone: state.timezone, length: list.length, contacts });
  return contacts;
};
