// The contact step's side of the person's caps (docs/contract.md §11.1): before a contact of an account that belongs
// to a person with a customer number goes, it takes its place on the person's ledger (a conditional write the cap
// conditions, so two accounts racing for the last place cannot both have it); a message that then does not go gives
// its place back. An account alone is its own person: the contact policy counts its contacts on its state.
import type { AccountState, PendingContact } from '../domain/account';
import { contactSlot, personCapOf } from '../domain/person-caps';
import type { PolicyPack } from '../domain/policy-packs';
import type { PersonStore } from '../ports';

export interface LedgerDeps {
  persons: PersonStore;
  playbook: { pack: PolicyPack };
}

/**
 * The contact's place for its day, as the pending contact was decided; true when it has one (or needs none).
 * `placeId`: a place the person's accounts share (a call task racing to be made, person-call-task.ts) instead of the
 * contact's own.
 */
export const takePlace = async (
  deps: LedgerDeps,
  state: AccountState,
  pending: PendingContact,
  placeId?: string,
): Promise<boolean> => {
  if (!state.customerId) return true;
  const own = contactSlot(state, pending, new Date(pending.at));
  const slot = placeId ? { ...own, contactId: placeId } : own;
  return (await deps.persons.reserveContact(slot, personCapOf(deps.playbook.pack, slot.kind))) === 'reserved';
};

/** Gives back the place of a contact that will not go (dropped, failed); nothing to give where none was taken. */
export const givePlaceBack = async (deps: LedgerDeps, state: AccountState, pending: PendingContact): Promise<void> => {
  if (state.customerId) await deps.persons.releaseContact(contactSlot(state, pending, new Date(pending.at)));
};
