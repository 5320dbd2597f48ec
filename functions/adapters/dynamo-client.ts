// The DynamoDB document client every handler shares. Endpoint and region come from the standard
// AWS environment (AWS_ENDPOINT_URL_DYNAMODB points it at DynamoDB Local).
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** Retries absorb throttling and timeouts; conditional writes make a retried write safe. */
const MAX_ATTEMPTS = 8;

export const documentClient = (client = new DynamoDBClient({ maxAttempts: MAX_ATTEMPTS })): DynamoDBDocumentClient =>
  DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
