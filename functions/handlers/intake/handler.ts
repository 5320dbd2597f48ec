// functions/handlers/intake/handler.ts — consumes inbound events from SQS, one record at a time, reporting the
// ones that failed so SQS redelivers only those (and moves them to the DLQ after the last receive).
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { receiveEvent, type IntakeDeps } from '../../use-cases/receive-event';

export const makeHandler = (deps: IntakeDeps) => {
  const processor = new BatchProcessor(EventType.SQS);
  const record = async (r: SQSRecord) => {
    try {
      return await receiveEvent(deps, r.body);
    } catch (error) {
      deps.log.error('event processing failed', { messageId: r.messageId, error: (error as Error).name, message: (error as Error).message });
      throw error;
    }
  };
  return (event: SQSEvent): Promise<SQSBatchResponse> =>
    processPartialResponse(event, record, processor, { throwOnFullBatchFailure: false });
};
