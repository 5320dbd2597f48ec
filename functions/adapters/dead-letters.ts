// Sends rejected inbound events to the dead-letter queue with the reason, so nothing is dropped silently.
import { SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';
import type { DeadLetters } from '../shared/ports';

export const sqsDeadLetters = (client: SQSClient, queueUrl: string): DeadLetters => ({
  async reject(body, reason) {
    await client.send(new SendMessageCommand({
      QueueUrl: queueUrl,
      MessageBody: body,
      MessageAttributes: { reason: { DataType: 'String', StringValue: reason.slice(0, 1000) } },
    }));
  },
});

export const newSqsClient = () => new SQSClient({ maxAttempts: 8 });
