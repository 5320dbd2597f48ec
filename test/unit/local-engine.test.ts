// The local engine takes only valid ASL, however many engines a process builds.
import { describe, expect, it } from 'vitest';
import { POLICY_PACKS } from '../../policies/built-in-packs';
import { LocalEngine } from '../../workflows/local/engine';
import { Scheduler } from '../../workflows/local/scheduler';
import { loadWorkflow, type SynthesizedWorkflow } from '../../workflows/local/synthesized-workflow';

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

  it("fails an execution whose state output passes Step Functions' 256 KB, as AWS does (CONTRACT §10.2)", async () => {
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
});
