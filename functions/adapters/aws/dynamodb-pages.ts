// Reads that take more than one request on the account table: every page of a query, every batch of a get.
import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  QueryCommand,
  type DynamoDBDocumentClient,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';

/** The table a read goes to, and the client it goes through. */
export interface TableClient {
  db: DynamoDBDocumentClient;
  tableName: string;
}

/** Every page of a query, or pages until `Limit` items are in. */
export const queryAll = async (
  { db, tableName }: TableClient,
  query: Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>,
): Promise<Record<string, unknown>[]> => {
  const items: Record<string, unknown>[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await db.send(new QueryCommand({ ...query, TableName: tableName, ExclusiveStartKey }));
    items.push(...(page.Items ?? []));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey && (query.Limit === undefined || items.length < query.Limit));
  return items;
};

/** BatchGetItem takes 100 keys; what DynamoDB leaves unprocessed (throttling) is asked for again. */
export const batchGetAll = async (
  { db, tableName }: TableClient,
  keys: readonly Record<string, unknown>[],
  consistent: boolean,
): Promise<Record<string, unknown>[]> => {
  const items: Record<string, unknown>[] = [];
  for (let i = 0; i < keys.length; i += 100) {
    let batch: Record<string, unknown>[] | undefined = keys.slice(i, i + 100);
    while (batch?.length) {
      const page: BatchGetCommandOutput = await db.send(
        new BatchGetCommand({ RequestItems: { [tableName]: { Keys: batch, ConsistentRead: consistent } } }),
      );
      items.push(...(page.Responses?.[tableName] ?? []));
      batch = page.UnprocessedKeys?.[tableName]?.Keys;
    }
  }
  return items;
};
