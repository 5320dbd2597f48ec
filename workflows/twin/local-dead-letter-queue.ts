// The local dead-letter queue, kept in the run's outputs, as the local AWS endpoint answers it in SQS's JSON
// protocol: SendMessage for the intake's rejects; ReceiveMessage, DeleteMessageBatch and
// ChangeMessageVisibilityBatch for an erasure (the SQS adapter's, proven against it).
import { createHash, randomUUID } from 'node:crypto';
import { AwsError } from './aws-endpoint';
import type { StackOutputs } from './outputs';

/** The one queue the local stack has: its URL ends so (the account, then the name). */
export const DEAD_LETTER_QUEUE_NAME = 'collections-dead-letters';

const md5 = (text: string) => createHash('md5').update(text).digest('hex');

const queueOf = (request: Record<string, unknown>) => {
  const url = String(request.QueueUrl ?? '');
  if (!url.endsWith(`/${DEAD_LETTER_QUEUE_NAME}`))
    throw new AwsError('QueueDoesNotExist', `The specified queue does not exist: ${url}`);
};

interface BatchEntry {
  Id?: string;
  ReceiptHandle?: string;
  VisibilityTimeout?: number;
}

/** Each entry done or failed, as SQS answers a batch (a receipt handle here is the message id). */
const batch = (request: Record<string, unknown>, act: (entry: BatchEntry) => boolean) => {
  queueOf(request);
  const entries = (request.Entries ?? []) as BatchEntry[];
  if (entries.length < 1 || entries.length > 10)
    throw new AwsError(
      'TooManyEntriesInBatchRequest',
      `Maximum number of entries per request are 10 (got ${entries.length})`,
    );
  const done = entries.map((entry) => ({ entry, ok: act(entry) }));
  return {
    Successful: done.filter((d) => d.ok).map((d) => ({ Id: d.entry.Id })),
    Failed: done
      .filter((d) => !d.ok)
      .map((d) => ({ Id: d.entry.Id, SenderFault: true, Code: 'ReceiptHandleIsInvalid', Message: 'no such message' })),
  };
};

export const deadLetterQueueOperations = (outputs: StackOutputs) => ({
  'AmazonSQS.SendMessage': (request: Record<string, unknown>) => {
    queueOf(request);
    const attributes = request.MessageAttributes as Record<string, { StringValue?: string }> | undefined;
    outputs.acceptDeadLetter(String(request.MessageBody), attributes?.reason?.StringValue ?? '');
    return { MessageId: randomUUID(), MD5OfMessageBody: md5(String(request.MessageBody)) };
  },
  'AmazonSQS.ReceiveMessage': (request: Record<string, unknown>) => {
    queueOf(request);
    const max = Number(request.MaxNumberOfMessages ?? 1);
    if (!Number.isInteger(max) || max < 1 || max > 10)
      throw new AwsError('InvalidParameterValue', `MaxNumberOfMessages must be 1 to 10 (got ${max})`);
    const held = outputs.receiveDeadLetters(max, Number(request.VisibilityTimeout ?? 30));
    return {
      Messages: held.map((d) => ({
        MessageId: d.messageId,
        ReceiptHandle: d.messageId,
        MD5OfBody: md5(d.body),
        Body: d.body,
      })),
    };
  },
  'AmazonSQS.DeleteMessageBatch': (request: Record<string, unknown>) =>
    batch(request, (entry) => outputs.deleteDeadLetter(String(entry.ReceiptHandle))),
  'AmazonSQS.ChangeMessageVisibilityBatch': (request: Record<string, unknown>) =>
    batch(request, (entry) =>
      outputs.holdDeadLetter(String(entry.ReceiptHandle), Number(entry.VisibilityTimeout ?? 0)),
    ),
});
