// The deployable stack: wires the table, the bus and intake, the handlers, the workflow and alarms,
// granting each function only the actions it performs.
import {
  Annotations,
  ArnFormat,
  CfnOutput,
  Duration,
  RemovalPolicy,
  Stack,
  Token,
  Validations,
  type CfnElement,
  type StackProps,
} from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { PolicyPack } from '../functions/domain/policy-packs';
import { CollectionWorkflow } from '../workflows/definition/collection-workflow';
import { CollectionFunction } from './collection-function';
import { CollectionsAlarms } from './collections-alarms';
import { CollectionsTable, indexQueries, tableStatements } from './collections-table';
import { DailyReport } from './daily-report';
import { CollectionsKey } from './collections-key';
import { EventIntake } from './event-intake';
import { OutboxPipe } from './outbox-pipe';
import { CollectionsApi } from './collections-api';
import { DocumentsBucket } from './documents-bucket';
import { LETTER_FONT_FILES } from '../functions/adapters/letter-fonts';
import { payUrlProblem } from '../functions/domain/pay-url-template';

export interface CollectionsStackProps extends StackProps {
  /** Contact policy pack (a built-in one or the bank's own file, validated): every function gets it whole. */
  pack: PolicyPack;
  /** Verified SES identity that reminders are sent from. */
  senderEmail: string;
  /** End User Messaging SMS origination identity: phone number, sender id, pool, or their ARN. */
  smsOriginationIdentity: string;
  /** Address subscribed to alarm notifications (optional). */
  alarmEmail?: string;
  /** Bus name for inbound and outbound events. */
  busName?: string;
  /** RETAIN (default) keeps the table when the stack is deleted. */
  tableRemovalPolicy?: RemovalPolicy;
  /** Loops per execution before a cycle continues as a new execution (default 200). */
  maxLoopsPerExecution?: number;
  /** Globally unique prefix for the collectors' Cognito sign-in domain (default: `<stack name>-desk`, lower case). */
  deskDomainPrefix?: string;
  /**
   * The bank's payment page for this deployment (docs/contract.md §3.18), over the pack's `payUrl`: a URL template with
   * `{accountId}`, `{amount}`, `{currency}`, `{reference}`.
   */
  payUrl?: string;
}

import { TABLE_ACTIONS } from '../functions/adapters/table-grants';

export { TABLE_ACTIONS };

export class CollectionsStack extends Stack {
  constructor(scope: Construct, id: string, props: CollectionsStackProps) {
    super(scope, id, props);
    const stateMachineName = `${this.stackName}-collection`;
    const { key } = new CollectionsKey(this, 'DataKey');
    const { table } = new CollectionsTable(this, 'Data', { key, removalPolicy: props.tableRemovalPolicy });
    const bus = new events.EventBus(this, 'Bus', { eventBusName: props.busName ?? 'collections', kmsKey: key });

    if (props.payUrl !== undefined && payUrlProblem(props.payUrl))
      throw new Error(`payUrl: ${payUrlProblem(props.payUrl)}`);
    const pack = props.payUrl ? { ...props.pack, payUrl: props.payUrl } : props.pack;
    const common = { TABLE_NAME: table.tableName, POLICY_PACK: JSON.stringify(pack) };
    const messaging = { SENDER_EMAIL: props.senderEmail, SMS_ORIGINATION_IDENTITY: props.smsOriginationIdentity };
    const make = (id: string, handler: string, environment: Record<string, string>, timeout?: Duration) => {
      const created = new CollectionFunction(this, id, { handler, environment, logKey: key, timeout });
      for (const statement of tableStatements(table, handler)) created.fn.addToRolePolicy(statement);
      key.grantEncryptDecrypt(created.fn);
      return created;
    };
    const diagnose = make('Diagnose', 'diagnose', common);
    const remind = make('Remind', 'remind', { ...common, ...messaging });
    const offerPlan = make('OfferPlan', 'offer-plan', { ...common, ...messaging });
    const escalate = make('Escalate', 'escalate', common);
    const close = make('Close', 'close', common);
    const documents = new DocumentsBucket(this, 'Documents', { key });
    const letters = documents;
    const letter = new CollectionFunction(this, 'Letter', {
      handler: 'letter',
      logKey: key,
      memorySize: 1024,
      timeout: Duration.seconds(30),
      environment: {
        ...common,
        DOCUMENT_BUCKET: letters.bucket.bucketName,
        DOCUMENT_KEY_ARN: key.keyArn,
        LETTER_FONTS_DIR: '/var/task',
      },
      // The Chinese letters' font, read beside the bundle (functions/adapters/pdf-letters.ts).
      assets: LETTER_FONT_FILES.map((file) => `node_modules/@fontsource/noto-sans-sc/files/${file}`),
    });
    for (const statement of tableStatements(table, 'letter')) letter.fn.addToRolePolicy(statement);
    key.grantEncryptDecrypt(letter.fn);
    // Letters are only ever written, never read back or listed, by the workflow.
    letter.fn.addToRolePolicy(
      new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: [letters.bucket.arnForObjects('letters/*')] }),
    );
    const awaitEvent = make('AwaitEvent', 'await-event', { TABLE_NAME: table.tableName });
    const intake = make('Intake', 'intake', { ...common, STATE_MACHINE_ARN: '' });
    // Erasure may read a whole dead-letter queue through: minutes, not the workflow steps' seconds.
    const erase = make(
      'Erase',
      'erase',
      { TABLE_NAME: table.tableName, DOCUMENT_BUCKET: letters.bucket.bucketName },
      Duration.minutes(5),
    );
    // Erasure removes an account's letters, every version (docs/contract.md §10.7): it lists the versions under
    // letters/ and deletes them; it never reads a letter, so it needs no key.
    erase.fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['s3:ListBucketVersions'],
        resources: [letters.bucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': ['letters/*'] } },
      }),
    );
    erase.fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['s3:DeleteObject', 's3:DeleteObjectVersion'],
        resources: [letters.bucket.arnForObjects('letters/*')],
      }),
    );
    const api = make('ApiHandler', 'api', { ...common, BUS_NAME: bus.eventBusName });
    // The queue index is queried, not the table's other indexes.
    api.fn.addToRolePolicy(indexQueries(table, 'api'));
    // Only customer and agent actions: the API can never impersonate the bank or the workflow.
    api.fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['events:PutEvents'],
        resources: [bus.eventBusArn],
        conditions: { StringEquals: { 'events:source': ['collections.customer', 'collections.agent'] } },
      }),
    );
    const http = new CollectionsApi(this, 'Web', {
      api,
      key,
      deskDomainPrefix: props.deskDomainPrefix ?? `${this.stackName.toLowerCase()}-desk`,
    });
    for (const sender of [remind, offerPlan]) {
      sender.fn.addToRolePolicy(this.sendEmailStatement(props.senderEmail));
      sender.fn.addToRolePolicy(this.sendSmsStatement(props.smsOriginationIdentity));
      http.grantLinkSigning(sender);
    }
    http.grantLinkSigning(letter);
    // `Default`: see DailyReport, the report's resources keep their logical ids.
    const report = new DailyReport(this, 'Default', { documents, key, table });

    const workflowLogs = new logs.LogGroup(this, 'WorkflowLogs', {
      retention: logs.RetentionDays.THREE_MONTHS,
      encryptionKey: key,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const workflow = new CollectionWorkflow(this, 'Workflow', {
      stateMachineName,
      logGroup: workflowLogs,
      maxLoops: props.maxLoopsPerExecution,
      functions: {
        diagnose: diagnose.fn,
        remind: remind.fn,
        offerPlan: offerPlan.fn,
        escalate: escalate.fn,
        letter: letter.fn,
        close: close.fn,
        awaitEvent: awaitEvent.fn,
      },
    });
    intake.fn.addEnvironment('STATE_MACHINE_ARN', workflow.stateMachineArn);
    intake.fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['states:StartExecution', 'states:SendTaskSuccess'],
        resources: [workflow.stateMachineArn],
      }),
    );
    const intakeWiring = new EventIntake(this, 'Inbound', { bus, consumer: intake, key });
    const outbox = new OutboxPipe(this, 'Outbox', { table, bus, key });
    // An event the intake could not take keeps its customer object in the inbound dead letters: erasure reads the
    // queue through, deletes the account's messages and hands the others back (docs/contract.md §10.7). The outbox's
    // and the report's dead letters hold no personal data (events out carry none; the schedule's input is empty).
    erase.fn.addEnvironment('DEAD_LETTER_QUEUE_URL', intakeWiring.deadLetterQueue.queueUrl);
    erase.fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility'],
        resources: [intakeWiring.deadLetterQueue.queueArn],
      }),
    );

    const functions = {
      diagnose,
      remind,
      offerPlan,
      escalate,
      letter,
      close,
      awaitEvent,
      intake,
      erase,
      api,
      report: report.function,
    };
    new CollectionsAlarms(this, 'Alarms', {
      stateMachine: workflow.stateMachine,
      deadLetterQueues: {
        Inbound: intakeWiring.deadLetterQueue,
        Outbox: outbox.deadLetterQueue,
        DailyReport: report.deadLetterQueue,
      },
      functions: Object.fromEntries(Object.entries(functions).map(([name, f]) => [name, f.fn])),
      alarmEmail: props.alarmEmail,
      key,
    });
    new CfnOutput(this, 'DocumentsBucket', {
      value: documents.bucket.bucketName,
      description:
        'Letters for the print vendor (letters/<accountId>/<letterId>.pdf, announced by LetterRequested) and ' +
        'daily reports (reports/<date>/portfolio.html|json|csv)',
    });
    new CfnOutput(this, 'TableName', {
      value: table.tableName,
      description: 'The collections table (npm run erase -- <accountId> --table …)',
    });
    new CfnOutput(this, 'DeadLetterQueueUrl', {
      value: intakeWiring.deadLetterQueue.queueUrl,
      description: 'Inbound events the intake could not take (npm run erase -- <accountId> --dead-letter-queue …)',
    });
    new CfnOutput(this, 'EraseFunctionName', {
      value: erase.fn.functionName,
      description: 'Right to erasure: aws lambda invoke --function-name … --payload \'{"accountId":"A1"}\'',
    });
    this.suppressReviewedFindings(
      [diagnose, remind, offerPlan, escalate, letter, close, awaitEvent],
      props.smsOriginationIdentity,
      table,
      letters,
      report,
    );
  }

  private sendEmailStatement(senderEmail: string): iam.PolicyStatement {
    const domain = senderEmail.split('@')[1] ?? senderEmail;
    const identity = (name: string) => this.formatArn({ service: 'ses', resource: 'identity', resourceName: name });
    return new iam.PolicyStatement({
      actions: ['ses:SendEmail'],
      resources: [identity(senderEmail), identity(domain)],
    });
  }

  private sendSmsStatement(originationIdentity: string): iam.PolicyStatement {
    // An ARN is scoped exactly; a bare number or sender id can only be scoped to this account's SMS resources.
    const resources = originationIdentity.startsWith('arn:')
      ? [originationIdentity]
      : [this.formatArn({ service: 'sms-voice', resource: '*', arnFormat: ArnFormat.NO_RESOURCE_NAME })];
    if (!originationIdentity.startsWith('arn:')) {
      Annotations.of(this).addInfo(
        "smsOriginationIdentity is not an ARN: SendTextMessage is allowed on all of this account's SMS " +
          "resources in the region; pass the identity's ARN to scope it exactly.",
      );
    }
    return new iam.PolicyStatement({ actions: ['sms-voice:SendTextMessage'], resources });
  }

  /** Each finding below was reviewed; the reason says why it stands. */
  private suppressReviewedFindings(
    functions: CollectionFunction[],
    smsIdentity: string,
    table: dynamodb.TableV2,
    letters: DocumentsBucket,
    report: DailyReport,
  ): void {
    const acknowledge = (id: string, reason: string) =>
      Validations.of(this).acknowledge({ id: `AwsSolutions-${id}`, reason });
    acknowledge(
      'IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      'Functions use AWSLambdaBasicExecutionRole only, which writes their own log streams; every other ' +
        'permission is an inline, resource-scoped statement.',
    );
    acknowledge(
      'IAM5[Resource::*]',
      "X-Ray PutTraceSegments/PutTelemetryRecords and the state machine's log delivery actions support no " +
        'resource-level permissions.',
    );
    for (const action of ['kms:ReEncrypt*', 'kms:GenerateDataKey*']) {
      acknowledge(
        `IAM5[Action::${action}]`,
        'CDK grants on the encrypted table, queues and bus use these KMS action families; every such statement ' +
          'is scoped to the one collections data key.',
      );
    }
    acknowledge(
      `IAM5[Resource::<${this.getLogicalId(table.node.defaultChild as CfnElement)}.Arn>/stream/*]`,
      "The outbox pipe lists the table's streams (the stream label changes if the stream is re-enabled); " +
        'reading is scoped to the current stream ARN.',
    );
    acknowledge(
      'L1',
      'Pinned to Node.js 22 on purpose: the local engine, tests and bundles target the same Node 22 (node@22 ' +
        'devDependency); upgrade them together.',
    );
    const reportArn = this.getLogicalId(report.function.fn.node.defaultChild as CfnElement);
    const bucketArn = `<${this.getLogicalId(letters.node.findChild('Bucket').node.defaultChild as CfnElement)}.Arn>`;
    acknowledge(
      `IAM5[Resource::${bucketArn}/letters/*]`,
      'The letter function may put objects under letters/ only (one key per letter, ' +
        'letters/<accountId>/<letterId>.pdf); it cannot read, list or delete.',
    );
    acknowledge(
      `IAM5[Resource::<${reportArn}.Arn>:*]`,
      "The schedule's role may invoke any version of the report function (grant made by the Scheduler Lambda target).",
    );
    acknowledge(
      `IAM5[Resource::${bucketArn}/reports/*]`,
      'The report function may put objects under reports/ only (reports/<date>/portfolio.*); it cannot read, ' +
        'list or delete.',
    );
    acknowledge(
      'SQS3',
      'The flagged queue is the dead-letter queue of the inbound queue; a DLQ has no DLQ of its own.',
    );
    for (const { fn } of functions) {
      const logicalId = this.getLogicalId(fn.node.defaultChild as CfnElement);
      acknowledge(
        `IAM5[Resource::<${logicalId}.Arn>:*]`,
        'The state machine may invoke any version of its own workflow functions (grant made by the Step ' +
          'Functions Lambda task).',
      );
    }
    if (!smsIdentity.startsWith('arn:')) {
      const shown = (value: string, pseudo: string) => (Token.isUnresolved(value) ? `<AWS::${pseudo}>` : value);
      acknowledge(
        `IAM5[Resource::arn:<AWS::Partition>:sms-voice:${shown(this.region, 'Region')}:` +
          `${shown(this.account, 'AccountId')}:*]`,
        'The SMS origination identity was given as a number or sender id, not an ARN, so sending is scoped to ' +
          "this account's SMS resources in this region.",
      );
    }
  }
}
