// The ASL the local engine runs: the synthesized definition, with token tasks' timeouts moved onto the virtual
// clock (the interpreter's own real-time timer is given a ceiling it never reaches).
import type { SynthesizedWorkflow } from './synthesized-workflow';

/** Field the local definition adds to a token task's parameters: its TimeoutSecondsPath, evaluated. */
export const TIMEOUT_FIELD = 'localTimeoutSeconds';
/** Under Node's 2^31 ms setTimeout limit; the virtual timeout always settles first. */
const INTERPRETER_CEILING_SECONDS = 1_000_000;

/** The ASL the interpreter runs: the synthesized one, with token tasks' timeouts moved to the virtual clock. */
export const localDefinition = (workflow: SynthesizedWorkflow): SynthesizedWorkflow['definition'] => {
  const definition = structuredClone(workflow.definition);
  for (const [name, binding] of Object.entries(workflow.bindings)) {
    const state = definition.States[name]!;
    if (binding.pattern !== 'wait-for-token' || !state.TimeoutSecondsPath) continue;
    state.Parameters = { ...(state.Parameters as object), [`${TIMEOUT_FIELD}.$`]: state.TimeoutSecondsPath };
    delete state.TimeoutSecondsPath;
    state.TimeoutSeconds = INTERPRETER_CEILING_SECONDS;
  }
  return definition;
};
