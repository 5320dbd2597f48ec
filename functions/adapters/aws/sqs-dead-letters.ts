// Sends rejected inbound events to the dead-letter queue with the reason, so nothing is dropped silently.
import { SDK_ATTEMPTS } from './sdk-attempts';
import { SQSClient, type SQSClientConfig, SendMessageCommand } from '@aws-sdk/client-sqs';
import type { DeadLetters } from '../../ports';

export const sqsDeadLetters = (client: SQSClient, queueUrl: string): DeadLetters => ({
  async reject(body, reason) {
    await client.send(
      new SendMessageCommand({
        QueueUrl: queueUrl,
        MessageBody: body,
        MessageAttributes: { reason: { DataType: 'String', StringValue: reason.slice(0, 1000) } },
      }),
    );
  },
});

/** Retries absorb throttling; `config` lets the local engine point and tune the client. */
export const newSqsClient = (config: SQSClientConfig = {}) => new SQSClient({ maxAttempts: SDK_ATTEMPTS, ...config });
