// Simulated collectors (docs/contract.md §3.12): they work the same call queue as people at the desk — claim a task
// the policy allows now, dial it, record the outcome as a CallOutcomeRecorded on the bus.
import { callBlockedBy } from '../../functions/domain/call-queue';
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
  store: Pick<AccountStore, 'getState'> & Pick<CallQueue, 'claim' | 'markDialled'>;
  playbook: Pick<Playbook, 'pack'>;
  inbound: Pick<Inbound, 'enqueue'>;
}

/**
 * A dial of `taskId` at the account's time, delivered as the collector's CallOutcomeRecorded. Nothing is
 * delivered when the task is no longer callable or someone else holds it.
 */
export const dial = (
  stack: Desk,
  accountId: string,
  taskId: string,
  outcome: CallOutcome,
  agentId: string,
  at?: number,
): void =>
  stack.inbound.enqueue(
    accountId,
    async () => {
      const now = stack.scheduler.clock(accountId).now();
      if (callBlockedBy(await stack.store.getState(accountId), taskId, stack.playbook.pack, now) !== null) return null;
      if ((await stack.store.claim(taskId, agentId, now, new Date(now.getTime() + LEASE_MS))).kind === 'refused')
        return null;
      if ((await stack.store.markDialled(taskId, agentId)).kind === 'refused') return null;
      return {
        version: '0',
        id: `dial-${taskId}`,
        source: 'collections.agent',
        'detail-type': 'CallOutcomeRecorded',
        time: now.toISOString(),
        detail: { accountId, callId: taskId, outcome, agentId },
      };
    },
    at,
  );

/** The scenario runner's collector: dials every call task as soon as it is created; nobody answers. */
export const promptCollector =
  (desk: Desk) =>
  (event: OutboundEvent): void => {
    if (event.detailType !== 'CallTaskCreated') return;
    dial(desk, String(event.detail.accountId), String(event.detail.taskId), 'no-answer', 'runner-collector');
  };
