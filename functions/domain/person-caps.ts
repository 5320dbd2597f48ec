// The person's contact caps (docs/contract.md §3.4, §11.1): calls and messages across all the person's accounts in
// the customer's local day, beside the per-debt rules; the stricter wins. The person's ledger is counted by the store
// (a conditional write takes a place before a contact goes); what the account itself can tell is decided here.
import { recentContactsOf } from './recent-contacts';
import type { AccountState, PendingContact } from './account';
import type { Change } from './change';
import type { Channel } from './channels';
import { contactKindOf, personIdOf, type ContactKind } from './person';
import type { PolicyPack } from './policy-packs';
import { addDays, instantAt, localDate, localParts } from './zoned-time';

export const personCapOf = (pack: Pick<PolicyPack, 'personCaps'>, kind: ContactKind): number =>
  kind === 'calls' ? pack.personCaps.callsPerDay : pack.personCaps.messagesPerDay;

/** The rule a person's cap blocks by, under the pack's id: `us-regf/person-messages-per-day`. */
export const personCapRule = (kind: ContactKind): string => `person-${kind}-per-day`;

/** The next day's first allowed moment in the customer's zone: when a cap of today no longer holds. */
const nextDayWindow = (state: AccountState, pack: PolicyPack, now: Date): Date =>
  instantAt(addDays(localDate(now, state.timezone), 1), pack.contactHours.fromHour, 0, state.timezone);

/**
 * The contact policy's check of the person's cap as the account sees it: a hold another account's last place put on
 * it, or the account's own contacts of that kind today already at the cap (the account alone is a person too).
 */
export const personCapCheck = (
  state: AccountState,
  channel: Channel,
  pack: PolicyPack,
  now: Date,
): { rule: string; retryAt: Date } | null => {
  const kind = contactKindOf(channel);
  const until = state.personHold?.[kind];
  if (until && now.getTime() < Date.parse(until)) return { rule: personCapRule(kind), retryAt: new Date(until) };
  const today = localParts(now, state.timezone).date;
  // The recent contacts' local dates, read once per state (recent-contacts.ts).
  const own = recentContactsOf(state).filter((k) => contactKindOf(k.channel) === kind && k.date === today).length;
  return own >= personCapOf(pack, kind)
    ? { rule: personCapRule(kind), retryAt: nextDayWindow(state, pack, now) }
    : null;
};

/**
 * The place a contact takes on its person's ledger: the customer's local day and kind, under an id unique across the
 * person's accounts (contact ids count per cycle).
 */
export const contactSlot = (
  state: AccountState,
  pending: Pick<PendingContact, 'contactId' | 'channel'>,
  now: Date,
) => ({
  customerId: personIdOf(state),
  date: localDate(now, state.timezone),
  kind: contactKindOf(pending.channel),
  contactId: `${state.accountId}:${pending.contactId}`,
});

/**
 * The person's cap for the day was reached by their other accounts: the contact does not go, and is recorded as
 * blocked by the person's rule; this kind of contact is held on the account until the next day's window opens. The
 * cadence does not move on: the reminder is still owed, and goes on the next day (or by another kind meanwhile).
 */
export const personCapReached = (state: AccountState, pending: PendingContact, pack: PolicyPack, now: Date): Change => {
  const kind = contactKindOf(pending.channel);
  return {
    state: {
      ...state,
      pendingContact: null,
      personHold: { ...state.personHold, [kind]: nextDayWindow(state, pack, now).toISOString() },
    },
    entries: [
      {
        kind: 'contact-blocked',
        at: now.toISOString(),
        channel: pending.channel,
        rule: `${pack.id}/${personCapRule(kind)}`,
      },
    ],
  };
};
