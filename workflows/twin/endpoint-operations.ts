// What the local AWS endpoint answers (Step Functions callbacks and starts, EventBridge PutEvents, the SQS
// dead-letter queue, End User Messaging SMS), handed to the parts of the stack that do the work.
import { randomUUID } from 'node:crypto';
import { AwsError } from './aws-endpoint';
import type { PutEventsEntry } from './inbound-path';
import type { StackParts } from './local-ports';
import { deadLetterQueueOperations } from './local-dead-letter-queue';

export const endpointOperations = ({ outputs, engine, inbound }: StackParts) => ({
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
  'AWSEvents.PutEvents': (request: Record<string, unknown>) => {
    const entries = (request.Entries ?? []) as PutEventsEntry[];
    if (entries.length < 1 || entries.length > 10)
      throw new AwsError(
        'ValidationException',
        `1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length ` +
          `between 1 and 10 (got ${entries.length})`,
      );
    const results = entries.map((entry) => inbound().putEvent(entry));
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
