// The one definition of the table's keys and index, read by the CDK stack and the local/test set-up.
import type { PortfolioRow } from '../ports';

export const TABLE_KEYS = { partitionKey: 'pk', sortKey: 'sk' } as const;

/** Open/closed accounts by bucket, for reports. Sharded so no single index partition runs hot. */
export const STATUS_INDEX = {
  indexName: 'byStatusBucket',
  partitionKey: 'gsi1pk',
  sortKey: 'gsi1sk',
  /** Only what a report row needs; a state write that leaves these alone costs the index nothing. */
  nonKeyAttributes: [
    'accountId',
    'cycleId',
    'closeReason',
    'collected',
    'amountDue',
    'currency',
    'escalationLevel',
    'onPlan',
    'placed',
    'courtesy',
  ],
  shards: 16,
} as const;

/**
 * The report's per-day aggregate items (docs/contract.md §8): counters added in each change's own transaction.
 * Sharded by account, so concurrent changes seldom meet on one item; a report sums the shards of a day.
 */
export const DAILY_FIGURES = {
  shards: 8,
  pk: (date: string) => `DAILY#${date}`,
  sk: (shard: number) => `SHARD#${String(shard).padStart(2, '0')}`,
} as const;

/** A stable small hash of an account id, for spreading its items over shards. */
export const accountHash = (accountId: string): number => {
  let hash = 0;
  for (const char of accountId) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return hash;
};

/** The row a state item shows in the status index (the stores write these derived flags with the state). */
export const portfolioRowOf = (item: Record<string, unknown>): PortfolioRow => ({
  accountId: String(item.accountId),
  cycleId: String(item.cycleId),
  bucket: String(item.bucket ?? String(item.gsi1sk ?? '').split('#')[1]),
  closeReason: (item.closeReason as string | null | undefined) ?? null,
  collected: Number(item.collected ?? 0),
  amountDue: Number(item.amountDue ?? 0),
  currency: String(item.currency ?? ''),
  escalationLevel: Number(item.escalationLevel ?? 0),
  onPlan: Boolean(item.onPlan ?? item.plan),
  placed: Boolean(item.placed ?? item.placement),
  courtesy: Boolean(item.courtesy),
});

export const accountPk = (accountId: string): string => `ACCOUNT#${accountId}`;

/** Items with this attribute (epoch seconds) expire on their own: the send-once records. */
export const TTL_ATTRIBUTE = 'expiration';

/** The collectors' call queue: open task items by the end of their window (sparse: dialled tasks leave it). */
export const CALL_QUEUE_INDEX = {
  indexName: 'callQueue',
  partitionKey: 'queue',
  sortKey: 'queueSk',
  open: 'OPEN',
} as const;
