// functions/await-event/handler.ts — parks the execution's task token on the account. If the account
// changed since Diagnose, the wait would miss that change, so it resumes itself at once.
import { SFNClient } from '@aws-sdk/client-sfn';
import { repositoryFromEnv } from '../adapters/production';
import { powertoolsLog } from '../adapters/powertools';
import { stepFunctionsCallbacks } from '../adapters/workflow-callbacks';
import type { AccountRepository } from '../adapters/account-repository';
import { AwaitInput } from '../shared/execution-state';
import { lazyHandler } from '../shared/lazy-handler';
import type { Log, WorkflowCallbacks } from '../shared/ports';

export interface AwaitDeps { accounts: AccountRepository; callbacks: WorkflowCallbacks; log: Log }

export const makeHandler = (deps: AwaitDeps) => async (raw: unknown): Promise<{ parked: boolean }> => {
  const input = AwaitInput.parse(raw);
  const stored = await deps.accounts.storeTaskToken(input.accountId, input.taskToken, input.version);
  if (stored === 'stale') {
    deps.log.info('account changed before the wait began: resuming now', { accountId: input.accountId, version: input.version });
    await deps.callbacks.resume(input.taskToken);
  }
  return { parked: stored === 'stored' };
};

export const handler = lazyHandler(() => makeHandler({
  accounts: repositoryFromEnv(),
  callbacks: stepFunctionsCallbacks(new SFNClient({ maxAttempts: 8 })),
  log: powertoolsLog('await-event'),
}));
