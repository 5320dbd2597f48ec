// functions/handlers/close/handler.ts — ends the cycle with its reason, if the fresh state still says so.
import type { CloseReason } from '../../domain/account';
import { MIN_WAIT_SECONDS, nextStep } from '../../domain/next-step';
import { close } from '../../domain/transitions';
import { CONFLICT, loadState, retryOnConflict, saveStep } from '../../use-cases/account-access';
import { afterAction, CloseInput, type Step, type StepInput } from '../../use-cases/execution-state';
import type { WorkflowDeps } from '../../ports';

export const makeHandler =
  (deps: WorkflowDeps) =>
  async (raw: unknown): Promise<StepInput> => {
    const input = CloseInput.parse(raw);
    const closed = (rule: string, version: number, reason?: CloseReason): StepInput => {
      const step: Step = { action: 'close', rule, reason, waitSeconds: MIN_WAIT_SECONDS, version, closed: true };
      return { ...afterAction(input, rule, MIN_WAIT_SECONDS, version), step };
    };
    return retryOnConflict(input.accountId, async () => {
      const state = await loadState(deps, input.accountId);
      if (state.cycleId !== input.cycleId) return closed('cycle-superseded', state.version);
      if (state.status === 'closed') return closed('already-closed', state.version, state.closeReason ?? undefined);
      // Closing is final, so decide on fresh state: an event since Diagnose may have changed the answer.
      const now = deps.clock.now();
      const step = nextStep(state, now, deps.playbook);
      // Not closing after all: the Choice after Close reads `closed`, and a missing one fails the execution
      // (States.Runtime, which nothing catches). From the old version, AwaitEvent resumes at once to diagnose again.
      if (step.action !== 'close')
        return afterAction(input, 'state-changed', MIN_WAIT_SECONDS, input.step.version, { closed: false });
      const change = close(state, step.reason, now);
      const saved = await saveStep(deps, {
        state: change.state,
        expectedVersion: state.version,
        entries: change.entries,
      });
      if (saved === CONFLICT) return CONFLICT;
      deps.metrics.count(`closed-${step.reason}`);
      deps.log.info('closed', {
        accountId: state.accountId,
        cycleId: state.cycleId,
        reason: step.reason,
        rule: step.rule,
      });
      return closed(step.rule, saved.version, step.reason);
    });
  };
