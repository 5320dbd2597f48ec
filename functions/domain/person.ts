// The person behind the accounts (docs/contract.md §11.1): accounts that share `customer.customerId` are one person,
// and an account without one is a person of its own. What holds for the person (a cease, an opt-out, bankruptcy or
// death) holds for every account of theirs, those that become delinquent later included.
import type { AccountState } from './account';
import { CHANNEL_REGISTRY, CHANNELS, type Channel } from './channels';
import type { InboundEvent } from './inbound-events';
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

/** The flags that stop collection on all of a person's accounts (docs/contract.md §3.5). */
export const STOPS = ['bankrupt', 'deceased'] as const;
export type Stop = (typeof STOPS)[number];

/** The stopping flags the bank set on an account in an event, `true` or `false`; a flag it did not send is absent. */
export const bankFlagsOf = (event: InboundEvent): Partial<Record<Stop, boolean>> => {
  const flags =
    event.detailType === 'AccountDelinquent' || event.detailType === 'AccountUpdated' ? event.detail.flags : undefined;
  return Object.fromEntries(STOPS.filter((k) => typeof flags?.[k] === 'boolean').map((k) => [k, flags![k]]));
};

/**
 * An account that joins a person (it opens, or becomes theirs) takes what holds for the person (docs/contract.md
 * §3.5) and it lacks, each recorded: a cease and opt-outs as the customer's own are, bankruptcy or death as
 * `flag-inherited`. A stopping flag the bank itself set on the account (`explicit`, true or false) is the account's
 * word on it and wins over the person's.
 */
export const inheritFacts = (
  state: AccountState,
  person: Person,
  at: string,
  explicit: Partial<Record<Stop, boolean>> = {},
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
  for (const flag of STOPS.filter((k) => person[k] && !next.flags[k] && explicit[k] === undefined)) {
    next = { ...next, flags: { ...next.flags, [flag]: true } };
    entries.push({ kind: 'flag-inherited', at, flag, customerId: person.customerId });
  }
  return { state: next, entries };
};

/** The person's caps count calls (tasks a collector dials) and messages (what a provider sends) apart. */
export type ContactKind = 'calls' | 'messages';

export const contactKindOf = (channel: Channel): ContactKind =>
  CHANNEL_REGISTRY[channel].delivery === 'task' ? 'calls' : 'messages';
