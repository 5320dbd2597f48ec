// DynamoDB Local for one test file: started on first use, stopped after the file. A shared instance would
// slow every later file, because DynamoDB Local's streams make each write slower as they grow.
import { afterAll } from 'vitest';
import { startDynamoDbLocal, type LocalDynamo } from '../../workflows/twin/dynamodb-local';

let started: Promise<LocalDynamo> | undefined;

export const dynamoEndpoint = async (): Promise<string> => (await (started ??= startDynamoDbLocal())).endpoint;

afterAll(async () => {
  if (started) await (await started).stop();
});
