// Events out (CONTRACT §2) on the EventBridge bus, source `collections.workflow`.
import { EventBridgeClient, type EventBridgeClientConfig, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { EventOut } from '../domain/record';
import type { EventPublisher } from '../shared/ports';
import { TransientError } from '../shared/errors';

export const EVENT_SOURCE = 'collections.workflow';
const BATCH = 10; // PutEvents limit per call.

export const eventBridgePublisher = (client: EventBridgeClient, busName: string): EventPublisher => ({
  async publish(events) {
    for (let i = 0; i < events.length; i += BATCH) {
      const batch = events.slice(i, i + BATCH);
      const result = await client.send(new PutEventsCommand({
        Entries: batch.map((e) => ({ EventBusName: busName, Source: EVENT_SOURCE, DetailType: e.detailType, Detail: JSON.stringify(e.detail) })),
      }));
      if (result.FailedEntryCount) throw new TransientError(`PutEvents: ${result.FailedEntryCount} of ${batch.length} events not accepted`);
    }
  },
});

/** Retries absorb throttling; `config` lets the local engine point and tune the client. */
export const newEventBridgeClient = (config: EventBridgeClientConfig = {}) => new EventBridgeClient({ maxAttempts: 8, ...config });
