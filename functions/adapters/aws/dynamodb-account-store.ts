// The single-table account store on DynamoDB: state with optimistic locking, the PII profile, create-once
// claims, and the append-only audit whose event entries are the outbox. The only code that knows the keys.
import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { TransactionCanceledException, ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import type { AccountState } from '../../domain/account';
import type { RecordEntry } from '../../domain/record';
import type { AccountStore, CallQueue, AccountWrite, PortfolioRow, SaveResult } from '../../ports';
import { phoneKey, taskItem } from '../call-task-items';
import { entryKey, ITEM_ONLY, PROFILE, STATE } from '../item-keys';
import { outboxFields } from './outbox';
import { DynamoCallQueue, isConditionFailure } from './dynamodb-call-queue';
import { accountHash, accountPk, DAILY_FIGURES, portfolioRowOf, STATUS_INDEX } from '../table-schema';
import { addFigures, figuresOf, type DailyFigures } from '../../domain/daily-figures';
import { AccountNotFoundError, TransientError } from '../../errors';

const pad = (n: number, width: number) => String(n).padStart(width, '0');

const shardOf = (accountId: string): number => accountHash(accountId) % STATUS_INDEX.shards;

const stateItem = (state: AccountState) => ({
  ...state,
  pk: accountPk(state.accountId),
  sk: STATE,
  [STATUS_INDEX.partitionKey]: `STATUS#${state.status}#${pad(shardOf(state.accountId), 2)}`,
  [STATUS_INDEX.sortKey]: `BUCKET#${state.bucket}#${state.accountId}`,
  // Flags for the report, projected into the status index (the full plan and placement are not).
  onPlan: Boolean(state.plan),
  placed: Boolean(state.placement),
});

const stripKeys = (item: Record<string, unknown>): AccountState => {
  const {
    pk: _pk,
    sk: _sk,
    [STATUS_INDEX.partitionKey]: _g1,
    [STATUS_INDEX.sortKey]: _g2,
    onPlan: _p,
    placed: _pl,
    ...state
  } = item;
  return state as unknown as AccountState;
};

/** The account store; the call queue over the same table is its base (dynamodb-call-queue.ts). */
export class DynamoAccountStore extends DynamoCallQueue implements AccountStore, CallQueue {
  async getState(accountId: string): Promise<AccountState | null> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: { pk: accountPk(accountId), sk: STATE }, ConsistentRead: true }),
    );
    return Item ? stripKeys(Item) : null;
  }

  async getStates(accountIds: readonly string[]): Promise<Map<string, AccountState>> {
    const ids = [...new Set(accountIds)];
    const items = await this.batchGetAll(
      ids.map((id) => ({ pk: accountPk(id), sk: STATE })),
      true,
    );
    return new Map(items.map((item) => [String(item.accountId), stripKeys(item)]));
  }

  /** BatchGetItem takes 100 keys; what DynamoDB leaves unprocessed (throttling) is asked for again. */
  private async batchGetAll(
    keys: readonly Record<string, unknown>[],
    consistent: boolean,
  ): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    for (let i = 0; i < keys.length; i += 100) {
      let batch: Record<string, unknown>[] | undefined = keys.slice(i, i + 100);
      while (batch?.length) {
        const page: BatchGetCommandOutput = await this.db.send(
          new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: batch, ConsistentRead: consistent } } }),
        );
        items.push(...(page.Responses?.[this.tableName] ?? []));
        batch = page.UnprocessedKeys?.[this.tableName]?.Keys;
      }
    }
    return items;
  }

  async getWithProfile(accountId: string) {
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
    const state = items.find((i) => i.sk === STATE);
    const profile = items.find((i) => i.sk === PROFILE);
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
      ...(profile ? [this.profileUpdate(pk, profile)] : []),
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
      // The report's figures, in the same transaction as what they count (last, so the indexes above hold).
      ...Object.entries(figuresOf(entries, state)).map(([date, counters]) =>
        this.figuresUpdate(date, accountId, counters),
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
      if (oldPhone && oldPhone !== newPhone) await this.unindexPhone(oldPhone, accountId);
      return { kind: 'saved', state };
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const reasons = error.CancellationReasons ?? [];
      const duplicate = creates.findIndex((_, i) => isConditionFailure(reasons[i + 1]));
      if (duplicate >= 0) return { kind: 'duplicate', sk: creates[duplicate]!.sk };
      if (isConditionFailure(reasons[0])) return { kind: 'conflict' };
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

  private figuresUpdate(date: string, accountId: string, counters: Record<string, number>) {
    const names = Object.keys(counters);
    return {
      Update: {
        TableName: this.tableName,
        Key: { pk: DAILY_FIGURES.pk(date), sk: DAILY_FIGURES.sk(accountHash(accountId) % DAILY_FIGURES.shards) },
        UpdateExpression: `ADD ${names.map((_, i) => `#c${i} :c${i}`).join(', ')}`,
        ExpressionAttributeNames: Object.fromEntries(names.map((name, i) => [`#c${i}`, name])),
        ExpressionAttributeValues: Object.fromEntries(names.map((name, i) => [`:c${i}`, counters[name]])),
      },
    };
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
    for (const { pk, sk: _sk, ...counters } of await this.batchGetAll(keys, false)) {
      addFigures((figures[String(pk).slice('DAILY#'.length)] ??= {}), counters as Record<string, number>);
    }
    return figures;
  }

  private profileUpdate(pk: string, profile: Partial<Record<string, unknown>>) {
    const fields = Object.entries(profile).filter(([, value]) => value !== undefined && value !== '');
    return {
      Update: {
        TableName: this.tableName,
        Key: { pk, sk: PROFILE },
        UpdateExpression: `SET ${fields.map((_, i) => `#f${i} = :f${i}`).join(', ')}`,
        ExpressionAttributeNames: Object.fromEntries(fields.map(([name], i) => [`#f${i}`, name])),
        ExpressionAttributeValues: Object.fromEntries(fields.map(([, value], i) => [`:f${i}`, value])),
      },
    };
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

  async record(accountId: string, cycleId: string): Promise<RecordEntry[]> {
    const items = (
      await Promise.all(
        ['EVENT#', 'CONTACT#'].map((prefix) =>
          this.queryAll({
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

  /**
   * Right to erasure: the profile is replaced by a tombstone and free text the customer wrote (dispute
   * reasons) is blanked; state, payments, contacts and the audit stay, and the erasure is recorded.
   */
  async erase(accountId: string, at: Date): Promise<{ erased: string[] }> {
    const pk = accountPk(accountId);
    // State (for its cycle) and the phone to unindex, in one read. Either is enough to erase: an account whose state
    // item is gone still has its contact points to remove.
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
    const found = Responses?.[this.tableName] ?? [];
    const state = found.find((i) => i.sk === STATE);
    const profile = found.find((i) => i.sk === PROFILE);
    if (!state && !profile) throw new AccountNotFoundError(accountId);
    const phone = typeof profile?.phone === 'string' ? profile.phone : null;
    // Free text the customer wrote: a dispute's reason, a late-payment reason's note.
    const withText = (prefix: string, field: string) =>
      this.queryAll({
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        FilterExpression: 'attribute_exists(#text)',
        ExpressionAttributeNames: { '#text': field },
        ExpressionAttributeValues: { ':pk': pk, ':prefix': prefix },
      }).then((items) => items.map((item) => ({ sk: String(item.sk), field })));
    const texts = [...(await withText('DISPUTE#', 'reason')), ...(await withText('REASON#', 'note'))];
    const erasedAt = at.toISOString();
    // Every write names what it changes and overwrites no whole item: the role holds no PutItem (docs/contract.md
    // §10.7).
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { pk, sk: PROFILE },
        UpdateExpression: 'SET #name = :empty, email = :null, phone = :null, erasedAt = :at',
        ExpressionAttributeNames: { '#name': 'name' },
        ExpressionAttributeValues: { ':empty': '', ':null': null, ':at': erasedAt },
      }),
    );
    if (phone) await this.unindexPhone(phone, accountId);
    for (const { sk, field } of texts) {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk, sk },
          UpdateExpression: 'REMOVE #text SET erasedAt = :at',
          ExpressionAttributeNames: { '#text': field },
          ExpressionAttributeValues: { ':at': erasedAt },
        }),
      );
    }
    // The phone index item is named, not its key: the key holds the number.
    const erased = ['PROFILE', ...(phone ? ['PHONE-INDEX'] : []), ...texts.map((item) => item.sk)];
    const entry: RecordEntry = { kind: 'erased', at: erasedAt, items: erased };
    // The record's entry is created once, as every entry is; an update that finds it already there fails.
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { pk, sk: `EVENT#${erasedAt}#ERASURE` },
        UpdateExpression: 'SET #kind = :kind, #at = :at, #items = :items, cycleId = :cycle',
        ExpressionAttributeNames: { '#kind': 'kind', '#at': 'at', '#items': 'items' },
        ExpressionAttributeValues: {
          ':kind': entry.kind,
          ':at': entry.at,
          ':items': entry.items,
          ':cycle': state?.cycleId ?? '',
        },
        ConditionExpression: 'attribute_not_exists(sk)',
      }),
    );
    return { erased };
  }

  /** Removes the account's phone index item for `phone`: its key holds the number, so it cannot stay. */
  private async unindexPhone(phone: string, accountId: string): Promise<void> {
    try {
      await this.db.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: phoneKey(phone, accountId),
          ConditionExpression: 'accountId = :id',
          ExpressionAttributeValues: { ':id': accountId },
        }),
      );
    } catch (error) {
      // Already gone (an erasure or a change retried): nothing of the number is left to remove.
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  async accountsByPhone(phone: string): Promise<string[]> {
    const items = await this.queryAll({
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': phoneKey(phone, '').pk },
    });
    const ids = items.map((item) => String(item.accountId));
    const matching = await Promise.all(
      ids.map(async (id) => ((await this.getWithProfile(id))?.profile.phone === phone ? id : null)),
    );
    return matching.filter((id): id is string => id !== null).sort();
  }

  /** Account ids by status (and bucket), from the report index. */
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
            ExpressionAttributeValues: { ':p': `STATUS#${status}#${pad(shard, 2)}` },
            ExclusiveStartKey,
          }),
        );
        if (page.Items?.length) yield page.Items.map(portfolioRowOf);
        ExclusiveStartKey = page.LastEvaluatedKey;
      } while (ExclusiveStartKey);
    }
  }

  async listByStatus(status: 'open' | 'closed', bucket?: string): Promise<PortfolioRow[]> {
    const shards = Array.from({ length: STATUS_INDEX.shards }, (_, shard) =>
      this.queryAll({
        IndexName: STATUS_INDEX.indexName,
        KeyConditionExpression: bucket ? 'gsi1pk = :p AND begins_with(gsi1sk, :b)' : 'gsi1pk = :p',
        ExpressionAttributeValues: {
          ':p': `STATUS#${status}#${pad(shard, 2)}`,
          ...(bucket ? { ':b': `BUCKET#${bucket}#` } : {}),
        },
      }),
    );
    return (await Promise.all(shards)).flat().map(portfolioRowOf);
  }
}
