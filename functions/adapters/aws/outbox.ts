// The outbox: an audit entry that announces an event out carries it, written in the state change's own
// transaction. The table's stream publishes it: in AWS through EventBridge Pipes (this filter and target
// shape), locally through the relay that reads DynamoDB Local's stream with the same filter.
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { eventOutFor, type RecordEntry } from '../../domain/record';
import type { PublishedEvent } from '../../ports';

export const OUTBOX_SOURCE = 'collections.workflow';

/** The Pipes filter: new items that carry an event out. Other writes (state, claims, tokens) pass by. */
export const OUTBOX_FILTER = {
  eventName: ['INSERT'],
  dynamodb: { NewImage: { eventType: { S: [{ exists: true }] } } },
} as const;

/** The Pipes target: detail-type and detail straight from the item (the detail is stored as JSON text). */
export const OUTBOX_TARGET = {
  detailTypePath: '$.dynamodb.NewImage.eventType.S',
  inputTemplate: '<$.dynamodb.NewImage.eventDetail.S>',
} as const;

/** The event id is the item's key: the same across retries and stream redeliveries, so consumers can dedupe. */
export const eventIdOf = (accountId: string, sk: string): string => `${accountId}/${sk}`;

/** The attributes an entry item gets when the entry announces an event out. */
export const outboxFields = (
  entry: RecordEntry,
  ids: { accountId: string; cycleId: string },
  sk: string,
): { eventType?: string; eventDetail?: string } => {
  const event = eventOutFor(entry, ids);
  if (!event) return {};
  return {
    eventType: event.detailType,
    eventDetail: JSON.stringify({ ...event.detail, eventId: eventIdOf(ids.accountId, sk) }),
  };
};

type Pattern = { readonly [key: string]: Pattern | readonly (string | { readonly exists: boolean })[] };

/** EventBridge pattern matching for the shapes the outbox filter uses: value lists and `exists`. */
export const matchesPattern = (pattern: Pattern, value: unknown): boolean =>
  Object.entries(pattern).every(([key, expected]) => {
    const actual = (value as Record<string, unknown> | null | undefined)?.[key];
    if (!Array.isArray(expected)) return matchesPattern(expected as Pattern, actual);
    return expected.some((option) =>
      typeof option === 'string' ? actual === option : option.exists === (actual !== undefined),
    );
  });

export interface StreamRecord {
  eventName?: string;
  dynamodb?: { NewImage?: Record<string, AttributeValue> };
}

/** What Pipes would put on the bus for one stream record, or null when the filter drops it. */
export const eventFromStreamRecord = (record: StreamRecord): PublishedEvent | null => {
  if (!matchesPattern(OUTBOX_FILTER, record)) return null;
  const image = record.dynamodb!.NewImage!;
  return {
    detailType: String(image.eventType!.S),
    detail: JSON.parse(String(image.eventDetail?.S ?? '{}')) as Record<string, unknown>,
  };
};
