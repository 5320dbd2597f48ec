// The call desk's reads (docs/contract.md §7, §11.1): the queue, callable tasks best first, each task with every
// account it lists; the account a claim or a dial is for (a person's task lists several); and the view a claim or an
// inbound call answers, the person with all their open accounts.
import type { AccountState } from '../domain/account';
import { callableHolder, callBlockedBy, rankQueue } from '../domain/call-queue';
import { holdsTask } from '../domain/person-call';
import type { CallTaskItem } from '../ports';
import { agentAccountView, timelineFor } from './agent-account-view';
import type { ApiDeps } from './deps';
import { personAccounts } from './person-accounts';
import { ApiProblem } from './problem';

/** How long a claim holds a task for its collector. */
export const CLAIM_LEASE_MS = 15 * 60_000;

/**
 * Tasks the queue looks at per request: the soonest-ending (every task ends with its day's contact hours,
 * so these are today's), read with their accounts (two BatchGets) to check each is callable now.
 */
export const QUEUE_WINDOW = 200;

/** The states of the accounts a task lists, in its order (the account that made it first). */
const listedStates = (task: CallTaskItem, states: Map<string, AccountState>) =>
  task.accountIds.map((id) => states.get(id) ?? null);

/** The tasks callable now, best first, with no PII: each ranked by the first account it lists that may be called. */
export const callQueue = async (deps: ApiDeps, now: Date) => {
  const tasks = await deps.queue.openTasks(now, QUEUE_WINDOW);
  const states = await deps.accounts.getStates(tasks.flatMap((task) => task.accountIds));
  const { pack } = deps.playbook;
  return rankQueue(
    tasks.map((task) => ({
      task,
      state: callableHolder(listedStates(task, states), task.taskId, pack, now) ?? states.get(task.accountId) ?? null,
    })),
    pack,
    now,
  );
};

/** The account a claim of the task is for: the first it lists that may be called now, or a 409 saying why none. */
export const claimableHolder = async (deps: ApiDeps, task: CallTaskItem, now: Date): Promise<AccountState> => {
  const states = await deps.accounts.getStates(task.accountIds);
  const holder = callableHolder(listedStates(task, states), task.taskId, deps.playbook.pack, now);
  if (holder) return holder;
  const blocked = callBlockedBy(states.get(task.accountId) ?? null, task.taskId, deps.playbook.pack, now);
  throw new ApiProblem(409, `The task is not callable now (${blocked ?? 'task-no-longer-current'}).`);
};

/**
 * The account a dial of the task names: the first it lists still holding it (the intake counts the call on every one
 * of them, docs/contract.md §11.1), or the account that made it.
 */
export const dialledHolder = async (deps: ApiDeps, task: CallTaskItem): Promise<string> => {
  const states = await deps.accounts.getStates(task.accountIds);
  return task.accountIds.find((id) => states.has(id) && holdsTask(states.get(id)!, task.taskId)) ?? task.accountId;
};

/**
 * What a claim or an inbound call answers: the account with name and phone, the script, the timeline, and the person
 * with all their open accounts (each with its own script where it is on the call), whose actions name their account.
 */
export const workingView = async (deps: ApiDeps, accountId: string, now: Date, accessUntil: string) => {
  const { state, profile } = (await deps.accounts.getWithProfile(accountId))!;
  const accounts = await personAccounts(deps, state);
  return {
    accessUntil,
    account: { ...agentAccountView(state, now, deps.playbook), name: profile.name, phone: profile.phone },
    script: state.callTask?.script ?? null,
    accounts: accounts.map((s) => ({ ...agentAccountView(s, now, deps.playbook), script: s.callTask?.script ?? null })),
    disclosure: deps.playbook.pack.callDisclosure[state.locale],
    // The service's clock (virtual in `npm run serve`): the desk shows the customer's time from it.
    serverTime: now.toISOString(),
    timeline: await timelineFor(deps, state, true),
  };
};
