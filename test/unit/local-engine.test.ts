// The local engine takes only valid ASL, however many engines a process builds.
import { describe, expect, it } from 'vitest';
import { POLICY_PACKS } from '../../policies/built-in-packs';
import { LocalEngine } from '../../workflows/local/engine';
import { Scheduler } from '../../workflows/local/scheduler';
import { loadWorkflow, type SynthesizedWorkflow } from '../../workflows/local/synthesized-workflow';

const engineFor = (workflow: SynthesizedWorkflow) => new LocalEngine({ workflow, scheduler: new Scheduler(0), handlers: {} });

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
});
