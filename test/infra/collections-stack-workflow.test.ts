// The deployable stack's state machine: Standard, traced and logged, waiting on task tokens, and retrying what
// docs/contract.md §10.4 calls transient.
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { extractWorkflow } from '../../workflows/twin/synthesized-workflow';
import { json, template, useStackTemplate } from '../support/stack-template';

useStackTemplate();

describe('workflow', () => {
  // The same token resolution the local engine uses to run this definition.
  const definition = () => extractWorkflow(json).definition as Record<string, any>;

  it('is a Standard state machine with tracing and full logging without execution data', () => {
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineName: 'Collections-collection',
      StateMachineType: 'STANDARD',
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: Match.objectLike({ Level: 'ALL', IncludeExecutionData: false }),
    });
  });

  it('waits for a task token with the timeout taken from the step, and loops back on timeout', () => {
    const awaitEvent = definition().States.AwaitEvent;
    expect(awaitEvent).toMatchObject({
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      TimeoutSecondsPath: '$.step.waitSeconds',
      Next: 'Diagnose',
    });
    expect(awaitEvent.Parameters.Payload['taskToken.$']).toBe('$$.Task.Token');
    expect(awaitEvent.Catch[0]).toEqual({ ErrorEquals: ['States.Timeout'], ResultPath: null, Next: 'Diagnose' });
  });

  it('retries transient errors with backoff and jitter on every Lambda task, and fails loudly otherwise', () => {
    const { States } = definition();
    for (const name of ['Diagnose', 'Remind', 'OfferPlan', 'Escalate', 'Close']) {
      expect(States[name].Retry[0]).toMatchObject({
        ErrorEquals: expect.arrayContaining(['TransientError', 'Lambda.TooManyRequestsException']),
        BackoffRate: 2,
        JitterStrategy: 'FULL',
      });
      expect(States[name].Catch).toEqual([
        { ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'CollectionFailed' },
      ]);
    }
    expect(States.CollectionFailed.Type).toBe('Fail');
  });

  it(
    'continues as a new execution of itself after the loop limit, or when Diagnose says it is old enough ' +
      'to hand over',
    () => {
      const { States } = definition();
      const handover = States.Route.Choices.find((c: any) => c.Next === 'ContinueAsNew');
      expect(handover).toEqual({
        Or: [
          { Variable: '$.loop', NumericGreaterThanEquals: 200 },
          { Variable: '$.handover', BooleanEquals: true },
        ],
        Next: 'ContinueAsNew',
      });
      expect(States.ContinueAsNew.Resource).toBe('arn:aws:states:::states:startExecution');
      expect(States.ContinueAsNew.Parameters['Name.$']).toBe('$.continueAs');
    },
  );
});

describe('retries (docs/contract.md §10.4)', () => {
  const definition = () => extractWorkflow(json).definition as Record<string, any>;

  it('retries every transient error the contract names, with jittered backoff lasting at least 30 minutes', () => {
    const states = definition().States as Record<
      string,
      {
        Type: string;
        Retry?: {
          ErrorEquals: string[];
          IntervalSeconds: number;
          BackoffRate: number;
          MaxAttempts: number;
          MaxDelaySeconds?: number;
          JitterStrategy?: string;
        }[];
      }
    >;
    const diagnose = states.Diagnose!.Retry![0]!;
    expect(diagnose.ErrorEquals).toEqual(
      expect.arrayContaining([
        'Lambda.Unknown',
        'Sandbox.Timedout',
        'States.Timeout',
        'ThrottlingException',
        'TransactionCanceledException',
        'TransactionConflictException',
        'ServiceUnavailable',
        'IdempotencyAlreadyInProgressError',
      ]),
    );
    expect(diagnose.JitterStrategy).toBe('FULL');
    // The longest the retries can wait, without jitter: every delay doubles until its cap.
    let total = 0;
    for (let attempt = 0; attempt < diagnose.MaxAttempts; attempt += 1)
      total += Math.min(
        diagnose.IntervalSeconds * diagnose.BackoffRate ** attempt,
        diagnose.MaxDelaySeconds ?? Infinity,
      );
    // Full jitter halves it on average: that half is still past 30 minutes.
    expect(total / 2).toBeGreaterThan(30 * 60);
    for (const [name, state] of Object.entries(states).filter(([, s]) => s.Type === 'Task'))
      expect(state.Retry?.length, name).toBeGreaterThan(0);
  });
});
