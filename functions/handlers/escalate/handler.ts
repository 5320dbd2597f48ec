// functions/handlers/escalate/handler.ts — moves the account one level up the escalation ladder.
import { MIN_WAIT_SECONDS, waitAfter } from '../../domain/next-step';
import { escalate } from '../../domain/transitions';
import { CONFLICT, loadState, retryOnConflict, saveStep } from '../../use-cases/account-access';
import {
  afterAction,
  EscalateInput,
  repeatOfActedStep,
  type StepInput,
  untilHandover,
} from '../../use-cases/execution-state';
import type { WorkflowDeps } from '../../ports';

export const makeHandler =
  (deps: WorkflowDeps) =>
  async (raw: unknown): Promise<StepInput> => {
    const input = EscalateInput.parse(raw);
    const { step } = input;
    return retryOnConflict(input.accountId, async () => {
      const state = await loadState(deps, input.accountId);
      const now = deps.clock.now();
      if (step.level === undefined || !step.to)
        return afterAction(input, 'state-changed', MIN_WAIT_SECONDS, step.version);
      const repeat = repeatOfActedStep(input, state, () => waitAfter(state, now, deps.playbook));
      if (repeat) return repeat;
      if (state.version !== step.version) return afterAction(input, 'state-changed', MIN_WAIT_SECONDS, step.version);
      const change = escalate(state, step.level, step.to, step.rule, now, deps.playbook.pack);
      const saved = await saveStep(deps, {
        state: { ...change.state, actedOn: step.version },
        expectedVersion: state.version,
        entries: change.entries,
      });
      if (saved === CONFLICT) return CONFLICT;
      deps.metrics.count(`escalated-${step.to}`);
      deps.log.info('escalated', { accountId: state.accountId, level: step.level, to: step.to, rule: step.rule });
      return afterAction(
        input,
        step.rule,
        untilHandover(input, now, waitAfter(saved, now, deps.playbook)),
        saved.version,
      );
    });
  };
