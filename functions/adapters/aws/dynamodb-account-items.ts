// The account store's items as DynamoDB holds them: the state with its status-index keys, and the update requests
// that add to a day's figures and set the profile field by field.
import type { AccountState } from '../../domain/account';
import { PROFILE, STATE } from '../item-keys';
import { accountHash, accountPk, DAILY_FIGURES, STATUS_INDEX } from '../table-schema';

/** A status-index shard, two digits wide (`STATUS#open#07`). */
export const statusShard = (shard: number): string => String(shard).padStart(2, '0');

const shardOf = (accountId: string): number => accountHash(accountId) % STATUS_INDEX.shards;

export const stateItem = (state: AccountState) => ({
  ...state,
  pk: accountPk(state.accountId),
  sk: STATE,
  [STATUS_INDEX.partitionKey]: `STATUS#${state.status}#${statusShard(shardOf(state.accountId))}`,
  [STATUS_INDEX.sortKey]: `BUCKET#${state.bucket}#${state.accountId}`,
  // Flags for the report, projected into the status index (the full plan and placement are not).
  onPlan: Boolean(state.plan),
  placed: Boolean(state.placement),
});

/** The state an item holds, without its keys and index flags. */
export const stripKeys = (item: Record<string, unknown>): AccountState => {
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

/** Adds a change's counters to the account's shard of the day's figures. */
export const figuresUpdate = (tableName: string, date: string, accountId: string, counters: Record<string, number>) => {
  const names = Object.keys(counters);
  return {
    Update: {
      TableName: tableName,
      Key: { pk: DAILY_FIGURES.pk(date), sk: DAILY_FIGURES.sk(accountHash(accountId) % DAILY_FIGURES.shards) },
      UpdateExpression: `ADD ${names.map((_, i) => `#c${i} :c${i}`).join(', ')}`,
      ExpressionAttributeNames: Object.fromEntries(names.map((name, i) => [`#c${i}`, name])),
      ExpressionAttributeValues: Object.fromEntries(names.map((name, i) => [`:c${i}`, counters[name]])),
    },
  };
};

/** Sets the profile's given fields (an empty or missing one is left as it is). */
export const profileUpdate = (tableName: string, pk: string, profile: Partial<Record<string, unknown>>) => {
  const fields = Object.entries(profile).filter(([, value]) => value !== undefined && value !== '');
  return {
    Update: {
      TableName: tableName,
      Key: { pk, sk: PROFILE },
      UpdateExpression: `SET ${fields.map((_, i) => `#f${i} = :f${i}`).join(', ')}`,
      ExpressionAttributeNames: Object.fromEntries(fields.map(([name], i) => [`#f${i}`, name])),
      ExpressionAttributeValues: Object.fromEntries(fields.map(([, value], i) => [`:f${i}`, value])),
    },
  };
};
