// Publishes the outbox locally as EventBridge Pipes does in AWS: reads the table's change stream (DynamoDB
// Local's stream, or the in-process store's change feed), keeps the records the outbox filter matches, and
// puts their events on the (local) bus. A failed publish is kept and tried again: the record says the
// event happened, so it is never dropped. A pass the pipe's role may not make (service-iam.ts) is not tried again at
// once: the pipe fails, its events stay unpublished, and the next drain tries again.
import {
  DescribeStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type DynamoDBStreamsClient,
  type GetRecordsCommandOutput,
} from '@aws-sdk/client-dynamodb-streams';
import { eventFromStreamRecord, type StreamRecord } from '../../functions/adapters/aws/outbox';
import type { EventPublisher, PublishedEvent } from '../../functions/ports';

const GET_RECORDS_LIMIT = 1000;

/** Stream records written since the last call. */
export type ChangeSource = () => Promise<StreamRecord[]>;

/** DynamoDB Local's stream as a change source: every shard read from its start, children followed when one closes. */
export const dynamoStreamSource = (streams: DynamoDBStreamsClient, streamArn: string): ChangeSource => {
  const iterators = new Map<string, string>();
  const seenShards = new Set<string>();
  // Records already read but not yet handed over: a read that fails half-way loses none of them.
  let buffer: StreamRecord[] = [];
  const discoverShards = async () => {
    const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
    for (const shard of StreamDescription?.Shards ?? []) {
      const shardId = shard.ShardId!;
      if (seenShards.has(shardId)) continue;
      seenShards.add(shardId);
      const { ShardIterator } = await streams.send(
        new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' }),
      );
      if (ShardIterator) iterators.set(shardId, ShardIterator);
    }
  };
  return async () => {
    if (iterators.size === 0) await discoverShards();
    for (const [shardId, iterator] of [...iterators]) {
      let next: string | undefined = iterator;
      for (;;) {
        const page: GetRecordsCommandOutput = await streams.send(
          new GetRecordsCommand({ ShardIterator: next, Limit: GET_RECORDS_LIMIT }),
        );
        const got = page.Records ?? [];
        buffer.push(...(got as StreamRecord[]));
        next = page.NextShardIterator;
        if (!next) {
          // The shard closed: its children carry on.
          iterators.delete(shardId);
          await discoverShards();
          break;
        }
        iterators.set(shardId, next);
        // A page short of the limit means the shard was read up to the moment of the call.
        if (got.length < GET_RECORDS_LIMIT) break;
      }
    }
    const records = buffer;
    buffer = [];
    return records;
  };
};

export class OutboxRelay {
  private unpublished: PublishedEvent[] = [];
  private waiters: (() => void)[] = [];
  private pumping = false;
  /**
   * Records read from the stream, events published, publishes that failed and were tried again, and passes refused
   * by IAM.
   */
  readonly stats = { records: 0, published: 0, retriedPublishes: 0, denied: 0, lastError: '' };

  constructor(
    private readonly source: ChangeSource,
    private readonly publisher: EventPublisher,
  ) {}

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
          } catch (error) {
            this.stats.lastError = `${(error as Error).name}: ${(error as Error).message}`;
            if ((error as Error).name === 'AccessDeniedException') {
              this.stats.denied += 1;
              break;
            }
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
    const records = await this.source();
    this.stats.records += records.length;
    for (const record of records) {
      const event = eventFromStreamRecord(record);
      if (event) this.unpublished.push(event);
    }
    if (this.unpublished.length === 0) return;
    const batch = this.unpublished;
    await this.publisher.publish(batch);
    this.unpublished = this.unpublished.slice(batch.length);
    this.stats.published += batch.length;
  }
}
