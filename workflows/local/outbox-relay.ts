// Publishes the outbox locally as EventBridge Pipes does in AWS: reads DynamoDB Local's stream, keeps the
// records the outbox filter matches, and puts their events on the (local) bus. A failed publish is kept
// and tried again: the record says the event happened, so it is never dropped.
import { DescribeStreamCommand, GetRecordsCommand, GetShardIteratorCommand, type DynamoDBStreamsClient, type GetRecordsCommandOutput } from '@aws-sdk/client-dynamodb-streams';
import { eventFromStreamRecord, type StreamRecord } from '../../functions/adapters/outbox';
import type { EventPublisher, PublishedEvent } from '../../functions/ports';

const GET_RECORDS_LIMIT = 1000;

export class OutboxRelay {
  /** Open shards and where reading goes on in each. */
  private readonly iterators = new Map<string, string>();
  private readonly seenShards = new Set<string>();
  private unpublished: PublishedEvent[] = [];
  private waiters: (() => void)[] = [];
  private pumping = false;
  /** Records read from the stream, and publishes that failed and were tried again. */
  readonly stats = { records: 0, published: 0, retriedPublishes: 0 };

  constructor(private readonly streams: DynamoDBStreamsClient, private readonly streamArn: string, private readonly publisher: EventPublisher) {}

  /** Resolves once everything written before the call has been published. */
  drain(): Promise<void> {
    return new Promise((resolve) => {
      this.waiters.push(resolve);
      if (!this.pumping) void this.pump();
    });
  }

  private async pump(): Promise<void> {
    this.pumping = true;
    try {
      while (this.waiters.length > 0) {
        const served = this.waiters.splice(0);
        // Only a full pass that began after a waiter arrived can answer it.
        for (;;) {
          try {
            await this.pass();
            break;
          } catch {
            this.stats.retriedPublishes += 1;
            await new Promise((resolve) => setTimeout(resolve, 5));
          }
        }
        for (const resolve of served) resolve();
      }
    } finally {
      this.pumping = false;
    }
  }

  private async pass(): Promise<void> {
    if (this.iterators.size === 0) await this.discoverShards();
    for (const [shardId, iterator] of [...this.iterators]) {
      let next: string | undefined = iterator;
      for (;;) {
        const page: GetRecordsCommandOutput = await this.streams.send(new GetRecordsCommand({ ShardIterator: next, Limit: GET_RECORDS_LIMIT }));
        const records = page.Records ?? [];
        this.stats.records += records.length;
        for (const record of records) {
          const event = eventFromStreamRecord(record as StreamRecord);
          if (event) this.unpublished.push(event);
        }
        next = page.NextShardIterator;
        if (!next) {
          // The shard closed: its children carry on.
          this.iterators.delete(shardId);
          await this.discoverShards();
          break;
        }
        this.iterators.set(shardId, next);
        // A page short of the limit means the shard was read up to the moment of the call.
        if (records.length < GET_RECORDS_LIMIT) break;
      }
    }
    if (this.unpublished.length > 0) {
      const batch = this.unpublished;
      await this.publisher.publish(batch);
      this.unpublished = this.unpublished.slice(batch.length);
      this.stats.published += batch.length;
    }
  }

  private async discoverShards(): Promise<void> {
    const { StreamDescription } = await this.streams.send(new DescribeStreamCommand({ StreamArn: this.streamArn }));
    for (const shard of StreamDescription?.Shards ?? []) {
      const shardId = shard.ShardId!;
      if (this.seenShards.has(shardId)) continue;
      this.seenShards.add(shardId);
      const { ShardIterator } = await this.streams.send(new GetShardIteratorCommand({ StreamArn: this.streamArn, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' }));
      if (ShardIterator) this.iterators.set(shardId, ShardIterator);
    }
  }
}
