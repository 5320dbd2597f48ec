// The DynamoDB clients handlers share. Endpoint and region come from the standard AWS environment
// (the local stack hands them its DynamoDB Local endpoint instead).
import { SDK_ATTEMPTS } from './sdk-attempts';
import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** Retries absorb throttling and timeouts; conditional writes make a retried write safe. */
export const newDynamoClient = (config: DynamoDBClientConfig = {}) =>
  new DynamoDBClient({ maxAttempts: SDK_ATTEMPTS, ...config });

export const documentClient = (client: DynamoDBClient = newDynamoClient()): DynamoDBDocumentClient =>
  DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
