// Simulated collectors (docs/contract.md §3.12): they work the same call queue as people at the desk — claim a task
// the policy allows now, dial it, record the outcome as a CallOutcomeRecorded on the bus.
import { callableHolder, callBlockedBy } from '../../functions/domain/call-queue';
import type { Playbook } from '../../functions/domain/next-step';
import type { AccountStore, CallQueue } from '../../functions/ports';
import type { Inbound } from './inbound-path';
import type { OutboundEvent } from './outputs';
import type { Scheduler } from './scheduler';

export type CallOutcome = 'no-answer' | 'voicemail' | 'right-party' | 'wrong-party' | 'refused';

const LEASE_MS = 15 * 60_000;

/** What a collector works with: the account's clock, its state and the call queue, the pack, the inbound queue. */
export interface Desk {
  scheduler: Pick<Scheduler, 'clock'>;
  store: Pick<AccountStore, 'getState' | 'getStates'> & Pick<CallQueue, 'claim' | 'markDialled' | 'getTask'>;
  playbook: Pick<Playbook, 'pack'>;
  inbound: Pick<Inbound, 'enqueue'>;
}

/**
 * The account to name in a dial of `taskId` now: `accountId` while it may be called on it; otherwise, for a person's
 * task (docs/contract.md §11.1), another account the task lists that may. Null when none may.
 */
const callerOf = async (stack: Desk, accountId: string, taskId: string, now: Date): Promise<string | null> => {
  const { pack } = stack.playbook;
  const state = await stack.store.getState(accountId);
  if (callBlockedBy(state, taskId, pack, now) === null) return accountId;
  if (!state?.customerId) return null;
  const task = await stack.store.getTask(taskId);
  const states = await stack.store.getStates(task?.accountIds ?? []);
  return callableHolder(task?.accountIds.map((id) => states.get(id)) ?? [], taskId, pack, now)?.accountId ?? null;
};

/** What a dial says: the outcome, who dialled, and the delivery's id (the scenario event it stands for, if any). */
export interface DialAnswer {
  outcome: CallOutcome;
  agentId: string;
  id?: string;
}

/**
 * A dial of `taskId` at the account's time, delivered as the collector's CallOutcomeRecorded. Nothing is
 * delivered when the task is no longer callable or someone else holds it. `answer` may be decided at the dial, from
 * the accounts the task lists by then.
 */
export const dial = (
  stack: Desk,
  accountId: string,
  taskId: string,
  outcome: CallOutcome,
  agentId: string,
  at?: number,
  answer?: (accountIds: readonly string[]) => DialAnswer | null,
): void =>
  stack.inbound.enqueue(
    accountId,
    async () => {
      const now = stack.scheduler.clock(accountId).now();
      const caller = await callerOf(stack, accountId, taskId, now);
      if (caller === null) return null;
      if ((await stack.store.claim(taskId, agentId, now, new Date(now.getTime() + LEASE_MS))).kind === 'refused')
        return null;
      const dialled = await stack.store.markDialled(taskId, agentId);
      if (dialled.kind === 'refused') return null;
      const said = answer?.(dialled.task.accountIds) ?? { outcome, agentId };
      return {
        version: '0',
        id: said.id ?? `dial-${taskId}`,
        source: 'collections.agent',
        'detail-type': 'CallOutcomeRecorded',
        time: now.toISOString(),
        detail: { accountId: caller, callId: taskId, outcome: said.outcome, agentId: said.agentId },
      };
    },
    at,
  );

/**
 * A collector who dials every call task as soon as it is created, once (an account joining a person's task announces
 * it again); nobody answers.
 */
export const promptCollector = (desk: Desk) => {
  const dialled = new Set<string>();
  return (event: OutboundEvent): void => {
    if (event.detailType !== 'CallTaskCreated') return;
    const taskId = String(event.detail.taskId);
    if (dialled.has(taskId)) return;
    dialled.add(taskId);
    dial(desk, String(event.detail.accountId), taskId, 'no-answer', 'runner-collector');
  };
};
