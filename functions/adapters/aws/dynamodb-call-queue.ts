// The collectors' call queue on the account table (docs/contract.md §3.12, §10.7): task items in the queue index,
// claims with leases (capped per collector at the desk), dials, and collectors' access to accounts.
import {
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import type { AccountAccess, CallQueue, CallTaskItem, ClaimResult, InboundOpened } from '../../ports';
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
  TASK_SK,
  taskPk,
  toTask,
} from '../call-task-items';
import { CALL_QUEUE_INDEX, TTL_ATTRIBUTE } from '../table-schema';
import { queryAll } from './dynamodb-pages';
import { TransientError } from '../../errors';

export const isConditionFailure = (reason: { Code?: string } | undefined) => reason?.Code === 'ConditionalCheckFailed';

/** The call queue on the account table; the account store holds one over the same table and client. */
export class DynamoCallQueue implements CallQueue {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async openTasks(now: Date, limit = Infinity): Promise<CallTaskItem[]> {
    const items = await queryAll(
      { db: this.db, tableName: this.tableName },
      {
        ...(Number.isFinite(limit) ? { Limit: limit } : {}),
        IndexName: CALL_QUEUE_INDEX.indexName,
        KeyConditionExpression: '#q = :open AND #s > :now',
        ExpressionAttributeNames: { '#q': CALL_QUEUE_INDEX.partitionKey, '#s': CALL_QUEUE_INDEX.sortKey },
        // Keys are `<expiresAt>#<taskId>`: '~' sorts after every id character, so a window ending now is out.
        ExpressionAttributeValues: { ':open': CALL_QUEUE_INDEX.open, ':now': `${now.toISOString()}#~` },
      },
    );
    return items
      .map(toTask)
      .filter((t) => t.status !== 'dialled')
      .slice(0, limit);
  }

  async getTask(taskId: string): Promise<CallTaskItem | null> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: { pk: taskPk(taskId), sk: TASK_SK }, ConsistentRead: true }),
    );
    return Item ? toTask(Item) : null;
  }

  /**
   * A conditional update of the task; with `maxClaims`, in one transaction with the collector's list of claims,
   * whose version keeps two claims at once from both passing the cap. A task the collector holds is answered as it
   * stands: its lease is not renewed.
   */
  async claim(taskId: string, agentId: string, now: Date, leaseUntil: Date, maxClaims?: number): Promise<ClaimResult> {
    const lease = leaseUntil.toISOString();
    const taskUpdate = {
      TableName: this.tableName,
      Key: { pk: taskPk(taskId), sk: TASK_SK },
      // `listed`: the claim is in the collector's list, which the dial then takes it out of.
      UpdateExpression:
        'SET #status = :claimed, claimedBy = :agent, leaseUntil = :lease' +
        (maxClaims === undefined ? ' REMOVE listed' : ', listed = :listed'),
      // The same rule as claimRefusal: open, or a lease run out; and still in its window.
      ConditionExpression:
        'attribute_exists(pk) AND expiresAt > :now AND (#status = :open OR (#status = :claimed AND ' +
        'leaseUntil <= :now))',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':claimed': 'claimed',
        ':open': 'open',
        ':agent': agentId,
        ':lease': lease,
        ':now': now.toISOString(),
        ...(maxClaims === undefined ? {} : { ':listed': true }),
      },
    };
    /** Why the task's condition failed: held by this collector already (then the claim stands), or a refusal. */
    const taskRefusal = async (): Promise<ClaimResult> => {
      const task = await this.getTask(taskId);
      if (heldBy(task, agentId, now)) return { kind: 'claimed', task };
      return { kind: 'refused', reason: claimRefusal(task, agentId, now) ?? 'the task changed meanwhile; try again' };
    };
    if (maxClaims === undefined) {
      try {
        const { Attributes } = await this.db.send(new UpdateCommand({ ...taskUpdate, ReturnValues: 'ALL_NEW' }));
        return { kind: 'claimed', task: toTask(Attributes!) };
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
        return taskRefusal();
      }
    }
    const agentKey = agentClaimsKey(agentId);
    const { Item: agent } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: agentKey, ConsistentRead: true }),
    );
    const claims = (agent?.claims ?? {}) as Record<string, string>;
    const held = liveClaimIds(claims, now, taskId);
    const capped = claimCapRefusal(held, maxClaims);
    if (capped) return { kind: 'refused', reason: capped };
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            { Update: taskUpdate },
            {
              Put: {
                TableName: this.tableName,
                Item: {
                  ...agentKey,
                  claims: { ...Object.fromEntries(held.map((id) => [id, claims[id]])), [taskId]: lease },
                  version: Number(agent?.version ?? 0) + 1,
                  [TTL_ATTRIBUTE]: Math.floor(leaseUntil.getTime() / 1000) + 86_400,
                },
                ConditionExpression: agent ? 'version = :v' : 'attribute_not_exists(pk)',
                ...(agent ? { ExpressionAttributeValues: { ':v': agent.version } } : {}),
              },
            },
          ],
        }),
      );
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      // Refused by a condition, or another claim of the same task or by the same collector in flight at once.
      const [onTask, onAgent] = (error.CancellationReasons ?? []).map(
        (r) => isConditionFailure(r) || r.Code === 'TransactionConflict',
      );
      if (onTask) return taskRefusal();
      if (onAgent) return { kind: 'refused', reason: 'your claims changed meanwhile; try again' };
      throw error;
    }
    return { kind: 'claimed', task: (await this.getTask(taskId))! };
  }

  async grantAccess(access: AccountAccess): Promise<void> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...access,
            ...accessKey(access.accountId, access.agentId),
            [TTL_ATTRIBUTE]: Math.floor(Date.parse(access.until) / 1000) + 86_400,
          },
          ConditionExpression: 'attribute_not_exists(pk) OR #until < :until',
          ExpressionAttributeNames: { '#until': 'until' },
          ExpressionAttributeValues: { ':until': access.until },
        }),
      );
    } catch (error) {
      // A longer grant stands.
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  async accessOf(accountId: string, agentId: string): Promise<AccountAccess | null> {
    const { Item } = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: accessKey(accountId, agentId),
        ConsistentRead: true,
      }),
    );
    return Item
      ? { accountId, agentId, until: String(Item.until), reason: Item.reason as AccountAccess['reason'] }
      : null;
  }

  /** The collector's list of open calls, written under its version: a lost race reads again (a few times). */
  async openInboundCall(
    agentId: string,
    callId: string,
    until: string,
    now: Date,
    max: number,
  ): Promise<InboundOpened> {
    const key = agentInboundKey(agentId);
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const { Item: item } = await this.db.send(
        new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }),
      );
      const open = openCalls((item?.calls ?? {}) as Record<string, string>, now);
      if (open.length >= max) return { kind: 'refused', open: open.length };
      const calls = Object.fromEntries([...open, [callId, until]]);
      const last = Math.max(...Object.values(calls).map((u) => Date.parse(u)));
      try {
        await this.db.send(
          new PutCommand({
            TableName: this.tableName,
            Item: {
              ...key,
              calls,
              version: Number(item?.version ?? 0) + 1,
              [TTL_ATTRIBUTE]: Math.floor(last / 1000) + 86_400,
            },
            ConditionExpression: item ? 'version = :v' : 'attribute_not_exists(pk)',
            ...(item ? { ExpressionAttributeValues: { ':v': item.version } } : {}),
          }),
        );
        return { kind: 'opened' };
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    }
    throw new TransientError(`collector ${agentId}: inbound calls changed meanwhile, again and again`);
  }

  async markDialled(taskId: string, agentId: string): Promise<ClaimResult> {
    let attributes: Record<string, unknown>;
    try {
      ({ Attributes: attributes = {} } = await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: taskPk(taskId), sk: TASK_SK },
          ReturnValues: 'ALL_NEW',
          UpdateExpression: `SET #status = :dialled REMOVE #q, #s`,
          ConditionExpression: 'claimedBy = :agent AND (#status = :claimed OR #status = :dialled)',
          ExpressionAttributeNames: {
            '#status': 'status',
            '#q': CALL_QUEUE_INDEX.partitionKey,
            '#s': CALL_QUEUE_INDEX.sortKey,
          },
          ExpressionAttributeValues: { ':dialled': 'dialled', ':claimed': 'claimed', ':agent': agentId },
        }),
      ));
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const reason = dialRefusal(await this.getTask(taskId), agentId) ?? 'the task changed meanwhile';
      return { kind: 'refused', reason };
    }
    if (attributes.listed) {
      // The dialled task no longer counts toward the collector's claims (left in the list, it would lapse anyway).
      try {
        await this.db.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: agentClaimsKey(agentId),
            UpdateExpression: 'REMOVE claims.#t',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeNames: { '#t': taskId },
          }),
        );
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    }
    return { kind: 'claimed', task: toTask(attributes) };
  }
}
