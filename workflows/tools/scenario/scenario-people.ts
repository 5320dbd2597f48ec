// The people of a scenario (docs/contract.md §11.1): which accounts share a customer number, read from the events that
// carry `customer.customerId`. Their accounts run on one clock (scheduler.ts), as they would under one global clock.
import type { Scenario } from './scenario-file';

type Named = { accountId?: unknown; customer?: { customerId?: unknown } };

/** The events that name an account's customer number, in time order. */
const namings = (events: Scenario['events']) =>
  events
    .map((event) => ({ at: Date.parse(event.at), detail: (event.detail ?? {}) as Named }))
    .filter(({ detail }) => typeof detail.accountId === 'string' && typeof detail.customer?.customerId === 'string')
    .map(({ at, detail }) => ({
      at,
      accountId: detail.accountId as string,
      customerId: detail.customer!.customerId as string,
    }))
    .sort((a, b) => a.at - b.at);

/** The person of each account that names one, by account id (an account alone is its own person). */
export const peopleOf = (events: Scenario['events']): Map<string, string> => {
  const people = new Map<string, string>();
  for (const { accountId, customerId } of namings(events))
    if (!people.has(accountId)) people.set(accountId, customerId);
  return people;
};

/**
 * The person an account belongs to at an instant (epoch ms): the customer number the last event naming one for it
 * gave by then (the bank may move an account to another person, or name one for an account that had none), or the
 * account itself.
 */
export const personAt = (events: Scenario['events']): ((accountId: string, at: number) => string) => {
  const byAccount = new Map<string, { at: number; customerId: string }[]>();
  for (const { at, accountId, customerId } of namings(events)) {
    if (!byAccount.has(accountId)) byAccount.set(accountId, []);
    byAccount.get(accountId)!.push({ at, customerId });
  }
  return (accountId, at) =>
    (byAccount.get(accountId) ?? []).filter((naming) => naming.at <= at).at(-1)?.customerId ?? accountId;
};
