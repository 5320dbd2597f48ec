// Creates the collections table locally from the same schema the CDK stack deploys.
import { CreateTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CALL_QUEUE_INDEX, STATUS_INDEX, TABLE_KEYS } from '../../functions/adapters/table-schema';

/** Returns the table's stream ARN: local runs publish the outbox from it, as Pipes does in AWS. */
export const createTable = async (client: DynamoDBClient, tableName: string): Promise<string> => {
  const { TableDescription } = await client.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
      AttributeDefinitions: [
        TABLE_KEYS.partitionKey,
        TABLE_KEYS.sortKey,
        STATUS_INDEX.partitionKey,
        STATUS_INDEX.sortKey,
        CALL_QUEUE_INDEX.partitionKey,
        CALL_QUEUE_INDEX.sortKey,
      ].map((AttributeName) => ({ AttributeName, AttributeType: 'S' })),
      KeySchema: [
        { AttributeName: TABLE_KEYS.partitionKey, KeyType: 'HASH' },
        { AttributeName: TABLE_KEYS.sortKey, KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: STATUS_INDEX.indexName,
          KeySchema: [
            { AttributeName: STATUS_INDEX.partitionKey, KeyType: 'HASH' },
            { AttributeName: STATUS_INDEX.sortKey, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: [...STATUS_INDEX.nonKeyAttributes] },
        },
        {
          IndexName: CALL_QUEUE_INDEX.indexName,
          KeySchema: [
            { AttributeName: CALL_QUEUE_INDEX.partitionKey, KeyType: 'HASH' },
            { AttributeName: CALL_QUEUE_INDEX.sortKey, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
    }),
  );
  return TableDescription!.LatestStreamArn!;
};
