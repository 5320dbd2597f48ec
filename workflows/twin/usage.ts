// Usage metering of a local run: invocations and time per function, DynamoDB requests per operation and per
// handler, and the read and write units they consumed. What the cost estimate and the benchmark read.
import { AsyncLocalStorage } from 'node:async_hooks';
import { emptyLoad, noteDailyWrites, notePersonWrites, type LoadTimeline } from './load-timeline';
import type { TemplateIam } from './stack-iam';
import { actionsOfRequest, indexOfRequest, itemKeysOfRequest, partitionsOfRequest, refuseUngranted } from './table-iam';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/** Calls per function, DynamoDB requests per operation and per handler: what the cost estimate and benchmark read. */
export interface Usage {
  invocations: Record<string, number>;
  handlerMs: Record<string, number>;
  dynamo: Record<string, number>;
  dynamoByHandler: Record<string, number>;
  /** Read and write units the handlers' requests consumed, as DynamoDB Local reports them. */
  dynamoUnits: { read: number; write: number };
  /** When in virtual time the run loaded what AWS limits: what the capacity model reads. */
  load: LoadTimeline;
}

export const emptyUsage = (): Usage => ({
  invocations: {},
  handlerMs: {},
  dynamo: {},
  dynamoByHandler: {},
  dynamoUnits: { read: 0, write: 0 },
  load: emptyLoad(),
});

/** The handler an SDK call is made for, and what it wrote, carried through the async chain. */
export interface Invocation {
  name: string;
  wrote: boolean;
  wroteOutbox: boolean;
  /** The virtual time it ran at (epoch ms). */
  at: number;
}
const currentInvocation = new AsyncLocalStorage<Invocation>();

/** The function whose invocation is running here, if any: whose role a call is made under. */
export const currentFunction = (): string | undefined => currentInvocation.getStore()?.name;

/** Runs a handler's invocation so that the requests it makes are counted as its own. */
export const runAs = <T>(invocation: Invocation, work: () => Promise<T>): Promise<T> =>
  currentInvocation.run(invocation, work);

/** Whether a write request puts an item that carries an event out (the outbox). */
const putsOutbox = (operation: string, input: Record<string, unknown>): boolean => {
  if (operation === 'PutItem') return (input.Item as Record<string, unknown> | undefined)?.eventType !== undefined;
  if (operation !== 'TransactWriteItems') return false;
  return ((input.TransactItems ?? []) as { Put?: { Item?: Record<string, unknown> } }[]).some(
    (t) => t.Put?.Item?.eventType !== undefined,
  );
};

const READS = new Set(['GetItem', 'BatchGetItem', 'Query', 'Scan', 'TransactGetItems']);
const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems']);

/** Capacity units from a response: one object for single-item calls, one per table for batches and transactions. */
const unitsOf = (consumed: unknown): number =>
  [consumed]
    .flat()
    .reduce((sum: number, c) => sum + Number((c as { CapacityUnits?: number } | undefined)?.CapacityUnits ?? 0), 0);

/**
 * Counts a store request by operation and by the handler that made it, once the handler's role may make it (`iam`,
 * the template's). A write that took effect (not one refused by its condition) marks the invocation as having
 * written, and as having written outbox items.
 */
export const recordRequest = (
  usage: Usage,
  iam: TemplateIam,
  operation: string,
  actions: readonly string[] = [operation],
  index?: string,
  partitions?: readonly string[],
): Invocation | undefined => {
  const invocation = currentInvocation.getStore();
  // Before it counts or reaches the store: a request the function's role may not make never happens.
  refuseUngranted(iam, invocation?.name, actions, index, partitions);
  usage.dynamo[operation] = (usage.dynamo[operation] ?? 0) + 1;
  usage.dynamoByHandler[invocation?.name ?? 'other'] = (usage.dynamoByHandler[invocation?.name ?? 'other'] ?? 0) + 1;
  return invocation;
};

export const noteWrite = (invocation: Invocation | undefined, outbox: boolean) => {
  if (!invocation) return;
  invocation.wrote = true;
  invocation.wroteOutbox ||= outbox;
};

/** Counts the DAILY# shard items (by sort key) a handler's write that took effect added to. */
export const noteDailyWritesOf = (usage: Usage, invocation: Invocation | undefined, shards: readonly string[]) => {
  if (invocation && shards.length > 0) noteDailyWrites(usage.load, shards, invocation.at);
};

/** Counts the PERSON# partitions a handler's write that took effect wrote to (for the capacity model). */
export const notePersonWritesOf = (
  usage: Usage,
  invocation: Invocation | undefined,
  partitions: readonly string[] | undefined,
) => {
  if (invocation && partitions?.length) notePersonWrites(usage.load, partitions, invocation.at);
};

/** The DAILY# items a table request writes: their sort keys. */
const dailyShardsOf = (operation: string, input: Record<string, unknown>): string[] =>
  itemKeysOfRequest(operation, input)
    .filter((key) => key.pk.startsWith('DAILY#'))
    .map((key) => key.sk);

/**
 * Counts every DynamoDB request, and, for the handlers' requests, the read and write units DynamoDB Local
 * reports as consumed (the same units on-demand bills); a handler's request only once its role may make it.
 */
export const countDynamoRequests = (client: DynamoDBClient, usage: Usage, iam: TemplateIam) => {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const operation = String(context.commandName ?? 'unknown').replace(/Command$/, '');
      const invocation = recordRequest(
        usage,
        iam,
        operation,
        actionsOfRequest(operation, args.input as never),
        indexOfRequest(args.input as never),
        partitionsOfRequest(operation, args.input as never),
      );
      const kind = READS.has(operation) ? 'read' : WRITES.has(operation) ? 'write' : null;
      if (!invocation || !kind) return next(args);
      (args.input as Record<string, unknown>).ReturnConsumedCapacity = 'TOTAL';
      const result = await next(args);
      if (kind === 'write') {
        noteWrite(invocation, putsOutbox(operation, args.input as Record<string, unknown>));
        noteDailyWritesOf(usage, invocation, dailyShardsOf(operation, args.input as Record<string, unknown>));
        notePersonWritesOf(usage, invocation, partitionsOfRequest(operation, args.input as never));
      }
      usage.dynamoUnits[kind] += unitsOf((result.output as { ConsumedCapacity?: unknown }).ConsumedCapacity);
      return result;
    },
    { step: 'initialize', name: 'countRequests' },
  );
};
