// Real SDK clients against DynamoDB Local, local SES and the local AWS endpoint, on free loopback ports. Each
// client is handed its endpoint, region and credentials: nothing is written to process.env, so stacks side by
// side in one process never see each other's services.
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import { documentClient } from '../../functions/adapters/aws/dynamo-client';
import { DynamoAccountStore } from '../../functions/adapters/aws/dynamodb-account-store';
import { DynamoPersonStore } from '../../functions/adapters/aws/dynamodb-person-store';
import { eventBridgePublisher, newEventBridgeClient } from '../../functions/adapters/aws/eventbridge-publisher';
import { sendOnce } from '../../functions/adapters/aws/send-once';
import { newSesClient, sesEmailSender } from '../../functions/adapters/aws/ses-email-sender';
import { endUserSmsSender, newSmsClient } from '../../functions/adapters/aws/sms-sender';
import { newSqsClient, sqsDeadLetters } from '../../functions/adapters/aws/sqs-dead-letters';
import { newSfnClient, stepFunctionsCallbacks } from '../../functions/adapters/aws/step-functions-callbacks';
import type { MessageSender } from '../../functions/ports';
import { startAwsEndpoint } from './aws-endpoint';
import { createTable } from './create-table';
import { startDynamoDbLocal } from './dynamodb-local';
import { endpointOperations } from './endpoint-operations';
import { DEAD_LETTER_QUEUE_NAME } from './local-dead-letter-queue';
import { startFaultProxy } from './fault-proxy';
import type { Faults } from './faults';
import { senderFor, SMS_FROM, SMS_INBOX_PATH, type Ports, type StackParts } from './local-ports';
import { startLocalSes } from './local-ses';
import { dynamoStreamSource, OutboxRelay } from './outbox-relay';
import { pipePublisher, pipeSource } from './service-iam';
import { LOCAL_ACCOUNT, type SynthesizedWorkflow } from './synthesized-workflow';
import { countDynamoRequests } from './usage';

/** Fake credentials for the local services; nothing here reaches AWS. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };
export const LOCAL_REGION = 'us-east-1';

/** A local client's settings: its endpoint, and quick retries (injected faults must not cost real seconds). */
const at = (endpoint: string) => ({
  endpoint,
  region: LOCAL_REGION,
  credentials: LOCAL_CREDENTIALS,
  retryStrategy: new ConfiguredRetryStrategy(10, 2),
});

export interface AwsLocalOptions {
  dynamoEndpoint?: string;
  faultRate?: number;
}

export const awsLocalPorts = async (
  parts: StackParts,
  options: AwsLocalOptions,
  faults: Faults,
  workflow: SynthesizedWorkflow,
): Promise<Ports> => {
  const dynamo = options.dynamoEndpoint ? undefined : await startDynamoDbLocal();
  const dynamoUrl = options.dynamoEndpoint ?? dynamo!.endpoint;
  const ses = await startLocalSes();
  // Texts have no inbox of their own locally, as emails have local SES's: this one lists what was sent (while the stack
  // keeps outputs).
  // The outbox relay signs as its own role: only it may put the workflow's events out on the bus.
  const outboxCredentials = {
    accessKeyId: `OUTBOX${randomUUID().replace(/-/g, '').toUpperCase()}`,
    secretAccessKey: 'local',
  };
  const endpoint = await startAwsEndpoint(endpointOperations(parts, outboxCredentials.accessKeyId), faults, {
    [SMS_INBOX_PATH]: () => ({ messages: parts.outputs.messages.sms }),
  });
  const proxies = options.faultRate
    ? [await startFaultProxy(dynamoUrl, 'dynamodb', faults), await startFaultProxy(ses.url, 'rest-json', faults)]
    : [];
  const dynamoAt = proxies[0]?.url ?? dynamoUrl;
  const sesAt = proxies[1]?.url ?? ses.url;
  const tableName = `collections-${randomUUID().slice(0, 8)}`;
  const setupClient = new DynamoDBClient({ endpoint: dynamoUrl, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  const streamArn = await createTable(setupClient, tableName);
  setupClient.destroy();
  const dynamoClient = new DynamoDBClient(at(dynamoAt));
  countDynamoRequests(dynamoClient, parts.usage, parts.iam);
  const sender = senderFor(tableName);
  const once = (s: MessageSender) => sendOnce(s, dynamoClient, tableName);
  const deadLetterQueue = `${endpoint.url}/${LOCAL_ACCOUNT}/${DEAD_LETTER_QUEUE_NAME}`;
  return {
    store: new DynamoAccountStore(documentClient(dynamoClient), tableName),
    persons: new DynamoPersonStore(documentClient(dynamoClient), tableName),
    senders: {
      email: once(sesEmailSender(newSesClient(at(sesAt)), sender)),
      sms: once(endUserSmsSender(newSmsClient(at(endpoint.url)), SMS_FROM)),
    },
    callbacks: stepFunctionsCallbacks(newSfnClient(at(endpoint.url)), workflow.stateMachineArn),
    deadLetters: sqsDeadLetters(newSqsClient(at(endpoint.url)), deadLetterQueue),
    // The outbox as the pipe's role may read and publish it.
    relay: new OutboxRelay(
      pipeSource(parts.iam, dynamoStreamSource(new DynamoDBStreamsClient(at(dynamoAt)), streamArn)),
      pipePublisher(
        parts.iam,
        eventBridgePublisher(
          newEventBridgeClient({ ...at(endpoint.url), credentials: outboxCredentials }),
          'collections',
        ),
      ),
    ),
    emails: async () => (await ses.sent()).filter((e) => e.from === sender),
    // Local SES counts the emails it took; the local endpoint's providers count in the outputs.
    messagesSent: async () => ({
      ...parts.outputs.messagesSent,
      email: (await ses.sent()).filter((e) => e.from === sender).length,
    }),
    faults,
    addresses: { awsEndpoint: endpoint.url, ses: ses.url, dynamodb: dynamoUrl, deadLetterQueue, tableName },
    release: () => {},
    close: async () => {
      await Promise.all([endpoint.close(), ses.close(), ...proxies.map((p) => p.close())]);
      await dynamo?.stop();
    },
  };
};
