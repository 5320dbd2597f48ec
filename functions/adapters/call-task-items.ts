// Call task items, shared by every CallQueue implementation: their keys, their place in the queue index,
// and when a claim or a dial is refused (so the DynamoDB conditions and the in-process store agree).
import type { CallTaskItem } from '../ports';
import { CALL_QUEUE_INDEX, TTL_ATTRIBUTE } from './table-schema';

export const taskPk = (taskId: string): string => `TASK#${taskId}`;
export const TASK_SK = 'TASK';

/** Task items stay for audit a month after their window, then expire. */
const KEEP_SECONDS = 30 * 86_400;

export const taskItem = (task: CallTaskItem): Record<string, unknown> => ({
  ...task,
  pk: taskPk(task.taskId),
  sk: TASK_SK,
  [CALL_QUEUE_INDEX.partitionKey]: CALL_QUEUE_INDEX.open,
  [CALL_QUEUE_INDEX.sortKey]: `${task.expiresAt}#${task.taskId}`,
  [TTL_ATTRIBUTE]: Math.floor(Date.parse(task.expiresAt) / 1000) + KEEP_SECONDS,
});

export const toTask = (item: Record<string, unknown>): CallTaskItem => ({
  taskId: String(item.taskId),
  accountId: String(item.accountId),
  cycleId: String(item.cycleId),
  createdAt: String(item.createdAt),
  expiresAt: String(item.expiresAt),
  status: item.status as CallTaskItem['status'],
  claimedBy: (item.claimedBy as string | null | undefined) ?? null,
  leaseUntil: (item.leaseUntil as string | null | undefined) ?? null,
});

/** Why `agentId` may not claim the task now, or null when it may. */
export const claimRefusal = (task: CallTaskItem | null, agentId: string, now: Date): string | null => {
  if (!task) return 'no such task';
  if (task.status === 'dialled') return 'the task has been dialled';
  if (Date.parse(task.expiresAt) <= now.getTime()) return `the task's window ended at ${task.expiresAt}`;
  if (
    task.status === 'claimed' &&
    task.claimedBy !== agentId &&
    task.leaseUntil &&
    Date.parse(task.leaseUntil) > now.getTime()
  )
    return 'another collector has claimed the task';
  return null;
};

/** Why `agentId` may not record a dial on the task, or null when it may. */
export const dialRefusal = (task: CallTaskItem | null, agentId: string): string | null => {
  if (!task) return 'no such task';
  if (task.status === 'open' || !task.claimedBy) return 'claim the task before recording its outcome';
  if (task.claimedBy !== agentId) return 'another collector has claimed the task';
  return null;
};
