// The contact step's side of one call for all debts (docs/contract.md §11.1): an account of a person that wants a call
// reads the person's task, and joins it while it is open, or makes the next one once it is over. The change is written
// with the person's pointer under its version (AccountWrite.personTask), so two accounts of one person racing to make
// a task cannot both succeed: the one that loses decides again, and joins. An account alone makes its tasks as before.
import type { AccountState } from '../domain/account';
import type { CallTask } from '../domain/account';
import { personCallDecision, type PersonCallDecision } from '../domain/person-call';
import type { AccountStore, PersonTaskWrite } from '../ports';

export type TaskPlace = { kind: 'alone' } | PersonCallDecision;

/** Where the account's call goes: a task of its own (alone), the person's open task, or the person's next. */
export const placeOnPersonTask = async (
  deps: { accounts: AccountStore },
  state: AccountState,
  now: Date,
): Promise<TaskPlace> => {
  if (!state.customerId) return { kind: 'alone' };
  const pointer = await deps.accounts.personTask(state.customerId);
  // The accounts the task lists matter only once it was dialled: whether its outcome has reached them all.
  const holders =
    pointer?.task?.status === 'dialled' ? [...(await deps.accounts.getStates(pointer.task.accountIds)).values()] : [];
  return personCallDecision(pointer, holders, now);
};

/** What the change writes of the person's task, as placed: nothing for an account alone. */
export const personTaskWrite = (
  state: AccountState,
  place: Exclude<TaskPlace, { kind: 'wait' }>,
  task: Pick<CallTask, 'taskId' | 'expiresAt'>,
): PersonTaskWrite | undefined => {
  if (place.kind === 'alone' || !state.customerId) return undefined;
  return {
    customerId: state.customerId,
    taskId: task.taskId,
    expiresAt: task.expiresAt,
    expectedVersion: place.expectedVersion,
    ...(place.kind === 'join' ? { join: { accountId: state.accountId, listed: place.task.accountIds } } : {}),
  };
};

/**
 * The id of the place a person's new task takes on their ledger: the pointer's next version, the same for every account
 * of the person that reads the pointer at one version and races to make the task. Only one makes it, so the person's
 * calls of the day count one place for it; a place whose task was not made after all (the account decided otherwise on
 * retrying) stays taken, the cautious way. An account alone takes its places by its own contact ids.
 */
export const callPlaceOf = (place: TaskPlace): string | undefined =>
  place.kind === 'make' ? `CALL-TASK#${(place.expectedVersion ?? 0) + 1}` : undefined;
