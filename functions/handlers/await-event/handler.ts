// functions/handlers/await-event/handler.ts — parks the execution's task token on the account until its wait times
// out. If the account changed since Diagnose, the wait would miss that change, so it resumes itself at once.
import { AwaitInput } from '../../use-cases/execution-state';
import type { AccountStore, Clock, Log, Metrics, WorkflowCallbacks } from '../../ports';

export interface AwaitDeps {
  clock: Clock;
  accounts: AccountStore;
  callbacks: WorkflowCallbacks;
  log: Log;
  metrics: Metrics;
}

export const makeHandler =
  (deps: AwaitDeps) =>
  async (raw: unknown): Promise<{ parked: boolean }> => {
    const input = AwaitInput.parse(raw);
    const expiresAt = new Date(deps.clock.now().getTime() + input.waitSeconds * 1000).toISOString();
    let stored = await deps.accounts.parkTaskToken(input.accountId, input.taskToken, input.version, expiresAt);
    if (stored === 'stale') {
      // A retry of this same wait (the function died after parking): the only change since is our own
      // park, whose token no event has taken. Park again instead of waking up early.
      const state = await deps.accounts.getState(input.accountId);
      if (state?.taskToken && state.version === input.version + 1)
        stored = await deps.accounts.parkTaskToken(input.accountId, input.taskToken, state.version, expiresAt);
    }
    if (stored === 'stale') {
      deps.log.info('account changed before the wait began: resuming now', {
        accountId: input.accountId,
        version: input.version,
      });
      const resumed = await deps.callbacks.resume(input.taskToken);
      if (!resumed.resumed) {
        deps.metrics.count('resume-stale');
        deps.log.warn('resume found no waiting execution', { accountId: input.accountId, reason: resumed.reason });
      }
    }
    return { parked: stored === 'stored' };
  };
