// Starts DynamoDB Local once for the whole run, on a free port, and stops it afterwards.
import type { TestProject } from 'vitest/node';
import { startDynamoDbLocal, type LocalDynamo } from '../../workflows/local/dynamodb-local';

let dynamo: LocalDynamo | undefined;

export async function setup(project: TestProject): Promise<void> {
  dynamo = await startDynamoDbLocal();
  project.provide('dynamoEndpoint', dynamo.endpoint);
}

export async function teardown(): Promise<void> {
  await dynamo?.stop();
}

declare module 'vitest' {
  export interface ProvidedContext { dynamoEndpoint: string }
}
