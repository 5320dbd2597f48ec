// The outbox publisher: EventBridge Pipes reads the table's stream, keeps the items that carry an event out
// (the filter the local relay uses too), and puts each on the bus with its detail-type and stored detail.
// Records it cannot deliver after retries go to a dead-letter queue, which alarms.
import { Duration, Stack } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as pipes from 'aws-cdk-lib/aws-pipes';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { OUTBOX_FILTER, OUTBOX_SOURCE, OUTBOX_TARGET } from '../functions/adapters/aws/outbox';

export interface OutboxPipeProps {
  table: dynamodb.ITableV2;
  bus: events.IEventBus;
  key: kms.IKey;
}

export class OutboxPipe extends Construct {
  readonly deadLetterQueue: sqs.Queue;
  readonly pipe: pipes.CfnPipe;

  constructor(scope: Construct, id: string, props: OutboxPipeProps) {
    super(scope, id);
    const { table, bus, key } = props;
    const streamArn = table.tableStreamArn;
    if (!streamArn) throw new Error('OutboxPipe: the table needs a stream');
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetters', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: key,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('pipes.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    });
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'],
        resources: [streamArn],
      }),
    );
    role.addToPolicy(
      new iam.PolicyStatement({ actions: ['dynamodb:ListStreams'], resources: [`${table.tableArn}/stream/*`] }),
    );
    bus.grantPutEventsTo(role);
    this.deadLetterQueue.grantSendMessages(role);
    key.grantDecrypt(role);
    const logGroup = new logs.LogGroup(this, 'Logs', {
      retention: logs.RetentionDays.THREE_MONTHS,
      encryptionKey: key,
    });
    logGroup.grantWrite(role);
    this.pipe = new pipes.CfnPipe(this, 'Pipe', {
      roleArn: role.roleArn,
      description: 'Publishes the collections outbox (events out written with each state change) to the bus',
      source: streamArn,
      sourceParameters: {
        filterCriteria: { filters: [{ pattern: JSON.stringify(OUTBOX_FILTER) }] },
        dynamoDbStreamParameters: {
          startingPosition: 'TRIM_HORIZON',
          batchSize: 10,
          maximumRetryAttempts: 185,
          maximumRecordAgeInSeconds: 86_400,
          onPartialBatchItemFailure: 'AUTOMATIC_BISECT',
          deadLetterConfig: { arn: this.deadLetterQueue.queueArn },
        },
      },
      target: bus.eventBusArn,
      targetParameters: {
        inputTemplate: OUTBOX_TARGET.inputTemplate,
        eventBridgeEventBusParameters: { source: OUTBOX_SOURCE, detailType: OUTBOX_TARGET.detailTypePath },
      },
      logConfiguration: { level: 'ERROR', cloudwatchLogsLogDestination: { logGroupArn: logGroup.logGroupArn } },
    });
  }
}
