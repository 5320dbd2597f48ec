// One call for all debts (docs/contract.md §11.1): a person has at most one open call task, and it lists every account
// of theirs that wants a call. An account that wants one joins the person's open task, or makes the next one once the
// last is over; one outcome on the task counts as a call on each account it lists. Pure: the contact step, the intake,
// the queue and the checker decide by the same rules.
import type { AccountState } from './account';

/** The person's task as the queue holds it: the account that made it (and its cycle), and every account it lists. */
export interface PersonCallTask {
  taskId: string;
  accountId: string;
  cycleId: string;
  accountIds: string[];
  expiresAt: string;
  status: 'open' | 'claimed' | 'dialled';
}

/**
 * The person's pointer to their latest task, and that task (null once the table let it go). Making or joining a task
 * writes the pointer under its version, so two accounts of one person racing to make a task cannot both succeed.
 */
export interface PersonTaskPointer {
  version: number;
  taskId: string;
  expiresAt: string;
  task: PersonCallTask | null;
}

export type PersonCallDecision =
  /** No task of the person's is open: make one, with the pointer at this version (null: no pointer yet). */
  | { kind: 'make'; expectedVersion: number | null }
  /** The person's open task: list the account on it too. */
  | { kind: 'join'; task: PersonCallTask; expectedVersion: number }
  /** The task was dialled and its outcome has not reached every account it lists yet: it is still the open one. */
  | { kind: 'wait'; rule: string };

/** The rule a call waits by while the person's dialled task's outcome is being recorded on their accounts. */
export const CALL_BEING_RECORDED = 'person-call-being-recorded';

/** Whether the account holds the task now: its cycle open, and its call task this one. */
export const holdsTask = (state: AccountState, taskId: string): boolean =>
  state.status === 'open' && state.callTask?.taskId === taskId;

/**
 * How an account of a person places the call it wants: join the task that is open, or make the next. A task is over
 * when its window has ended, or when it was dialled and the outcome reached every account holding it (`holders`:
 * the states of the accounts the task lists).
 */
export const personCallDecision = (
  pointer: PersonTaskPointer | null,
  holders: readonly AccountState[],
  now: Date,
): PersonCallDecision => {
  if (!pointer) return { kind: 'make', expectedVersion: null };
  const { task } = pointer;
  if (!task || Date.parse(task.expiresAt) <= now.getTime()) return { kind: 'make', expectedVersion: pointer.version };
  if (task.status !== 'dialled') return { kind: 'join', task, expectedVersion: pointer.version };
  return holders.some((s) => holdsTask(s, task.taskId))
    ? { kind: 'wait', rule: CALL_BEING_RECORDED }
    : { kind: 'make', expectedVersion: pointer.version };
};

/**
 * The accounts one dial of `taskId` counts on: each open account of the person holding it, sorted. More than one is a
 * call on the person's task; each of them records it (docs/contract.md §11.1).
 */
export const accountsCovered = (states: readonly AccountState[], taskId: string): string[] =>
  states
    .filter((s) => holdsTask(s, taskId))
    .map((s) => s.accountId)
    .sort();
