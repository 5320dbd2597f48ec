// Reading and writing account state from handlers: not-found as a permanent error, conflicts retried.
import type { AccountState } from '../domain/account';
import type { Change, SaveResult } from '../adapters/account-repository';
import { eventOutFor, type RecordEntry } from '../domain/record';
import { AccountNotFoundError, TransientError } from './errors';
import type { WorkflowDeps } from './ports';

export const loadState = async (deps: Pick<WorkflowDeps, 'accounts'>, accountId: string): Promise<AccountState> => {
  const state = await deps.accounts.getState(accountId);
  if (!state) throw new AccountNotFoundError(accountId);
  return state;
};

/** Saves, turning a lost race into a retryable error: the caller's step is re-run on fresh state. */
export const saveOrRetry = async (deps: Pick<WorkflowDeps, 'accounts'>, change: Change): Promise<Extract<SaveResult, { kind: 'saved' }>> => {
  const result = await deps.accounts.save(change);
  if (result.kind === 'conflict') throw new TransientError(`account ${change.state.accountId} changed while this step ran`);
  if (result.kind === 'duplicate') throw new TransientError(`record ${result.sk} already exists for account ${change.state.accountId}`);
  return result;
};

/** Publishes the events out that record entries announce. */
export const announce = (deps: Pick<WorkflowDeps, 'events'>, state: AccountState, entries: readonly RecordEntry[]) =>
  deps.events.publish(entries.map((e) => eventOutFor(e, { accountId: state.accountId, cycleId: state.cycleId })).filter((e) => e !== null));
