// SQS partial batch responses (Powertools batch): each record handled on its own, and only the ones that failed
// reported, so SQS redelivers those alone and moves them to the dead-letter queue after the last receive.
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { Log } from '../../ports';

export const sqsPartialBatch = <T>(handle: (body: string) => Promise<T>, log: Log) => {
  const processor = new BatchProcessor(EventType.SQS);
  const record = async (r: SQSRecord) => {
    try {
      return await handle(r.body);
    } catch (error) {
      log.error('event processing failed', {
        messageId: r.messageId,
        error: (error as Error).name,
        message: (error as Error).message,
      });
      throw error;
    }
  };
  return (event: SQSEvent): Promise<SQSBatchResponse> =>
    processPartialResponse(event, record, processor, { throwOnFullBatchFailure: false });
};
