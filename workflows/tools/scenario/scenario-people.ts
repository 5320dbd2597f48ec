// The people of a scenario (docs/contract.md §11.1): which accounts share a customer number, read from the events that
// carry `customer.customerId`. Their accounts run on one clock (scheduler.ts), as they would under one global clock.
import type { Scenario } from './scenario-file';

/** The person of each account that names one, by account id (an account alone is its own person). */
export const peopleOf = (events: Scenario['events']): Map<string, string> => {
  const people = new Map<string, string>();
  for (const event of events) {
    const detail = (event.detail ?? {}) as { accountId?: unknown; customer?: { customerId?: unknown } };
    const customerId = detail.customer?.customerId;
    if (typeof detail.accountId === 'string' && typeof customerId === 'string' && !people.has(detail.accountId))
      people.set(detail.accountId, customerId);
  }
  return people;
};
