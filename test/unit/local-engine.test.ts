// The local engine takes only valid ASL, however many engines a process builds.
import { describe, expect, it } from 'vitest';
import { POLICY_PACKS } from '../../policies/built-in-packs';
import { checkDefinition, LocalEngine, trustDefinition } from '../../workflows/twin/engine';
import { Scheduler } from '../../workflows/twin/scheduler';
import { loadWorkflow, type SynthesizedWorkflow } from '../../workflows/twin/synthesized-workflow';

const engineFor = (workflow: SynthesizedWorkflow) =>
  new LocalEngine({ workflow, scheduler: new Scheduler(0), handlers: {} });

describe('the local engine', () => {
  it('refuses a definition that is not valid ASL, also after it has validated the synthesized one', async () => {
    const workflow = await loadWorkflow(POLICY_PACKS['us-regf']);
    expect(engineFor(workflow)).toBeInstanceOf(LocalEngine);
    // A second engine on the same definition is built without validating it again.
    expect(engineFor(workflow)).toBeInstanceOf(LocalEngine);
    const broken = { ...workflow, definition: { ...workflow.definition, StartAt: 'NoSuchState' } };
    expect(() => engineFor(broken)).toThrow(/NoSuchState|StartAt/);
    // Refused again: a definition that failed is never taken as validated.
    expect(() => engineFor(broken)).toThrow(/NoSuchState|StartAt/);
  }, 60_000);

  it("checks a workflow's ASL once for a thread, and takes it unchecked where another thread checks it", async () => {
    const workflow = await loadWorkflow(POLICY_PACKS['us-regf']);
    const broken = (state: string) => ({ ...workflow, definition: { ...workflow.definition, StartAt: state } });
    expect(() => checkDefinition(workflow)).not.toThrow();
    expect(() => checkDefinition(broken('Nowhere'))).toThrow(/Nowhere|StartAt/);
    // A simulation's second worker takes the definition its first worker checks: it builds engines without a check.
    trustDefinition(broken('Elsewhere'));
    expect(engineFor(broken('Elsewhere'))).toBeInstanceOf(LocalEngine);
  }, 60_000);

  it('fails an execution whose state output passes the 256 KB quota as AWS does (docs/contract.md §10.2)', async () => {
    const workflow = await loadWorkflow(POLICY_PACKS['us-regf']);
    const scheduler = new Scheduler(Date.parse('2026-01-05T00:00:00Z'));
    // Diagnose answers with 300 KB: a handler that carried PII or history through the execution would.
    const engine = new LocalEngine({
      workflow,
      scheduler,
      handlers: {
        diagnose: async () => ({
          accountId: 'BIG',
          cycleId: 'C1',
          loop: 1,
          generation: 0,
          padding: 'x'.repeat(300 * 1024),
        }),
      },
    });
    expect(engine.start('BIG-C1', { accountId: 'BIG', cycleId: 'C1', loop: 0, generation: 0 })).toBe(true);
    await scheduler.runUntil(Date.parse('2026-01-06T00:00:00Z'));
    await scheduler.idle();
    expect(engine.describe('BIG-C1')).toMatchObject({
      status: 'FAILED',
      error: expect.stringMatching(/^States\.DataLimitExceeded: Diagnose's payload is \d+ bytes, over 262144/),
    });
  }, 60_000);

  it('ends an execution whose history passes the 25,000-event quota as AWS does (docs/contract.md §10.2)', async () => {
    // A workflow that never waits: one task looping on itself, as a loop with a missing wait would.
    const arn = 'arn:aws:lambda:us-east-1:000000000000:function:Spin';
    const spin: SynthesizedWorkflow = {
      definition: {
        StartAt: 'Spin',
        States: {
          Spin: { Type: 'Task', Resource: arn, Next: 'Again' },
          // Valid ASL needs a way out; the handler never takes it.
          Again: {
            Type: 'Choice',
            Choices: [{ Variable: '$.done', IsPresent: true, Next: 'Done' }],
            Default: 'Spin',
          },
          Done: { Type: 'Succeed' },
        },
      },
      stateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:spin',
      // The state machine's role may invoke its one function.
      iam: {
        account: '000000000000',
        region: 'us-east-1',
        roles: {
          'state-machine': {
            arn: 'arn:aws:iam::000000000000:role/Spin',
            statements: [{ Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: arn }],
          },
        },
        resourcePolicies: {},
        keys: {},
        environments: {},
        functions: { spin: arn },
      },
      bindings: { Spin: { handler: 'spin', pattern: 'invoke', functionArn: arn } },
    };
    const scheduler = new Scheduler(Date.parse('2026-01-05T00:00:00Z'));
    let calls = 0;
    const engine = new LocalEngine({
      workflow: spin,
      scheduler,
      handlers: { spin: async (input) => ((calls += 1), input) },
    });
    expect(engine.start('SPIN-C1', { accountId: 'SPIN' })).toBe(true);
    await scheduler.idle();
    await expect.poll(() => engine.describe('SPIN-C1')?.status, { timeout: 50_000 }).toBe('FAILED');
    expect(engine.describe('SPIN-C1')).toMatchObject({
      error: expect.stringMatching(/^States\.Runtime: the execution's history passed 25,000 events/),
    });
    // Two history events per interpreter event, a few per task: thousands of calls, not an endless loop.
    expect(calls).toBeGreaterThan(1_000);
    expect(calls).toBeLessThan(12_500);
  }, 60_000);
});
