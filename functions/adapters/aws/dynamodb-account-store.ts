// The single-table account store on DynamoDB: state with optimistic locking, the PII profile, create-once
// claims, and the append-only audit whose event entries are the outbox. The only code that knows the keys.
import {
  BatchGetCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { TransactionCanceledException, ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import type { AccountState } from '../../domain/account';
import type { RecordEntry } from '../../domain/record';
import type {
  AccountAccess,
  AccountStore,
  AccountWrite,
  CallQueue,
  CallTaskItem,
  ClaimResult,
  InboundOpened,
  PortfolioReader,
  PortfolioRow,
  SaveResult,
} from '../../ports';
import { phoneKey, taskItem } from '../call-task-items';
import { entryKey, ITEM_ONLY, PROFILE, STATE } from '../item-keys';
import { outboxFields } from './outbox';
import { DynamoCallQueue, isConditionFailure } from './dynamodb-call-queue';
import { personTaskWrites, readPersonTask } from './dynamodb-person-task';
import type { PersonTaskPointer } from '../../domain/person-call';
import { figuresUpdate, profileUpdate, stateItem, statusShard, stripKeys } from './dynamodb-account-items';
import { eraseAccount, unindexPhone } from './dynamodb-erasure';
import { batchGetAll, queryAll, type TableClient } from './dynamodb-pages';
import { accountPk, DAILY_FIGURES, portfolioRowOf, STATUS_INDEX } from '../table-schema';
import { addFigures, figuresOf, type DailyFigures } from '../../domain/daily-figures';
import { AccountNotFoundError, TransientError } from '../../errors';

/** The account store, and the collectors' call queue over the same table (a DynamoCallQueue it holds). */
export class DynamoAccountStore implements AccountStore, CallQueue, PortfolioReader {
  private readonly table: TableClient;
  private readonly calls: DynamoCallQueue;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {
    this.table = { db, tableName };
    this.calls = new DynamoCallQueue(db, tableName);
  }

  async getState(accountId: string): Promise<AccountState | null> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: { pk: accountPk(accountId), sk: STATE }, ConsistentRead: true }),
    );
    return Item ? stripKeys(Item) : null;
  }

  async getStates(accountIds: readonly string[]): Promise<Map<string, AccountState>> {
    const ids = [...new Set(accountIds)];
    const items = await batchGetAll(
      this.table,
      ids.map((id) => ({ pk: accountPk(id), sk: STATE })),
      true,
    );
    return new Map(items.map((item) => [String(item.accountId), stripKeys(item)]));
  }

  /** The account's state and profile items as stored, in one request (either may be missing). */
  private async stateAndProfile(accountId: string) {
    const pk = accountPk(accountId);
    const { Responses } = await this.db.send(
      new BatchGetCommand({
        RequestItems: {
          [this.tableName]: {
            Keys: [
              { pk, sk: STATE },
              { pk, sk: PROFILE },
            ],
            ConsistentRead: true,
          },
        },
      }),
    );
    const items = Responses?.[this.tableName] ?? [];
    return { state: items.find((i) => i.sk === STATE), profile: items.find((i) => i.sk === PROFILE) };
  }

  async getWithProfile(accountId: string) {
    const { state, profile } = await this.stateAndProfile(accountId);
    if (!state) return null;
    return {
      state: stripKeys(state),
      profile: { name: profile?.name ?? '', email: profile?.email ?? null, phone: profile?.phone ?? null },
    };
  }

  async save(change: AccountWrite): Promise<SaveResult> {
    const { expectedVersion, entries = [], creates = [], profile, callTasks = [] } = change;
    const { accountId, cycleId } = change.state;
    const pk = accountPk(accountId);
    // A new number for an account that had one: the old number's index item goes once the change is written.
    const newPhone = typeof profile?.phone === 'string' && profile.phone ? profile.phone : null;
    const oldPhone = newPhone && expectedVersion !== null ? await this.phoneOnProfile(pk) : null;
    const state = { ...change.state, version: (expectedVersion ?? change.state.version) + 1 };
    const statePut = {
      TableName: this.tableName,
      Item: stateItem(state),
      ConditionExpression: expectedVersion === null ? 'attribute_not_exists(pk)' : 'version = :v',
      ExpressionAttributeValues: expectedVersion === null ? undefined : { ':v': expectedVersion },
    };
    const personTask = change.personTask ? personTaskWrites(this.tableName, change.personTask) : [];
    const items = [
      { Put: statePut },
      ...creates.map(({ sk, attributes }) => ({
        Put: {
          TableName: this.tableName,
          Item: { ...attributes, pk, sk },
          ConditionExpression: 'attribute_not_exists(sk)',
        },
      })),
      ...entries.map((entry, i) => {
        const sk = entryKey(entry, state.version, i);
        return {
          Put: {
            TableName: this.tableName,
            Item: { ...entry, pk, sk, cycleId, ...outboxFields(entry, { accountId, cycleId }, sk) },
            ConditionExpression: 'attribute_not_exists(sk)',
          },
        };
      }),
      ...(profile ? [profileUpdate(this.tableName, pk, profile)] : []),
      ...(typeof profile?.phone === 'string' && profile.phone
        ? [
            // Written field by field, as every unconditioned write here: nothing can replace a whole item.
            {
              Update: {
                TableName: this.tableName,
                Key: phoneKey(profile.phone, accountId),
                UpdateExpression: 'SET accountId = :id',
                ExpressionAttributeValues: { ':id': accountId },
              },
            },
          ]
        : []),
      ...callTasks.map((task) => ({
        Put: { TableName: this.tableName, Item: taskItem(task), ConditionExpression: 'attribute_not_exists(pk)' },
      })),
      ...personTask,
      // The report's figures, in the same transaction as what they count (last, so the indexes above hold).
      ...Object.entries(figuresOf(entries, state)).map(([date, counters]) =>
        figuresUpdate(this.tableName, date, accountId, counters),
      ),
    ];
    // A change of the state alone is one conditional put: a one-item transaction would cost twice the write units.
    if (items.length === 1) {
      try {
        await this.db.send(new PutCommand(statePut));
        return { kind: 'saved', state };
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return { kind: 'conflict' };
        throw error;
      }
    }
    try {
      await this.db.send(new TransactWriteCommand({ TransactItems: items }));
      if (oldPhone && oldPhone !== newPhone) await unindexPhone(this.table, oldPhone, accountId);
      return { kind: 'saved', state };
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const reasons = error.CancellationReasons ?? [];
      const duplicate = creates.findIndex((_, i) => isConditionFailure(reasons[i + 1]));
      if (duplicate >= 0) return { kind: 'duplicate', sk: creates[duplicate]!.sk };
      if (isConditionFailure(reasons[0])) return { kind: 'conflict' };
      // The person's task moved on (made, joined or dialled by someone else): decide again on what it is now.
      const personAt = 1 + creates.length + entries.length + (profile ? 1 : 0) + (newPhone ? 1 : 0) + callTasks.length;
      const moved = (r: { Code?: string } | undefined) => isConditionFailure(r) || r?.Code === 'TransactionConflict';
      if (personTask.some((_, i) => moved(reasons[personAt + i]))) return { kind: 'conflict' };
      // Another change was adding to the same day's figures at that instant: nothing was written; retry later.
      if (reasons.some((r) => r.Code === 'TransactionConflict'))
        throw new TransientError(`account ${accountId}: transaction conflict on shared items`);
      throw error;
    }
  }

  /** The phone on the account's profile now, if any. */
  private async phoneOnProfile(pk: string): Promise<string | null> {
    const { Item } = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { pk, sk: PROFILE },
        ProjectionExpression: 'phone',
        ConsistentRead: true,
      }),
    );
    return typeof Item?.phone === 'string' ? Item.phone : null;
  }

  /** The report's figures for each date, the day's shards summed; a date with nothing recorded is absent. */
  async dailyFigures(dates: readonly string[]): Promise<DailyFigures> {
    const keys = dates.flatMap((date) =>
      Array.from({ length: DAILY_FIGURES.shards }, (_, shard) => ({
        pk: DAILY_FIGURES.pk(date),
        sk: DAILY_FIGURES.sk(shard),
      })),
    );
    const figures: DailyFigures = {};
    for (const { pk, sk: _sk, ...counters } of await batchGetAll(this.table, keys, false)) {
      addFigures((figures[String(pk).slice('DAILY#'.length)] ??= {}), counters as Record<string, number>);
    }
    return figures;
  }

  async parkTaskToken(
    accountId: string,
    token: string,
    expectedVersion: number,
    expiresAt: string,
  ): Promise<'stored' | 'stale'> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: accountPk(accountId), sk: STATE },
          UpdateExpression: 'SET taskToken = :t, tokenExpiresAt = :e, version = version + :one',
          ConditionExpression: 'version = :v AND #status = :open',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':t': token,
            ':e': expiresAt,
            ':v': expectedVersion,
            ':one': 1,
            ':open': 'open',
          },
        }),
      );
      return 'stored';
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return 'stale';
      throw error;
    }
  }

  async getClaim(accountId: string, sk: string): Promise<Record<string, unknown> | null> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: { pk: accountPk(accountId), sk }, ConsistentRead: true }),
    );
    if (!Item) return null;
    const { pk: _pk, sk: _sk, ...fields } = Item;
    return fields;
  }

  personTask(customerId: string): Promise<PersonTaskPointer | null> {
    return readPersonTask(this.db, this.tableName, customerId);
  }

  async record(accountId: string, cycleId: string): Promise<RecordEntry[]> {
    const items = (
      await Promise.all(
        ['EVENT#', 'CONTACT#'].map((prefix) =>
          queryAll(this.table, {
            KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
            FilterExpression: 'cycleId = :c',
            ExpressionAttributeValues: { ':pk': accountPk(accountId), ':prefix': prefix, ':c': cycleId },
          }),
        ),
      )
    ).flat();
    return items
      .sort((a, b) => String(a.at).localeCompare(String(b.at)) || String(a.sk).localeCompare(String(b.sk)))
      .map(
        (item) =>
          Object.fromEntries(Object.entries(item).filter(([name]) => !ITEM_ONLY.has(name))) as unknown as RecordEntry,
      );
  }

  /** Right to erasure (dynamodb-erasure.ts), once the state's cycle and the phone to unindex are read. */
  async erase(accountId: string, at: Date): Promise<{ erased: string[] }> {
    // State (for its cycle) and the phone to unindex, in one read. Either is enough to erase: an account whose state
    // item is gone still has its contact points to remove.
    const { state, profile } = await this.stateAndProfile(accountId);
    if (!state && !profile) throw new AccountNotFoundError(accountId);
    const phone = typeof profile?.phone === 'string' ? profile.phone : null;
    const cycleId = typeof state?.cycleId === 'string' ? state.cycleId : undefined;
    return eraseAccount(this.table, accountId, at, { cycleId, phone });
  }

  async accountsByPhone(phone: string): Promise<string[]> {
    const items = await queryAll(this.table, {
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': phoneKey(phone, '').pk },
    });
    const ids = items.map((item) => String(item.accountId));
    const matching = await Promise.all(
      ids.map(async (id) => ((await this.getWithProfile(id))?.profile.phone === phone ? id : null)),
    );
    return matching.filter((id): id is string => id !== null).sort();
  }

  /** The status index a query page at a time, shard after shard. */
  async *pagesByStatus(status: 'open' | 'closed'): AsyncIterable<PortfolioRow[]> {
    for (let shard = 0; shard < STATUS_INDEX.shards; shard += 1) {
      let ExclusiveStartKey: Record<string, unknown> | undefined;
      do {
        const page = await this.db.send(
          new QueryCommand({
            TableName: this.tableName,
            IndexName: STATUS_INDEX.indexName,
            KeyConditionExpression: 'gsi1pk = :p',
            ExpressionAttributeValues: { ':p': `STATUS#${status}#${statusShard(shard)}` },
            ExclusiveStartKey,
          }),
        );
        if (page.Items?.length) yield page.Items.map(portfolioRowOf);
        ExclusiveStartKey = page.LastEvaluatedKey;
      } while (ExclusiveStartKey);
    }
  }

  /** Account ids by status (and bucket), from the report index. */
  async listByStatus(status: 'open' | 'closed', bucket?: string): Promise<PortfolioRow[]> {
    const shards = Array.from({ length: STATUS_INDEX.shards }, (_, shard) =>
      queryAll(this.table, {
        IndexName: STATUS_INDEX.indexName,
        KeyConditionExpression: bucket ? 'gsi1pk = :p AND begins_with(gsi1sk, :b)' : 'gsi1pk = :p',
        ExpressionAttributeValues: {
          ':p': `STATUS#${status}#${statusShard(shard)}`,
          ...(bucket ? { ':b': `BUCKET#${bucket}#` } : {}),
        },
      }),
    );
    return (await Promise.all(shards)).flat().map(portfolioRowOf);
  }

  // The call queue's part of the store: the same table, its own module (dynamodb-call-queue.ts).

  openTasks(now: Date, limit?: number): Promise<CallTaskItem[]> {
    return this.calls.openTasks(now, limit);
  }

  getTask(taskId: string): Promise<CallTaskItem | null> {
    return this.calls.getTask(taskId);
  }

  claim(taskId: string, agentId: string, now: Date, leaseUntil: Date, maxClaims?: number): Promise<ClaimResult> {
    return this.calls.claim(taskId, agentId, now, leaseUntil, maxClaims);
  }

  markDialled(taskId: string, agentId: string): Promise<ClaimResult> {
    return this.calls.markDialled(taskId, agentId);
  }

  grantAccess(access: AccountAccess): Promise<void> {
    return this.calls.grantAccess(access);
  }

  accessOf(accountId: string, agentId: string): Promise<AccountAccess | null> {
    return this.calls.accessOf(accountId, agentId);
  }

  openInboundCall(agentId: string, callId: string, until: string, now: Date, max: number): Promise<InboundOpened> {
    return this.calls.openInboundCall(agentId, callId, until, now, max);
  }
}
