// Call task items, shared by every CallQueue implementation: their keys, their place in the queue index,
// and when a claim or a dial is refused (so the DynamoDB conditions and the in-process store agree).
import type { PersonCallTask, PersonTaskPointer } from '../domain/person-call';
import type { CallTaskItem, PersonTaskWrite } from '../ports';
import { personPk } from './person-items';
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
  // A task written before tasks listed their accounts lists the one that made it.
  accountIds: Array.isArray(item.accountIds) ? item.accountIds.map(String) : [String(item.accountId)],
  cycleId: String(item.cycleId),
  createdAt: String(item.createdAt),
  expiresAt: String(item.expiresAt),
  status: item.status as CallTaskItem['status'],
  claimedBy: (item.claimedBy as string | null | undefined) ?? null,
  leaseUntil: (item.leaseUntil as string | null | undefined) ?? null,
});

const liveClaim = (task: CallTaskItem, now: Date) =>
  task.status === 'claimed' && task.leaseUntil !== null && Date.parse(task.leaseUntil) > now.getTime();

/** Why `agentId` may not claim the task now, or null when it may. */
export const claimRefusal = (task: CallTaskItem | null, agentId: string, now: Date): string | null => {
  if (!task) return 'no such task';
  if (task.status === 'dialled') return 'the task has been dialled';
  if (Date.parse(task.expiresAt) <= now.getTime()) return `the task's window ended at ${task.expiresAt}`;
  if (liveClaim(task, now) && task.claimedBy !== agentId) return 'another collector has claimed the task';
  return null;
};

/** Whether `agentId` holds a live claim on the task: claiming it again answers the claim as it stands. */
export const heldBy = (task: CallTaskItem | null, agentId: string, now: Date): task is CallTaskItem =>
  task !== null && task.claimedBy === agentId && liveClaim(task, now);

/** The other tasks `agentId` holds a live claim on, when they are as many as it may hold; else null. */
export const claimCapRefusal = (held: readonly string[], maxClaims = MAX_CLAIMS): string | null =>
  held.length >= maxClaims
    ? `you hold ${held.length} claims already (${held.join(', ')}), the most at once: record an outcome or ` +
      'let a lease run out first'
    : null;

/** Which of `claims` (task id → lease end) are still live at `now`, leaving `except` out. */
export const liveClaimIds = (claims: Record<string, string>, now: Date, except: string): string[] =>
  Object.entries(claims)
    .filter(([taskId, lease]) => taskId !== except && Date.parse(lease) > now.getTime())
    .map(([taskId]) => taskId)
    .sort();

/** One item per collector lists its claims (task id → lease end), so the cap holds under concurrent claims. */
export const agentClaimsKey = (agentId: string) => ({ pk: `AGENT#${agentId}`, sk: 'CLAIMS' });
/** The collector's open inbound calls (`calls`: call id → until), under a version like the list of claims. */
export const agentInboundKey = (agentId: string) => ({ pk: `AGENT#${agentId}`, sk: 'INBOUND' });

/** The calls of a collector's list still open at `now`. */
export const openCalls = (calls: Record<string, string>, now: Date): [string, string][] =>
  Object.entries(calls).filter(([, until]) => Date.parse(until) > now.getTime());

/**
 * A collector's access to an account: an item of its own partition, not the account's, so the API's role may write
 * it without any right to write an account's items.
 */
export const accessKey = (accountId: string, agentId: string) => ({
  pk: `ACCESS#${accountId}`,
  sk: `AGENT#${agentId}`,
});

/** The phone index: one item per (phone, account), written with the profile. */
export const phoneKey = (phone: string, accountId: string) => ({ pk: `PHONE#${phone}`, sk: `ACCOUNT#${accountId}` });

import { MAX_CLAIMS } from '../domain/call-queue';
export { dialRefusal } from '../domain/call-queue';

/**
 * The person's pointer to their latest call task (docs/contract.md §11.1): an item of the person's partition, written
 * only in the transaction that makes or joins the task, under its version.
 */
export const personTaskKey = (customerId: string) => ({ pk: personPk(customerId), sk: 'CALL-TASK' });

/** The pointer item a write leaves: the task, its window and the next version; kept as long as the task item. */
export const personTaskItem = (write: PersonTaskWrite): Record<string, unknown> => ({
  ...personTaskKey(write.customerId),
  taskId: write.taskId,
  expiresAt: write.expiresAt,
  version: (write.expectedVersion ?? 0) + 1,
  [TTL_ATTRIBUTE]: Math.floor(Date.parse(write.expiresAt) / 1000) + KEEP_SECONDS,
});

/** The pointer as the contact step decides by, with its task as the queue holds it (null once the table let it go). */
export const toPersonTask = (pointer: Record<string, unknown>, task: CallTaskItem | null): PersonTaskPointer => ({
  version: Number(pointer.version),
  taskId: String(pointer.taskId),
  expiresAt: String(pointer.expiresAt),
  task: task && personCallTaskOf(task),
});

export const personCallTaskOf = (task: CallTaskItem): PersonCallTask => ({
  taskId: task.taskId,
  accountId: task.accountId,
  cycleId: task.cycleId,
  accountIds: task.accountIds,
  expiresAt: task.expiresAt,
  status: task.status,
});
