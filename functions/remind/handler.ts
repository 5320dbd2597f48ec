// functions/remind/handler.ts — sends the next reminder if the contact policy allows it now.
import { sesEmailSender, newSesClient } from '../adapters/email-sender';
import { env, workflowDepsFromEnv } from '../adapters/production';
import { endUserSmsSender, newSmsClient } from '../adapters/sms-sender';
import { attemptContact } from '../domain/contact-attempt';
import { MIN_WAIT_SECONDS, waitAfter } from '../domain/next-step';
import { announce, saveOrRetry } from '../shared/account-access';
import { AccountNotFoundError } from '../shared/errors';
import { afterAction, StepInput } from '../shared/execution-state';
import { lazyHandler } from '../shared/lazy-handler';
import type { Senders, WorkflowDeps } from '../shared/ports';
import type { Profile } from '../domain/apply-event';
import type { Channel } from '../domain/channels';

export interface ContactDeps extends WorkflowDeps { senders: Senders }

const addressFor = (profile: Profile, channel: Channel): string | null => (channel === 'email' ? profile.email : profile.phone);

/**
 * Shared by Remind and OfferPlan: act only on the state the step was decided on, record the attempt,
 * then send. Recording first means a retry never sends what the record does not show.
 */
export const contactStep = (deps: ContactDeps) => async (raw: unknown): Promise<StepInput> => {
  const input = StepInput.parse(raw);
  const { step } = input;
  const loaded = await deps.accounts.getWithProfile(input.accountId);
  if (!loaded) throw new AccountNotFoundError(input.accountId);
  const { state, profile } = loaded;
  const now = deps.clock.now();
  // Something happened since Diagnose (a payment, a dispute…): hand the old version to AwaitEvent,
  // which finds it stale and resumes at once, so the account is diagnosed again.
  if (state.version !== step.version || !step.channel) return afterAction(input, 'state-changed', MIN_WAIT_SECONDS, step.version);
  const template = step.action === 'offer-plan' ? 'plan-offer' : step.template ?? 'reminder-gentle';
  const attempt = attemptContact(state, step.channel, template, now, deps.playbook);
  if (attempt.kind === 'postponed') return afterAction(input, attempt.rule, MIN_WAIT_SECONDS, step.version);
  const saved = await saveOrRetry(deps, {
    state: attempt.state, expectedVersion: state.version, entries: attempt.entries,
    creates: attempt.kind === 'contact' && attempt.offer
      ? [{ sk: `PLAN#${attempt.offer.planId}`, attributes: { ...attempt.offer, cycleId: state.cycleId } }]
      : [],
  });
  const address = addressFor(profile, step.channel);
  if (attempt.kind === 'contact' && step.channel !== 'call' && address) {
    await deps.senders[step.channel].send(address, attempt.message, { accountId: state.accountId, contactId: attempt.contactId });
  }
  await announce(deps, saved.state, attempt.entries);
  deps.metrics.count(attempt.kind === 'contact' ? `contact-${step.channel}` : 'contact-blocked');
  deps.log.info(attempt.kind === 'contact' ? 'contacted' : 'contact blocked', { accountId: state.accountId, channel: step.channel, template, rule: attempt.rule });
  return afterAction(input, attempt.rule, waitAfter(saved.state, now, deps.playbook), saved.state.version);
};

export const makeHandler = (deps: ContactDeps) => contactStep(deps);

export const contactDepsFromEnv = (service: string): ContactDeps => ({
  ...workflowDepsFromEnv(service),
  senders: {
    email: sesEmailSender(newSesClient(), env('SENDER_EMAIL')),
    sms: endUserSmsSender(newSmsClient(), env('SMS_ORIGINATION_IDENTITY')),
  },
});

export const handler = lazyHandler(() => makeHandler(contactDepsFromEnv('remind')));
