// The daily portfolio report: EventBridge Scheduler → the report function → reports/<date>/ in the documents bucket,
// with a dead-letter queue for invocations the schedule could not deliver.
import { Duration, Stack } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { CollectionFunction } from './collection-function';
import { indexQueries, tableStatements } from './collections-table';
import type { DocumentsBucket } from './documents-bucket';

export interface DailyReportProps {
  /** Where the reports are written, under reports/. */
  documents: DocumentsBucket;
  /** The stack's data key: the function's logs, the bucket's objects and the dead letters. */
  key: kms.IKey;
  /** The collections table the report reads (the status index and the per-day figures). */
  table: dynamodb.TableV2;
}

/**
 * Created with the id `Default`, which CDK leaves out of logical ids: the report's resources keep the ids they had
 * when the stack made them itself (`Report…`, `DailyReport…`), so a deployed stack updates them in place.
 */
export class DailyReport extends Construct {
  readonly function: CollectionFunction;
  readonly deadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, { documents, key, table }: DailyReportProps) {
    super(scope, id);
    const report = new CollectionFunction(this, 'Report', {
      handler: 'report',
      logKey: key,
      memorySize: 1024,
      timeout: Duration.minutes(5),
      environment: {
        TABLE_NAME: table.tableName,
        DOCUMENT_BUCKET: documents.bucket.bucketName,
        DOCUMENT_KEY_ARN: key.keyArn,
      },
    });
    for (const statement of tableStatements(table, 'report')) report.fn.addToRolePolicy(statement);
    report.fn.addToRolePolicy(indexQueries(table, 'report'));
    report.fn.addToRolePolicy(
      new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: [documents.bucket.arnForObjects('reports/*')] }),
    );
    key.grantEncryptDecrypt(report.fn);
    // A schedule whose invocations keep failing leaves them here, alarmed, rather than dropping them.
    const deadLetterQueue = new sqs.Queue(this, 'DailyReportDeadLetters', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: key,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    // The schedule's role: the target grants it the invoke and the dead letters' SendMessage; the dead-letter queue is
    // encrypted with the stack's key, so without the key a failed invocation's dead letter would be refused too.
    const scheduleRole = new iam.Role(this, 'DailyReportScheduleRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    });
    key.grant(scheduleRole, 'kms:GenerateDataKey', 'kms:Decrypt');
    new scheduler.Schedule(this, 'DailyReport', {
      description: 'The portfolio report for the previous UTC day, each morning',
      schedule: scheduler.ScheduleExpression.cron({ minute: '0', hour: '6' }),
      target: new schedulerTargets.LambdaInvoke(report.fn, {
        input: scheduler.ScheduleTargetInput.fromObject({}),
        deadLetterQueue,
        retryAttempts: 3,
        role: scheduleRole,
      }),
    });
    this.function = report;
    this.deadLetterQueue = deadLetterQueue;
  }
}
