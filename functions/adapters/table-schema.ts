// The one definition of the table's keys and index, read by the CDK stack and the local/test set-up.
export const TABLE_KEYS = { partitionKey: 'pk', sortKey: 'sk' } as const;

/** Open/closed accounts by bucket, for reports. Sharded so no single index partition runs hot. */
export const STATUS_INDEX = {
  indexName: 'byStatusBucket',
  partitionKey: 'gsi1pk',
  sortKey: 'gsi1sk',
  /** Only what a report row needs; a state write that leaves these alone costs the index nothing. */
  nonKeyAttributes: ['accountId', 'cycleId', 'closeReason', 'collected', 'amountDue', 'escalationLevel'],
  shards: 16,
} as const;

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
