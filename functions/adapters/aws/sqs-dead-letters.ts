// Sends rejected inbound events to the dead-letter queue with the reason, so nothing is dropped silently; and
// removes an account's messages from it when its personal data is erased.
import { SDK_ATTEMPTS } from './sdk-attempts';
import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
  type SQSClientConfig,
} from '@aws-sdk/client-sqs';
import type { DeadLetterErasure, DeadLetters } from '../../ports';
import { deadLetterBelongsTo } from '../../domain/dead-letter';

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

/** Long enough to read the whole queue before the first message read comes back into view. */
const HOLD_SECONDS = 300;

/** Up to 10 entries per batch request, as SQS allows. */
const inTens = <T>(items: readonly T[]): T[][] =>
  Array.from({ length: Math.ceil(items.length / 10) }, (_, i) => items.slice(i * 10, i * 10 + 10));

/**
 * Reads the queue through (each message held out of view as it is read), deletes the account's messages and
 * puts every other one back in view at once. A dead-letter queue has no consumer, so reading it disturbs
 * nothing but a redrive running at the same moment; a message read twice is taken as the end of the queue.
 */
export const sqsDeadLetterErasure = (client: SQSClient, queueUrl: string): DeadLetterErasure => ({
  async removeAccount(accountId) {
    const removed: string[] = [];
    const others = new Map<string, string>();
    for (;;) {
      const { Messages = [] } = await client.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: 10,
          VisibilityTimeout: HOLD_SECONDS,
          WaitTimeSeconds: 1,
        }),
      );
      const fresh = Messages.filter((m) => m.MessageId && m.ReceiptHandle && !others.has(m.MessageId));
      if (fresh.length === 0) break;
      const mine = fresh.filter((m) => deadLetterBelongsTo(m.Body ?? '', accountId));
      for (const m of fresh) if (!mine.includes(m)) others.set(m.MessageId!, m.ReceiptHandle!);
      for (const batch of inTens(mine)) {
        const { Failed = [] } = await client.send(
          new DeleteMessageBatchCommand({
            QueueUrl: queueUrl,
            Entries: batch.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })),
          }),
        );
        if (Failed.length > 0)
          throw new Error(`dead letters: could not delete ${Failed.map((f) => `${f.Id}: ${f.Code}`).join(', ')}`);
        removed.push(...batch.map((m) => m.MessageId!));
      }
    }
    for (const batch of inTens([...others.values()]))
      await client.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: queueUrl,
          Entries: batch.map((handle, i) => ({ Id: String(i), ReceiptHandle: handle, VisibilityTimeout: 0 })),
        }),
      );
    return removed;
  },
});

/** Retries absorb throttling; `config` lets the local engine point and tune the client. */
export const newSqsClient = (config: SQSClientConfig = {}) => new SQSClient({ maxAttempts: SDK_ATTEMPTS, ...config });
