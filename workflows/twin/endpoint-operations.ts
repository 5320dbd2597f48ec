// What the local AWS endpoint answers (Step Functions callbacks and starts, EventBridge PutEvents, the SQS
// dead-letter queue, End User Messaging SMS), handed to the parts of the stack that do the work.
import { randomUUID } from 'node:crypto';
import { OUTBOX_SOURCE } from '../../functions/adapters/aws/outbox';
import { AwsError, type Caller } from './aws-endpoint';
import type { PutEventsEntry } from './inbound-path';
import type { StackParts } from './local-ports';
import { deadLetterQueueOperations } from './local-dead-letter-queue';

/** PutEvents' limits: 1 to 10 entries, and at most 256 KB of entries in all (sized as EventBridge sizes them). */
export const PUT_EVENTS_LIMITS = { entries: 10, totalBytes: 256 * 1024 } as const;

/**
 * An entry's size as EventBridge counts it: 14 bytes for a Time, and the UTF-8 bytes of Source, DetailType, Detail
 * and each resource.
 */
export const putEventsEntrySize = (entry: PutEventsEntry & { Time?: unknown }): number =>
  (entry.Time === undefined ? 0 : 14) +
  [entry.Source, entry.DetailType, entry.Detail, ...(Array.isArray(entry.Resources) ? entry.Resources : [])]
    .map((part) => (typeof part === 'string' ? Buffer.byteLength(part, 'utf8') : 0))
    .reduce((sum, bytes) => sum + bytes, 0);

/** The entries of a PutEvents request, or the ValidationException AWS answers for the whole request. */
const putEventsEntries = (request: Record<string, unknown>): PutEventsEntry[] => {
  const entries = request.Entries;
  if (!Array.isArray(entries))
    throw new AwsError(
      'ValidationException',
      "1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must not be null",
    );
  if (entries.length < 1 || entries.length > PUT_EVENTS_LIMITS.entries)
    throw new AwsError(
      'ValidationException',
      `1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length ` +
        `between 1 and ${PUT_EVENTS_LIMITS.entries} (got ${entries.length})`,
    );
  const bad = entries.findIndex((e) => typeof e !== 'object' || e === null || Array.isArray(e));
  if (bad >= 0)
    throw new AwsError(
      'ValidationException',
      `1 validation error detected: Value at 'entries.${bad + 1}.member' failed to satisfy constraint: ` +
        'Member must be a structure',
    );
  const total = (entries as PutEventsEntry[]).reduce((sum, entry) => sum + putEventsEntrySize(entry), 0);
  if (total > PUT_EVENTS_LIMITS.totalBytes)
    throw new AwsError('ValidationException', 'Total size of the entries in the request is over the limit.');
  return entries as PutEventsEntry[];
};

/**
 * `outboxAccessKeyId`: the credentials the outbox relay signs with, the stand-in for the outbox pipe's role. Only it
 * may put the workflow's own source, as only the pipe's role may in AWS: the API's role is held to customer and
 * agent sources by an `events:source` condition, and the bank's account by the bus's policy.
 */
export const endpointOperations = ({ outputs, engine, inbound }: StackParts, outboxAccessKeyId?: string) => ({
  'AWSStepFunctions.StartExecution': (request: Record<string, unknown>) => {
    const name = String(request.name);
    const input = JSON.parse(String(request.input ?? '{}')) as Record<string, unknown>;
    if (!engine().start(name, input))
      throw new AwsError('ExecutionAlreadyExists', `Execution Already Exists: '${name}'`);
    return { executionArn: engine().executionArn(name), startDate: outputs.timeOf(String(input.accountId)) / 1000 };
  },
  'AWSStepFunctions.SendTaskSuccess': (request: Record<string, unknown>) => {
    engine().resume(String(request.taskToken));
    return {};
  },
  'AWSStepFunctions.DescribeExecution': (request: Record<string, unknown>) => {
    const arn = String(request.executionArn);
    const described = engine().describe(arn.split(':').at(-1)!);
    if (!described) throw new AwsError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`);
    return {
      executionArn: arn,
      name: arn.split(':').at(-1),
      status: described.status,
      startDate: Date.parse(described.startedAt) / 1000,
      redriveCount: described.redriveCount,
      ...(described.error ? { error: described.error.split(':')[0], cause: described.error } : {}),
    };
  },
  'AWSStepFunctions.RedriveExecution': (request: Record<string, unknown>) => {
    const arn = String(request.executionArn);
    if (!engine().redrive(arn.split(':').at(-1)!))
      throw new AwsError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`);
    return { redriveDate: Date.now() / 1000 };
  },
  'AWSEvents.PutEvents': (request: Record<string, unknown>, caller: Caller) => {
    const results = putEventsEntries(request).map((entry) =>
      entry.Source === OUTBOX_SOURCE && (!outboxAccessKeyId || caller.accessKeyId !== outboxAccessKeyId)
        ? {
            ErrorCode: 'NotAuthorizedForSourceException',
            ErrorMessage: `You do not have permissions to publish events with source ${OUTBOX_SOURCE} onto this bus.`,
          }
        : inbound().putEvent(entry),
    );
    return { FailedEntryCount: results.filter((r) => 'ErrorCode' in r).length, Entries: results };
  },
  ...deadLetterQueueOperations(outputs),
  'PinpointSMSVoiceV2.SendTextMessage': (request: Record<string, unknown>) => {
    if (outputs.refuses('sms', String(request.DestinationPhoneNumber))) {
      throw new AwsError('ConflictException', 'Conflict Occurred: DESTINATION_PHONE_NUMBER_OPTED_OUT');
    }
    outputs.acceptMessage(
      'sms',
      String(request.DestinationPhoneNumber),
      { text: String(request.MessageBody) },
      String((request.Context as { accountId?: string } | undefined)?.accountId),
    );
    return { MessageId: randomUUID() };
  },
});
