// Reading and writing account state from handlers: not-found as a permanent error, and the one policy
// for lost races (re-read, decide again, a bounded number of times).
import type { AccountState } from '../domain/account';
import type { Profile } from '../domain/apply-event';
import type { AccountStore, AccountWrite } from '../ports';
import { AccountNotFoundError, TransientError } from '../errors';

/** State and contact points, for the steps that write to the customer; not-found is a permanent error. */
export const loadWithProfile = async (
  deps: { accounts: AccountStore },
  accountId: string,
): Promise<{ state: AccountState; profile: Profile }> => {
  const loaded = await deps.accounts.getWithProfile(accountId);
  if (!loaded) throw new AccountNotFoundError(accountId);
  return loaded;
};

export const loadState = async (deps: { accounts: AccountStore }, accountId: string): Promise<AccountState> => {
  const state = await deps.accounts.getState(accountId);
  if (!state) throw new AccountNotFoundError(accountId);
  return state;
};

/** What a step returns when another writer got in first: the step is run again on fresh state. */
export const CONFLICT = Symbol('conflict');
export type Conflict = typeof CONFLICT;

/** Lost races in a row before a step gives up and lets its caller (Step Functions, SQS) retry later. */
export const MAX_CONFLICTS = 10;

/** The one conflict policy every handler uses: run the read-decide-write step again until it is not raced. */
export const retryOnConflict = async <T>(accountId: string, step: () => Promise<T | Conflict>): Promise<T> => {
  for (let attempt = 0; attempt < MAX_CONFLICTS; attempt += 1) {
    const result = await step();
    if (result !== CONFLICT) return result;
  }
  throw new TransientError(`account ${accountId}: ${MAX_CONFLICTS} conflicting writes in a row`);
};

/** Saves a workflow step's change: the new state, or CONFLICT when the state (or a create-once record) moved on. */
export const saveStep = async (
  deps: { accounts: AccountStore },
  change: AccountWrite,
): Promise<AccountState | Conflict> => {
  const result = await deps.accounts.save(change);
  return result.kind === 'saved' ? result.state : CONFLICT;
};
