// Events out (docs/contract.md §2) on the EventBridge bus, source `collections.workflow`: what the local outbox relay
// uses (in AWS, EventBridge Pipes publishes the table's outbox items itself).
import { SDK_ATTEMPTS } from './sdk-attempts';
import { EventBridgeClient, type EventBridgeClientConfig, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { OUTBOX_SOURCE } from './outbox';
import type { EventBus, EventPublisher } from '../../ports';
import { TransientError } from '../../errors';

const BATCH = 10; // PutEvents limit per call.

export const eventBridgePublisher = (client: EventBridgeClient, busName: string): EventPublisher => ({
  async publish(events) {
    for (let i = 0; i < events.length; i += BATCH) {
      const batch = events.slice(i, i + BATCH);
      const result = await client.send(
        new PutEventsCommand({
          Entries: batch.map((e) => ({
            EventBusName: busName,
            Source: OUTBOX_SOURCE,
            DetailType: e.detailType,
            Detail: JSON.stringify(e.detail),
          })),
        }),
      );
      if (result.FailedEntryCount)
        throw new TransientError(`PutEvents: ${result.FailedEntryCount} of ${batch.length} events not accepted`);
    }
  },
});

/** The API's actions: one §1 event per call, its EventBridge id returned to the caller. */
export const eventBridgeBus = (client: EventBridgeClient, busName: string): EventBus => ({
  async put({ source, detailType, detail }) {
    const result = await client.send(
      new PutEventsCommand({
        Entries: [{ EventBusName: busName, Source: source, DetailType: detailType, Detail: JSON.stringify(detail) }],
      }),
    );
    const entry = result.Entries?.[0];
    if (result.FailedEntryCount || !entry?.EventId)
      throw new TransientError(
        `PutEvents: not accepted (${entry?.ErrorCode ?? 'no id'}: ${entry?.ErrorMessage ?? ''})`,
      );
    return { eventId: entry.EventId };
  },
});

/** Retries absorb throttling; `config` lets the local engine point and tune the client. */
export const newEventBridgeClient = (config: EventBridgeClientConfig = {}) =>
  new EventBridgeClient({ maxAttempts: SDK_ATTEMPTS, ...config });
