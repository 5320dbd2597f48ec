// The person behind the accounts (docs/contract.md §11.1): accounts that share `customer.customerId` are one person,
// and an account without one is a person of its own. What holds for the person (a cease, an opt-out, bankruptcy or
// death) holds for every account of theirs, those that become delinquent later included.
import type { AccountState } from './account';
import { CHANNEL_REGISTRY, CHANNELS, type Channel } from './channels';
import type { RecordEntry } from './record';

/** What the person's partition keeps besides the contact ledger: their accounts and the facts that reach them all. */
export interface Person {
  customerId: string;
  /** Every account the intake has seen with this customer number, sorted. */
  accountIds: string[];
  ceased: boolean;
  optOuts: Channel[];
  bankrupt: boolean;
  deceased: boolean;
}

/** A fact the intake keeps on the person, so it also holds for an account of theirs that opens later. */
export type PersonFact = { kind: 'cease' } | { kind: 'opt-out'; channel: Channel } | { kind: 'bankrupt' | 'deceased' };

export const noPerson = (customerId: string): Person => ({
  customerId,
  accountIds: [],
  ceased: false,
  optOuts: [],
  bankrupt: false,
  deceased: false,
});

/** The person an account belongs to: its customer number, or the account itself when the bank sent none. */
export const personIdOf = (state: Pick<AccountState, 'accountId' | 'customerId'>): string =>
  state.customerId ?? state.accountId;

/** The person with `fact` added; the same person (by value) when it held already. */
export const withFact = (person: Person, fact: PersonFact): Person => {
  switch (fact.kind) {
    case 'cease':
      return { ...person, ceased: true };
    case 'opt-out':
      return person.optOuts.includes(fact.channel)
        ? person
        : { ...person, optOuts: CHANNELS.filter((c) => c === fact.channel || person.optOuts.includes(c)) };
    case 'bankrupt':
      return { ...person, bankrupt: true };
    case 'deceased':
      return { ...person, deceased: true };
  }
};

/** The person-wide facts an account's own state says (its flags as the bank set them): kept on the person. */
export const factsOfAccount = (state: AccountState): PersonFact[] => [
  ...(state.flags.bankrupt ? [{ kind: 'bankrupt' as const }] : []),
  ...(state.flags.deceased ? [{ kind: 'deceased' as const }] : []),
];

/**
 * A newly opened account of a known person starts with what holds for the person (docs/contract.md §3.5): each
 * fact the account did not already have is applied and recorded, at the opening, with `person: true`.
 */
export const inheritFacts = (
  state: AccountState,
  person: Person,
  at: string,
): { state: AccountState; entries: RecordEntry[] } => {
  const entries: RecordEntry[] = [];
  let next = state;
  if (person.ceased && !next.ceased) {
    next = { ...next, ceased: true };
    entries.push({ kind: 'cease', at });
  }
  const optOuts = CHANNELS.filter((c) => person.optOuts.includes(c) && !next.optOuts.includes(c));
  if (optOuts.length) {
    next = { ...next, optOuts: CHANNELS.filter((c) => next.optOuts.includes(c) || optOuts.includes(c)) };
    entries.push(...optOuts.map((channel) => ({ kind: 'opt-out' as const, at, channel })));
  }
  if ((person.bankrupt && !next.flags.bankrupt) || (person.deceased && !next.flags.deceased))
    next = {
      ...next,
      flags: {
        ...next.flags,
        bankrupt: next.flags.bankrupt || person.bankrupt,
        deceased: next.flags.deceased || person.deceased,
      },
    };
  return { state: next, entries };
};

/** The person's caps count calls (tasks a collector dials) and messages (what a provider sends) apart. */
export type ContactKind = 'calls' | 'messages';

export const contactKindOf = (channel: Channel): ContactKind =>
  CHANNEL_REGISTRY[channel].delivery === 'task' ? 'calls' : 'messages';
