// The collectors' call queue in process memory: the same claims, leases, dials and access as the DynamoDB queue
// (one contract test suite runs against both). The in-process store holds one and adds each change's call tasks.
import type { PersonTaskPointer } from '../../domain/person-call';
import type { AccountAccess, CallQueue, CallTaskItem, ClaimResult, InboundOpened, PersonTaskWrite } from '../../ports';
import {
  accessKey,
  agentClaimsKey,
  agentInboundKey,
  claimCapRefusal,
  claimRefusal,
  dialRefusal,
  heldBy,
  liveClaimIds,
  openCalls,
  personTaskItem,
  taskPk,
  toPersonTask,
} from '../call-task-items';
import { CALL_QUEUE_INDEX } from '../table-schema';
import { copy, readUnits, type Item, type RequestObserver } from './memory-items';

export class MemoryCallQueue implements CallQueue {
  private readonly tasks = new Map<string, CallTaskItem>();
  /** Collectors' access to accounts, by `<accountId>|<agentId>`. */
  private readonly access = new Map<string, AccountAccess>();
  private readonly taskIdsOf = new Map<string, string[]>();
  /** Each collector's open inbound calls (call id → until), as the DynamoDB store keeps its AGENT#…/INBOUND item. */
  private readonly inbound = new Map<string, Record<string, string>>();
  /** Each person's pointer to their latest call task (PERSON#…/CALL-TASK). */
  private readonly pointers = new Map<string, { taskId: string; expiresAt: string; version: number }>();

  constructor(private readonly observe: RequestObserver) {}

  /** Whether a task with this id is queued (a save that would add it again is refused). */
  has(taskId: string): boolean {
    return this.tasks.has(taskId);
  }

  /** Queues a saved change's call tasks for the account. */
  add(accountId: string, tasks: readonly CallTaskItem[]): void {
    for (const task of tasks) {
      this.tasks.set(task.taskId, copy(task));
      this.taskIdsOf.set(accountId, [...(this.taskIdsOf.get(accountId) ?? []), task.taskId]);
    }
  }

  /**
   * Lets the account's call tasks go, with its record (MemoryAccountStore.releaseRecord). A person's latest task stays,
   * as DynamoDB keeps it until its TTL: their other accounts may join it, or read that it is over.
   */
  release(accountId: string): void {
    const own = new Set(this.taskIdsOf.get(accountId) ?? []);
    this.taskIdsOf.delete(accountId);
    const pointed = new Set([...this.pointers.values()].map((p) => p.taskId));
    for (const taskId of own) {
      const listers = this.tasks.get(taskId)?.accountIds ?? [];
      if (!pointed.has(taskId) && !listers.some((id) => this.taskIdsOf.has(id))) this.tasks.delete(taskId);
    }
  }

  /** The person's pointer and its task, as two reads (docs/contract.md §11.1). */
  personTask(customerId: string): PersonTaskPointer | null {
    const pointer = this.pointers.get(customerId);
    this.observe('GetItem', 'read', 1, false);
    if (!pointer) return null;
    this.observe('GetItem', 'read', 1, false);
    const task = this.tasks.get(pointer.taskId);
    return toPersonTask(pointer, task ? copy(task) : null);
  }

  /** Why a change's write of the person's task fails its conditions (as DynamoDBPersonTask's items would), or null. */
  personTaskRefusal(write: PersonTaskWrite): string | null {
    const pointer = this.pointers.get(write.customerId);
    if (write.expectedVersion === null ? pointer !== undefined : pointer?.version !== write.expectedVersion)
      return "the person's call task pointer moved on";
    if (!write.join) return null;
    const task = this.tasks.get(write.taskId);
    if (pointer?.taskId !== write.taskId || !task || task.status === 'dialled') return 'the task is no longer open';
    return task.accountIds.length === write.join.listed.length ? null : 'the task lists other accounts now';
  }

  /** Writes the person's pointer, and lists the joining account on the task (a change whose conditions held). */
  writePersonTask(write: PersonTaskWrite): void {
    const item = personTaskItem(write);
    this.pointers.set(write.customerId, {
      taskId: write.taskId,
      expiresAt: write.expiresAt,
      version: Number(item.version),
    });
    const task = write.join && this.tasks.get(write.taskId);
    if (!write.join || !task || task.accountIds.includes(write.join.accountId)) return;
    this.tasks.set(write.taskId, { ...task, accountIds: [...task.accountIds, write.join.accountId] });
    this.taskIdsOf.set(write.join.accountId, [...(this.taskIdsOf.get(write.join.accountId) ?? []), write.taskId]);
  }

  async openTasks(now: Date, limit = Infinity): Promise<CallTaskItem[]> {
    const open = [...this.tasks.values()]
      .filter((t) => t.status !== 'dialled' && t.expiresAt > now.toISOString())
      .sort((a, b) => a.expiresAt.localeCompare(b.expiresAt) || a.taskId.localeCompare(b.taskId))
      .slice(0, limit);
    this.observe('Query', 'read', readUnits(open.map((t) => t as unknown as Item)), false, {
      index: CALL_QUEUE_INDEX.indexName,
    });
    return open.map((t) => copy(t));
  }

  async getTask(taskId: string): Promise<CallTaskItem | null> {
    const task = this.tasks.get(taskId);
    this.observe('GetItem', 'read', 1, false);
    return task ? copy(task) : null;
  }

  async claim(taskId: string, agentId: string, now: Date, leaseUntil: Date, maxClaims?: number): Promise<ClaimResult> {
    const task = this.tasks.get(taskId) ?? null;
    if (heldBy(task, agentId, now)) {
      this.observe('UpdateItem', 'write', 0, false, { partitions: [taskPk(taskId)] });
      return { kind: 'claimed', task: copy(task) };
    }
    const held = () =>
      Object.fromEntries(
        [...this.tasks.values()]
          .filter((t) => t.claimedBy === agentId && t.status === 'claimed' && t.leaseUntil)
          .map((t) => [t.taskId, t.leaseUntil!]),
      );
    const refused =
      claimRefusal(task, agentId, now) ??
      (maxClaims === undefined ? null : claimCapRefusal(liveClaimIds(held(), now, taskId), maxClaims));
    // The task and the collector's list of claims, in one transaction in the table.
    this.observe('UpdateItem', 'write', refused ? 0 : 1, false, {
      partitions: [taskPk(taskId), agentClaimsKey(agentId).pk],
    });
    if (refused) return { kind: 'refused', reason: refused };
    const claimed: CallTaskItem = {
      ...task!,
      status: 'claimed',
      claimedBy: agentId,
      leaseUntil: leaseUntil.toISOString(),
    };
    this.tasks.set(taskId, claimed);
    return { kind: 'claimed', task: copy(claimed) };
  }

  async markDialled(taskId: string, agentId: string): Promise<ClaimResult> {
    const task = this.tasks.get(taskId) ?? null;
    const refused = dialRefusal(task, agentId);
    this.observe('UpdateItem', 'write', refused ? 0 : 1, false, { partitions: [taskPk(taskId)] });
    if (refused) return { kind: 'refused', reason: refused };
    const dialled: CallTaskItem = { ...task!, status: 'dialled' };
    this.tasks.set(taskId, dialled);
    return { kind: 'claimed', task: copy(dialled) };
  }

  async grantAccess(access: AccountAccess): Promise<void> {
    const key = `${access.accountId}|${access.agentId}`;
    const before = this.access.get(key);
    this.observe('PutItem', 'write', 1, false, { partitions: [accessKey(access.accountId, access.agentId).pk] });
    if (!before || before.until < access.until) this.access.set(key, { ...access });
  }

  async accessOf(accountId: string, agentId: string): Promise<AccountAccess | null> {
    this.observe('GetItem', 'read', 1, false);
    const access = this.access.get(`${accountId}|${agentId}`);
    return access ? { ...access } : null;
  }

  async openInboundCall(
    agentId: string,
    callId: string,
    until: string,
    now: Date,
    max: number,
  ): Promise<InboundOpened> {
    const open = openCalls(this.inbound.get(agentId) ?? {}, now);
    const refused = open.length >= max;
    this.observe('GetItem', 'read', 1, false);
    this.observe('PutItem', 'write', refused ? 0 : 1, false, { partitions: [agentInboundKey(agentId).pk] });
    if (refused) return { kind: 'refused', open: open.length };
    this.inbound.set(agentId, Object.fromEntries([...open, [callId, until]]));
    return { kind: 'opened' };
  }
}
