// The person behind an account, as the API shows them (docs/contract.md §11.1): the customer's link and a collector's
// claim or inbound call reach every open account of the person, not the one account alone.
import type { AccountState } from '../domain/account';
import type { ApiDeps } from './deps';

/**
 * The account, then each other open collection cycle of its person (an account without a customer number is a person
 * of its own). Only accounts that still name the same customer number: the person's list is what the intake has seen.
 */
export const personAccounts = async (
  deps: Pick<ApiDeps, 'accounts' | 'persons'>,
  state: AccountState,
): Promise<AccountState[]> => {
  if (!state.customerId) return [state];
  const person = await deps.persons.getPerson(state.customerId);
  const others = (person?.accountIds ?? []).filter((id) => id !== state.accountId);
  const states = await deps.accounts.getStates(others);
  return [
    state,
    ...others.flatMap((id) => {
      const other = states.get(id);
      return other && other.status === 'open' && !other.courtesy && other.customerId === state.customerId
        ? [other]
        : [];
    }),
  ];
};
