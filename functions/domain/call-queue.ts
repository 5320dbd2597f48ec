// Which call tasks a collector is offered now, best first (docs/contract.md §3.12): only tasks the contact policy
// allows at this moment, ranked by what makes a call worth making now. Pure: the API and the simulated
// collectors read the same order.
import type { AccountState } from './account';
import { decideContact } from './contact-policy';
import { BUCKET_ORDER, daysPastDue, type Bucket } from './days-past-due';
import type { PolicyPack } from './policy-packs';
import { localParts } from './zoned-time';

export interface QueuedTask {
  taskId: string;
  accountId: string;
  /** A person's task lists each of their accounts it covers (docs/contract.md §11.1); otherwise the one. */
  accountIds?: readonly string[];
  expiresAt: string;
}

export interface OfferedTask {
  taskId: string;
  /** The account that made the task (for v3 clients); `accountIds` every account it covers, that one first. */
  accountId: string;
  accountIds: string[];
  priority: number;
  /** Why it ranks where it does, in words a collector reads. */
  reason: string;
  /** HH:MM in the customer's zone. */
  customerLocalTime: string;
  dpd: number;
  bucket: Bucket;
  amountDue: number;
  currency: string;
  expiresAt: string;
}

/** The rule that stops a call on this task now, or null when a collector may dial it. */
export const callBlockedBy = (
  state: AccountState | null,
  taskId: string,
  pack: PolicyPack,
  now: Date,
): string | null => {
  if (!state || state.callTask?.taskId !== taskId) return 'task-no-longer-current';
  if (Date.parse(state.callTask.expiresAt) <= now.getTime()) return 'task-window-ended';
  const decision = decideContact(state, 'call', pack, now);
  return decision.kind === 'allowed' ? null : decision.rule;
};

/**
 * The account a collector dials a task for now: of those the task lists (a person's task lists all that want a call,
 * docs/contract.md §11.1), the first that holds it and may be called now; null when none may.
 */
export const callableHolder = (
  states: readonly (AccountState | null | undefined)[],
  taskId: string,
  pack: PolicyPack,
  now: Date,
): AccountState | null => states.find((s) => s && callBlockedBy(s, taskId, pack, now) === null) ?? null;

const HOUR_MS = 3_600_000;

/** Each factor adds to the priority; the reason lists the ones that counted. */
const factors = (state: AccountState, task: QueuedTask, now: Date): [number, string][] => {
  const { date, hour } = localParts(now, state.timezone);
  const dpd = daysPastDue(state.dueDate, now, state.timezone);
  const found: [number, string][] = [];
  if (state.promise?.dueDate === date) found.push([400, 'promise due today']);
  found.push([BUCKET_ORDER.indexOf(state.bucket) * 50, `bucket ${state.bucket} (${dpd} DPD)`]);
  if (state.balance >= 1_000_000) found.push([30, 'large balance']);
  else if (state.balance >= 100_000) found.push([15, 'medium balance']);
  if (Date.parse(task.expiresAt) - now.getTime() <= HOUR_MS) found.push([25, 'window closes within the hour']);
  // Early evening is when card customers most often answer.
  if (hour >= 17 && hour < 20) found.push([10, 'good hour to reach']);
  return found;
};

/**
 * The tasks callable now, best first (ties: the window that ends first, then the task id). Each is ranked by `state`:
 * for a person's task, the first account it lists that may be called now.
 */
export const rankQueue = (
  tasks: readonly { task: QueuedTask; state: AccountState | null }[],
  pack: PolicyPack,
  now: Date,
): OfferedTask[] =>
  tasks
    .flatMap(({ task, state }) => {
      if (!state || callBlockedBy(state, task.taskId, pack, now) !== null) return [];
      const found = factors(state, task, now);
      const { hour, minute } = localParts(now, state.timezone);
      return [
        {
          taskId: task.taskId,
          accountId: task.accountId,
          accountIds: [...(task.accountIds ?? [task.accountId])],
          expiresAt: task.expiresAt,
          priority: found.reduce((sum, [points]) => sum + points, 0),
          reason: found.map(([, why]) => why).join('; '),
          customerLocalTime: `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`,
          dpd: daysPastDue(state.dueDate, now, state.timezone),
          bucket: state.bucket,
          amountDue: state.amountDue,
          currency: state.currency,
        },
      ];
    })
    .sort(
      (a, b) => b.priority - a.priority || a.expiresAt.localeCompare(b.expiresAt) || a.taskId.localeCompare(b.taskId),
    );

/**
 * Why `agentId` may not record a dial on the task, or null when it may (the API asks before the dial is put). With
 * `now`, a claim whose lease has ended takes no outcome: the task may be another collector's by then. A dial already
 * recorded may be recorded again (a retry, which the intake takes once).
 */
export const dialRefusal = (
  task: { status: 'open' | 'claimed' | 'dialled'; claimedBy: string | null; leaseUntil?: string | null } | null,
  agentId: string,
  now?: Date,
): string | null => {
  if (!task) return 'no such task';
  if (task.status === 'open' || !task.claimedBy) return 'claim the task before recording its outcome';
  if (task.claimedBy !== agentId) return 'another collector has claimed the task';
  if (now && task.status === 'claimed' && (!task.leaseUntil || Date.parse(task.leaseUntil) <= now.getTime()))
    return `the claim's lease ended at ${task.leaseUntil ?? 'its start'}; claim the task again`;
  return null;
};

/** The most call tasks one collector at the desk may hold claimed at once (docs/contract.md §10.7): no harvesting. */
export const MAX_CLAIMS = 3;
