// The deployable stack: wires the table, the bus and intake, the handlers, the workflow and alarms,
// granting each function only the actions it performs.
import { Annotations, ArnFormat, RemovalPolicy, Stack, Token, Validations, type CfnElement, type StackProps } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { PolicyId } from '../functions/domain/policy-packs';
import { CollectionWorkflow } from '../workflows/collection-workflow';
import { CollectionFunction } from './collection-function';
import { CollectionsAlarms } from './collections-alarms';
import { CollectionsTable } from './collections-table';
import { EventIntake } from './event-intake';

export interface CollectionsStackProps extends StackProps {
  /** Contact policy pack: `us-regf` or `cn`. */
  policy: PolicyId;
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
}

/** Item-level DynamoDB actions: no Scan and no DeleteItem anywhere, which keeps the audit append-only. */
const TABLE = { get: 'dynamodb:GetItem', batchGet: 'dynamodb:BatchGetItem', put: 'dynamodb:PutItem', update: 'dynamodb:UpdateItem' } as const;

export class CollectionsStack extends Stack {
  constructor(scope: Construct, id: string, props: CollectionsStackProps) {
    super(scope, id, props);
    const stateMachineName = `${this.stackName}-collection`;
    const { table } = new CollectionsTable(this, 'Data', { removalPolicy: props.tableRemovalPolicy });
    const bus = new events.EventBus(this, 'Bus', { eventBusName: props.busName ?? 'collections' });

    const common = { TABLE_NAME: table.tableName, POLICY_PACK: props.policy, EVENT_BUS_NAME: bus.eventBusName };
    const messaging = { SENDER_EMAIL: props.senderEmail, SMS_ORIGINATION_IDENTITY: props.smsOriginationIdentity };
    const make = (id: string, handler: string, environment: Record<string, string>, tableActions: string[], publishes = true) => {
      const created = new CollectionFunction(this, id, { handler, environment });
      created.fn.addToRolePolicy(new iam.PolicyStatement({ actions: tableActions, resources: [table.tableArn] }));
      if (publishes) bus.grantPutEventsTo(created.fn);
      return created;
    };
    const diagnose = make('Diagnose', 'diagnose', common, [TABLE.get, TABLE.put]);
    const remind = make('Remind', 'remind', { ...common, ...messaging }, [TABLE.batchGet, TABLE.put]);
    const offerPlan = make('OfferPlan', 'offer-plan', { ...common, ...messaging }, [TABLE.batchGet, TABLE.put]);
    const escalate = make('Escalate', 'escalate', common, [TABLE.get, TABLE.put]);
    const close = make('Close', 'close', common, [TABLE.get, TABLE.put]);
    const awaitEvent = make('AwaitEvent', 'await-event', { TABLE_NAME: table.tableName }, [TABLE.update], false);
    const intake = make('Intake', 'intake', { ...common, STATE_MACHINE_ARN: '' }, [TABLE.get, TABLE.put, TABLE.update]);
    for (const sender of [remind, offerPlan]) {
      sender.fn.addToRolePolicy(this.sendEmailStatement(props.senderEmail));
      sender.fn.addToRolePolicy(this.sendSmsStatement(props.smsOriginationIdentity));
    }

    const workflowLogs = new logs.LogGroup(this, 'WorkflowLogs', { retention: logs.RetentionDays.THREE_MONTHS, removalPolicy: RemovalPolicy.DESTROY });
    const workflow = new CollectionWorkflow(this, 'Workflow', {
      stateMachineName,
      logGroup: workflowLogs,
      maxLoops: props.maxLoopsPerExecution,
      functions: { diagnose: diagnose.fn, remind: remind.fn, offerPlan: offerPlan.fn, escalate: escalate.fn, close: close.fn, awaitEvent: awaitEvent.fn },
    });
    intake.fn.addEnvironment('STATE_MACHINE_ARN', workflow.stateMachineArn);
    intake.fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['states:StartExecution'], resources: [workflow.stateMachineArn] }));
    intake.fn.addToRolePolicy(new iam.PolicyStatement({
      actions: ['states:SendTaskSuccess'],
      resources: [workflow.stateMachineArn],
    }));
    const intakeWiring = new EventIntake(this, 'Inbound', { bus, consumer: intake });

    const functions = { diagnose, remind, offerPlan, escalate, close, awaitEvent, intake };
    new CollectionsAlarms(this, 'Alarms', {
      stateMachine: workflow.stateMachine,
      deadLetterQueue: intakeWiring.deadLetterQueue,
      functions: Object.fromEntries(Object.entries(functions).map(([name, f]) => [name, f.fn])),
      alarmEmail: props.alarmEmail,
    });
    this.suppressReviewedFindings([diagnose, remind, offerPlan, escalate, close, awaitEvent], props.smsOriginationIdentity);
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
      Annotations.of(this).addInfo("smsOriginationIdentity is not an ARN: SendTextMessage is allowed on all of this account's SMS resources in the region; pass the identity's ARN to scope it exactly.");
    }
    return new iam.PolicyStatement({ actions: ['sms-voice:SendTextMessage'], resources });
  }

  /** Each finding below was reviewed; the reason says why it stands. */
  private suppressReviewedFindings(functions: CollectionFunction[], smsIdentity: string): void {
    const acknowledge = (id: string, reason: string) => Validations.of(this).acknowledge({ id: `AwsSolutions-${id}`, reason });
    acknowledge('IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      'Functions use AWSLambdaBasicExecutionRole only, which writes their own log streams; every other permission is an inline, resource-scoped statement.');
    acknowledge('IAM5[Resource::*]', 'X-Ray PutTraceSegments/PutTelemetryRecords and the state machine\'s log delivery actions support no resource-level permissions.');
    acknowledge('L1', 'Pinned to Node.js 22 on purpose: the local engine, tests and bundles target the same Node 22 (node@22 devDependency); upgrade them together.');
    acknowledge('SQS3', 'The flagged queue is the dead-letter queue of the inbound queue; a DLQ has no DLQ of its own.');
    for (const { fn } of functions) {
      const logicalId = this.getLogicalId(fn.node.defaultChild as CfnElement);
      acknowledge(`IAM5[Resource::<${logicalId}.Arn>:*]`, 'The state machine may invoke any version of its own workflow functions (grant made by the Step Functions Lambda task).');
    }
    if (!smsIdentity.startsWith('arn:')) {
      const shown = (value: string, pseudo: string) => (Token.isUnresolved(value) ? `<AWS::${pseudo}>` : value);
      acknowledge(`IAM5[Resource::arn:<AWS::Partition>:sms-voice:${shown(this.region, 'Region')}:${shown(this.account, 'AccountId')}:*]`,
        'The SMS origination identity was given as a number or sender id, not an ARN, so sending is scoped to this account\'s SMS resources in this region.');
    }
  }
}
