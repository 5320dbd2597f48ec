// functions/close/handler.ts — ends the cycle with its reason, if the fresh state still says so.
import { workflowDepsFromEnv } from '../adapters/production';
import { MIN_WAIT_SECONDS, nextStep } from '../domain/next-step';
import { close } from '../domain/transitions';
import { announce, loadState, saveOrRetry } from '../shared/account-access';
import { afterAction, StepInput } from '../shared/execution-state';
import { lazyHandler } from '../shared/lazy-handler';
import type { WorkflowDeps } from '../shared/ports';

export const makeHandler = (deps: WorkflowDeps) => async (raw: unknown): Promise<StepInput> => {
  const input = StepInput.parse(raw);
  const state = await loadState(deps, input.accountId);
  const now = deps.clock.now();
  const done = (rule: string) => ({ ...afterAction(input, rule, MIN_WAIT_SECONDS, state.version), step: { action: 'close' as const, rule, waitSeconds: MIN_WAIT_SECONDS, version: state.version, closed: true } });
  if (state.cycleId !== input.cycleId || state.status === 'closed') return done(state.cycleId !== input.cycleId ? 'cycle-superseded' : 'already-closed');
  // Closing is final, so decide on fresh state: an event since Diagnose may have changed the answer.
  const step = nextStep(state, now, deps.playbook);
  if (step.action !== 'close') return afterAction(input, 'state-changed', MIN_WAIT_SECONDS, input.step.version);
  const change = close(state, step.reason, now);
  const saved = await saveOrRetry(deps, { state: change.state, expectedVersion: state.version, entries: change.entries });
  await announce(deps, saved.state, change.entries);
  deps.metrics.count(`closed-${step.reason}`);
  deps.log.info('closed', { accountId: state.accountId, cycleId: state.cycleId, reason: step.reason, rule: step.rule });
  return { ...done(step.rule), step: { action: 'close', rule: step.rule, reason: step.reason, waitSeconds: MIN_WAIT_SECONDS, version: saved.state.version, closed: true } };
};

export const handler = lazyHandler(() => makeHandler(workflowDepsFromEnv('close')));
