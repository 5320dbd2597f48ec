// Inbound events: the `collections` bus, one rule for the bank's, customers' and agents' sources,
// an encrypted queue with a dead-letter queue, and the intake consumer with partial batch failures.
import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { INBOUND_SOURCES } from '../functions/domain/inbound-events';
import type { CollectionFunction } from './collection-function';
import { INBOUND_MAX_RECEIVES } from '../workflows/definition/shared-settings';

export interface EventIntakeProps {
  bus: events.IEventBus;
  /** Customer-managed key for both queues. */
  key: kms.IKey;
  /** The intake consumer; it gets the dead-letter queue's URL and the right to send to it. */
  consumer: CollectionFunction;
}

export class EventIntake extends Construct {
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: EventIntakeProps) {
    super(scope, id);
    const { fn } = props.consumer;
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetters', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: props.key,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.queue = new sqs.Queue(this, 'Inbound', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: props.key,
      enforceSSL: true,
      // Six times the consumer's timeout, as Lambda recommends for SQS sources.
      visibilityTimeout: Duration.seconds(6 * (fn.timeout?.toSeconds() ?? 20)),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: INBOUND_MAX_RECEIVES },
    });
    new events.Rule(this, 'InboundRule', {
      eventBus: props.bus,
      description: 'Bank, customer and agent events for the collections workflow',
      eventPattern: { source: [...INBOUND_SOURCES] },
      targets: [
        new targets.SqsQueue(this.queue, {
          deadLetterQueue: this.deadLetterQueue,
          retryAttempts: 185,
          maxEventAge: Duration.hours(24),
        }),
      ],
    });
    fn.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: 10,
        reportBatchItemFailures: true,
        maxBatchingWindow: Duration.seconds(1),
      }),
    );
    fn.addEnvironment('DEAD_LETTER_QUEUE_URL', this.deadLetterQueue.queueUrl);
    this.deadLetterQueue.grantSendMessages(fn);
  }
}
