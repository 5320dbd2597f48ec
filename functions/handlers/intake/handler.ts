// functions/handlers/intake/handler.ts — consumes inbound events from SQS, one record at a time, reporting the
// ones that failed so SQS redelivers only those (and moves them to the DLQ after the last receive).
import { sqsPartialBatch } from '../../adapters/aws/sqs-batch';
import { receiveEvent, type IntakeDeps } from '../../use-cases/receive-event';

export const makeHandler = (deps: IntakeDeps) => sqsPartialBatch((body) => receiveEvent(deps, body), deps.log);
