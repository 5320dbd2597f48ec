// A fresh table per test file in the shared DynamoDB Local, with real SDK clients pointed at it.
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { documentClient } from '../../functions/adapters/aws/dynamo-client';
import { createTable } from '../../workflows/twin/create-table';
import { dynamoEndpoint } from './dynamo';

export const localTable = async () => {
  const client = new DynamoDBClient({ endpoint: await dynamoEndpoint(), maxAttempts: 3 });
  const tableName = `collections-${randomUUID()}`;
  await createTable(client, tableName);
  return { client, doc: documentClient(client), tableName };
};
