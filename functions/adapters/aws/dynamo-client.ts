// The DynamoDB clients handlers share. Endpoint and region come from the standard AWS environment
// (AWS_ENDPOINT_URL_DYNAMODB points them at DynamoDB Local).
import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** Retries absorb throttling and timeouts; conditional writes make a retried write safe. */
export const newDynamoClient = (config: DynamoDBClientConfig = {}) => new DynamoDBClient({ maxAttempts: 8, ...config });

export const documentClient = (client: DynamoDBClient = newDynamoClient()): DynamoDBDocumentClient =>
  DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
