// The per-account collection state machine, as a CDK construct: the stack deploys it and the local
// engine runs its synthesized definition. One definition, two places.
import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { ILogGroup } from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';

export interface WorkflowFunctions {
  diagnose: IFunction;
  remind: IFunction;
  offerPlan: IFunction;
  escalate: IFunction;
  letter: IFunction;
  close: IFunction;
  awaitEvent: IFunction;
}

export interface CollectionWorkflowProps {
  functions: WorkflowFunctions;
  /** Fixed name, so the machine can continue itself as a new execution without a reference cycle. */
  stateMachineName: string;
  /** Loops per execution before it continues as a new one (history stays far below 25,000 events). */
  maxLoops?: number;
  /** Where execution events are logged (level ALL, without execution data). */
  logGroup: ILogGroup;
}

/**
 * Errors worth retrying (docs/contract.md §10.4): Lambda service hiccups, throttling of any service, function timeouts
 * (`Sandbox.Timedout`, `States.Timeout`), lost optimistic-locking races and transactions cancelled by conflicts or
 * throttling, 5xx, and Powertools idempotency's in-progress error (a send still running in a dead attempt).
 */
export const TRANSIENT_ERRORS = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
  'Lambda.ClientExecutionTimeoutException',
  'Lambda.Unknown',
  'Sandbox.Timedout',
  'States.Timeout',
  'TransientError',
  'ThrottlingException',
  'TooManyRequestsException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'TransactionConflictException',
  'TransactionCanceledException',
  'TimeoutError',
  'InternalServerError',
  'InternalFailure',
  'ServiceUnavailable',
  'IdempotencyAlreadyInProgressError',
];

/**
 * How a task retries them: backoff from 2 s, capped at 5 minutes, with full jitter, 25 attempts — about 47 minutes
 * on average and at most 93, so a bad morning at a provider does not end an execution (at least 30, §10.4).
 */
export const TRANSIENT_RETRY = {
  interval: Duration.seconds(2),
  backoffRate: 2,
  maxDelay: Duration.minutes(5),
  maxAttempts: 25,
  jitterStrategy: sfn.JitterType.FULL,
} as const;

export const DEFAULT_MAX_LOOPS = 200;

export class CollectionWorkflow extends Construct {
  readonly stateMachine: sfn.StateMachine;
  /** The machine's ARN built from its name: safe to reference from the functions it invokes. */
  readonly stateMachineArn: string;

  constructor(scope: Construct, id: string, props: CollectionWorkflowProps) {
    super(scope, id);
    const { functions: fn, maxLoops = DEFAULT_MAX_LOOPS } = props;
    const stateMachineArn = Stack.of(this).formatArn({
      service: 'states',
      resource: 'stateMachine',
      resourceName: props.stateMachineName,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });

    const failed = new sfn.Fail(this, 'CollectionFailed', { errorPath: '$.error.Error', causePath: '$.error.Cause' });
    const task = (name: string, lambdaFunction: IFunction) =>
      new tasks.LambdaInvoke(this, name, {
        lambdaFunction,
        payloadResponseOnly: true,
        retryOnServiceExceptions: false,
        taskTimeout: sfn.Timeout.duration(Duration.seconds(30)),
      })
        .addRetry({ errors: TRANSIENT_ERRORS, ...TRANSIENT_RETRY })
        .addCatch(failed, { errors: ['States.ALL'], resultPath: '$.error' });

    const diagnose = task('Diagnose', fn.diagnose);
    const remind = task('Remind', fn.remind);
    const offerPlan = task('OfferPlan', fn.offerPlan);
    const escalate = task('Escalate', fn.escalate);
    const letter = task('SendLetter', fn.letter);
    const close = task('Close', fn.close);

    const awaitEvent = new tasks.LambdaInvoke(this, 'AwaitEvent', {
      lambdaFunction: fn.awaitEvent,
      integrationPattern: sfn.IntegrationPattern.WAIT_FOR_TASK_TOKEN,
      payload: sfn.TaskInput.fromObject({
        accountId: sfn.JsonPath.stringAt('$.accountId'),
        cycleId: sfn.JsonPath.stringAt('$.cycleId'),
        version: sfn.JsonPath.numberAt('$.step.version'),
        waitSeconds: sfn.JsonPath.numberAt('$.step.waitSeconds'),
        taskToken: sfn.JsonPath.taskToken,
      }),
      resultPath: sfn.JsonPath.DISCARD,
      taskTimeout: sfn.Timeout.at('$.step.waitSeconds'),
    })
      .addRetry({ errors: TRANSIENT_ERRORS.filter((e) => e !== 'States.Timeout'), ...TRANSIENT_RETRY })
      // The wait running out is the normal way a scheduled step comes due: diagnose again.
      .addCatch(diagnose, { errors: ['States.Timeout'], resultPath: sfn.JsonPath.DISCARD })
      .addCatch(failed, { errors: ['States.ALL'], resultPath: '$.error' });

    const continueAsNew = new tasks.StepFunctionsStartExecution(this, 'ContinueAsNew', {
      stateMachine: sfn.StateMachine.fromStateMachineArn(this, 'Self', stateMachineArn),
      name: sfn.JsonPath.stringAt('$.continueAs'),
      associateWithParent: true,
      input: sfn.TaskInput.fromObject({
        accountId: sfn.JsonPath.stringAt('$.accountId'),
        cycleId: sfn.JsonPath.stringAt('$.cycleId'),
        loop: 0,
        generation: sfn.JsonPath.mathAdd(sfn.JsonPath.numberAt('$.generation'), 1),
      }),
      resultPath: sfn.JsonPath.DISCARD,
    })
      .addRetry({ errors: ['States.ALL'], ...TRANSIENT_RETRY })
      .addCatch(failed, { errors: ['States.ALL'], resultPath: '$.error' });
    continueAsNew.next(new sfn.Succeed(this, 'ContinuedAsNewExecution'));

    close.next(
      new sfn.Choice(this, 'Closed?')
        .when(sfn.Condition.booleanEquals('$.step.closed', true), new sfn.Succeed(this, 'CycleClosed'))
        .otherwise(awaitEvent),
    );
    for (const action of [remind, offerPlan, escalate, letter]) action.next(awaitEvent);
    awaitEvent.next(diagnose);

    diagnose.next(
      new sfn.Choice(this, 'Route')
        .when(sfn.Condition.stringEquals('$.step.action', 'close'), close)
        // After maxLoops, or once the execution is HANDOVER_DAYS old (Diagnose says so): Step Functions ends executions
        // at
        // a year and 25,000 events, and a plan paid over years must outlive both.
        .when(
          sfn.Condition.or(
            sfn.Condition.numberGreaterThanEquals('$.loop', maxLoops),
            sfn.Condition.booleanEquals('$.handover', true),
          ),
          continueAsNew,
        )
        .when(sfn.Condition.stringEquals('$.step.action', 'remind'), remind)
        .when(sfn.Condition.stringEquals('$.step.action', 'offer-plan'), offerPlan)
        .when(sfn.Condition.stringEquals('$.step.action', 'escalate'), escalate)
        .when(sfn.Condition.stringEquals('$.step.action', 'letter'), letter)
        .otherwise(awaitEvent),
    );

    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineName: props.stateMachineName,
      stateMachineType: sfn.StateMachineType.STANDARD,
      definitionBody: sfn.DefinitionBody.fromChainable(diagnose),
      tracingEnabled: true,
      logs: { destination: props.logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
    });
    // AwaitEvent resumes itself (SendTaskSuccess) when the account changed before it parked. The ARN
    // is built from the name: a reference to the machine here would be a dependency cycle.
    fn.awaitEvent.addToRolePolicy(
      new PolicyStatement({ actions: ['states:SendTaskSuccess'], resources: [stateMachineArn] }),
    );
    this.stateMachineArn = stateMachineArn;
  }
}
