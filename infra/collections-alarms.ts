// Alarms that make failures loud: a failed or timed-out execution, anything in the dead-letter queue,
// function errors and throttles. They notify an encrypted SNS topic.
import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';

export interface CollectionsAlarmsProps {
  stateMachine: IStateMachine;
  /** Each dead-letter queue by name: anything in one alarms. */
  deadLetterQueues: Record<string, IQueue>;
  functions: Record<string, IFunction>;
  /** Optional address subscribed to the alarm topic. */
  alarmEmail?: string;
  /** The customer-managed key the topic is encrypted with. */
  key: kms.IKey;
}

export class CollectionsAlarms extends Construct {
  readonly topic: sns.Topic;
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: CollectionsAlarmsProps) {
    super(scope, id);
    const { key } = props;
    // CloudWatch must be able to publish to the encrypted topic: for this account's alarms in this region only, so
    // no other account's alarm can have the service use the key (the confused deputy).
    const { account, region, partition } = Stack.of(this);
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: {
          StringEquals: { 'aws:SourceAccount': account },
          ArnLike: { 'aws:SourceArn': `arn:${partition}:cloudwatch:${region}:${account}:alarm:*` },
        },
      }),
    );
    this.topic = new sns.Topic(this, 'Topic', {
      masterKey: key,
      enforceSSL: true,
      displayName: 'Collections workflow alarms',
    });
    if (props.alarmEmail) this.topic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));

    const alarm = (name: string, metric: cloudwatch.IMetric, description: string) => {
      const created = new cloudwatch.Alarm(this, name, {
        metric,
        threshold: 1,
        evaluationPeriods: 1,
        alarmDescription: description,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      created.addAlarmAction(new actions.SnsAction(this.topic));
      this.alarms.push(created);
    };
    const fiveMinutes = { period: Duration.minutes(5), statistic: 'Sum' };
    alarm(
      'ExecutionsFailed',
      props.stateMachine.metricFailed(fiveMinutes),
      'A collection execution ended in Fail: see its history for the recorded error',
    );
    alarm('ExecutionsTimedOut', props.stateMachine.metricTimedOut(fiveMinutes), 'A collection execution timed out');
    for (const [name, queue] of Object.entries(props.deadLetterQueues)) {
      alarm(
        `${name}DeadLetters`,
        queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }),
        name === 'Inbound'
          ? 'Inbound events were rejected or could not be processed: each message carries the reason'
          : `Records of the ${name.toLowerCase()} could not be delivered: each message names the stream records`,
      );
    }
    for (const [name, fn] of Object.entries(props.functions)) {
      alarm(`${name}Errors`, fn.metricErrors(fiveMinutes), `The ${name} function threw errors`);
      alarm(`${name}Throttles`, fn.metricThrottles(fiveMinutes), `The ${name} function was throttled`);
    }
  }
}
