// The contact step Remind and OfferPlan share: decide a message, record it as pending, send it once (its
// contactId is the provider idempotency key), then record it as sent — a contact — or as failed.
// A retry finds the pending message and finishes it; it never decides a second one.
import {
  attemptContact,
  callTaskCreated,
  contactDropped,
  contactFailed,
  contactRefusedOptedOut,
  contactSent,
} from '../domain/contact-attempt';
import { decideContact } from '../domain/contact-policy';
import { addressFor, isTask } from '../domain/channels';
import type { AccountState, PendingContact } from '../domain/account';
import type { Profile } from '../domain/apply-event';
import { MIN_WAIT_SECONDS, nextStep, pendingPausedBy, waitAfter } from '../domain/next-step';
import type { Change } from '../domain/change';
import { type CreateOnce, type CustomerLinks, type PersonStore, type Senders, type WorkflowDeps } from '../ports';
import { personCapReached } from '../domain/person-caps';
import { givePlaceBack, takePlace } from './person-ledger';
import { callPlaceOf, personTaskWrite, placeOnPersonTask } from './person-call-task';
import { CONFLICT, loadWithProfile, retryOnConflict, saveStep, type Conflict } from './account-access';
import { PermanentSendError, TransientError } from '../errors';
import { afterAction, ContactInput, repeatOfActedStep, type StepInput, untilHandover } from './execution-state';

export interface ContactDeps extends WorkflowDeps {
  senders: Senders;
  links: CustomerLinks;
  /** The person's contact ledger (docs/contract.md §11.1): the caps across the person's accounts. */
  persons: PersonStore;
}

/** Sends tried (each with the SDK's own retries) before a message is recorded as failed. */
export const MAX_SEND_ATTEMPTS = 3;

/** The create-once items of the offers the change made (a settlement agreed meanwhile keeps the pending one off). */
const offerClaims = (state: AccountState, pending: PendingContact, change: Change): CreateOnce[] => [
  ...(pending.offer && change.entries.some((e) => e.kind === 'plan-offered')
    ? [{ sk: `PLAN#${pending.offer.planId}`, attributes: { ...pending.offer, cycleId: state.cycleId } }]
    : []),
  ...(pending.settlement && change.entries.some((e) => e.kind === 'settlement-offered')
    ? [
        {
          sk: `SETTLEMENT#${pending.settlement.settlementId}`,
          attributes: { ...pending.settlement, cycleId: state.cycleId },
        },
      ]
    : []),
];

export const contactStep =
  (deps: ContactDeps) =>
  async (raw: unknown): Promise<StepInput> => {
    const input = ContactInput.parse(raw);
    const { step } = input;
    return retryOnConflict(input.accountId, async () => {
      const { state, profile } = await loadWithProfile(deps, input.accountId);
      const now = deps.clock.now();
      if (state.pendingContact) {
        const dropped = stillDue(deps, state, state.pendingContact);
        if (dropped) {
          await givePlaceBack(deps, state, state.pendingContact);
          return record(deps, input, state, state.pendingContact, dropped);
        }
        return finish(deps, input, state, profile, state.pendingContact);
      }
      const repeat = repeatOfActedStep(input, state, () => waitAfter(state, now, deps.playbook));
      if (repeat) return repeat;
      // Something happened since Diagnose (a payment, a dispute…): hand the old version to AwaitEvent,
      // which finds it stale and resumes at once, so the account is diagnosed again.
      if (state.version !== step.version || !step.channel)
        return afterAction(input, 'state-changed', MIN_WAIT_SECONDS, step.version);
      const template = step.action === 'offer-plan' ? 'plan-offer' : (step.template ?? 'reminder-gentle');
      const url = isTask(step.channel) ? undefined : await deps.links.linkFor(state.accountId, state.cycleId, now);
      const link = url === undefined ? undefined : { url, reference: deps.links.referenceOf(url) };
      const attempt = attemptContact(state, step.channel, template, now, deps.playbook, link);
      if (attempt.kind === 'postponed') return afterAction(input, attempt.rule, MIN_WAIT_SECONDS, step.version);
      if (attempt.kind === 'blocked') {
        const saved = await saveStep(deps, {
          state: { ...attempt.state, actedOn: step.version },
          expectedVersion: state.version,
          entries: attempt.entries,
        });
        if (saved === CONFLICT) return CONFLICT;
        deps.metrics.count('contact-blocked');
        deps.log.info('contact blocked', {
          accountId: state.accountId,
          channel: step.channel,
          template,
          rule: attempt.rule,
        });
        return afterAction(
          input,
          attempt.rule,
          untilHandover(input, now, waitAfter(saved, now, deps.playbook)),
          saved.version,
        );
      }
      const decided: PendingContact = { ...attempt.pending, decidedOn: step.version };
      // A call is a task for a collector: nothing to send, so nothing to hold pending.
      if (isTask(decided.channel)) return queueCall(deps, input, state, decided);
      const pending = await saveStep(deps, {
        state: { ...state, pendingContact: decided },
        expectedVersion: state.version,
      });
      if (pending === CONFLICT) return CONFLICT;
      return finish(deps, input, pending, profile, decided);
    });
  };

/**
 * A message decided in an earlier invocation goes only if the policy allows it now and the workflow still calls
 * for it (a curing payment makes the close due first; a promise, a plan, an accepted settlement or the bank's debit
 * made since pauses it, as it would have kept the step from deciding it); otherwise the change that drops it. The
 * send-once key still keeps a message that did go out from going twice.
 */
const stillDue = (deps: ContactDeps, state: AccountState, pending: PendingContact): Change | null => {
  const now = deps.clock.now();
  const decision = decideContact(state, pending.channel, deps.playbook.pack, now);
  if (decision.kind === 'blocked') return contactDropped(state, pending, decision.rule, now);
  const next = nextStep(state, now, deps.playbook);
  if (next.action === 'close') return contactDropped(state, pending, next.rule, now);
  const paused = pendingPausedBy(state, pending);
  return paused ? contactDropped(state, pending, paused, now) : null;
};

const finish = async (
  deps: ContactDeps,
  input: StepInput,
  state: AccountState,
  profile: Profile,
  pending: PendingContact,
): Promise<StepInput | Conflict> => {
  const now = deps.clock.now();
  if (isTask(pending.channel)) return queueCall(deps, input, state, pending);
  // The person's cap: the place is taken before the message goes, and given back if it does not.
  if (!(await takePlace(deps, state, pending)))
    return record(deps, input, state, pending, personCapReached(state, pending, deps.playbook.pack, now));
  const address = addressFor(pending.channel, profile);
  if (!address) {
    await givePlaceBack(deps, state, pending);
    return record(
      deps,
      input,
      state,
      pending,
      contactFailed(state, pending, 'no contact point for this channel on the profile', now),
    );
  }
  try {
    await deps.senders[pending.channel].send(
      address,
      { subject: pending.subject, text: pending.text },
      { accountId: state.accountId, contactId: pending.contactId },
    );
    return record(deps, input, state, pending, contactSent(state, pending));
  } catch (error) {
    const message = (error as Error).message;
    const final = error instanceof PermanentSendError || pending.attempts + 1 >= MAX_SEND_ATTEMPTS;
    if (final) await givePlaceBack(deps, state, pending);
    if (error instanceof PermanentSendError) {
      return record(
        deps,
        input,
        state,
        pending,
        error.optedOut
          ? contactRefusedOptedOut(state, pending, message, now)
          : contactFailed(state, pending, message, now),
      );
    }
    const attempts = pending.attempts + 1;
    if (attempts >= MAX_SEND_ATTEMPTS)
      return record(
        deps,
        input,
        state,
        pending,
        contactFailed(state, pending, `not sent after ${attempts} attempts: ${message}`, now),
      );
    // Count the attempt, then let Step Functions retry the step later; the retry finishes this message.
    await deps.accounts.save({
      state: { ...state, pendingContact: { ...pending, attempts } },
      expectedVersion: state.version,
    });
    throw new TransientError(
      `send of ${pending.contactId} failed (attempt ${attempts} of ${MAX_SEND_ATTEMPTS}): ${message}`,
    );
  }
};

/**
 * Puts the call in the collectors' queue: the task item and the account's record of it, in one write. An account of a
 * person joins the person's open task instead, or makes their next (docs/contract.md §11.1).
 */
const queueCall = async (
  deps: ContactDeps,
  input: StepInput,
  state: AccountState,
  pending: PendingContact,
): Promise<StepInput | Conflict> => {
  const now = deps.clock.now();
  const place = await placeOnPersonTask(deps, state, now);
  // The person's last call is being recorded on their accounts: it is theirs until then; look again in a minute.
  if (place.kind === 'wait') return afterAction(input, place.rule, MIN_WAIT_SECONDS, state.version);
  const joining = place.kind === 'join' ? place.task : undefined;
  // The person's cap: the call's place is taken when the task is queued (it is dialled that day or not at all); a task
  // joined took its place when it was made: one call for all debts. Accounts of the person racing to make the task take
  // the same place (named by the pointer's next version): the one that makes it uses it, and it is not given back.
  if (!joining && !(await takePlace(deps, state, pending, callPlaceOf(place))))
    return record(deps, input, state, pending, personCapReached(state, pending, deps.playbook.pack, now));
  const created = callTaskCreated(state, pending, now, deps.playbook.pack, joining);
  const next = pending.decidedOn === undefined ? created.state : { ...created.state, actedOn: pending.decidedOn };
  const task = created.task;
  const personTask = personTaskWrite(state, place, task);
  const saved = await saveStep(deps, {
    state: next,
    expectedVersion: state.version,
    entries: created.entries,
    creates: offerClaims(state, pending, created),
    callTasks: joining
      ? []
      : [
          {
            taskId: task.taskId,
            accountId: state.accountId,
            accountIds: [state.accountId],
            cycleId: state.cycleId,
            createdAt: task.createdAt,
            expiresAt: task.expiresAt,
            status: 'open',
            claimedBy: null,
            leaseUntil: null,
          },
        ],
    ...(personTask ? { personTask } : {}),
  });
  if (saved === CONFLICT) return CONFLICT;
  deps.metrics.count(joining ? 'call-task-joined' : 'call-task-created');
  deps.log.info(joining ? 'call task joined' : 'call task created', {
    accountId: state.accountId,
    taskId: task.taskId,
    expiresAt: task.expiresAt,
    template: task.template,
    rule: task.rule,
  });
  return afterAction(
    input,
    pending.rule,
    untilHandover(input, now, waitAfter(saved, now, deps.playbook)),
    saved.version,
  );
};

/** Records the attempt's outcome: a contact (and its offer), or a failure; the events out travel with it. */
const record = async (
  deps: ContactDeps,
  input: StepInput,
  state: AccountState,
  pending: PendingContact,
  change: Change,
): Promise<StepInput | Conflict> => {
  const sent = change.entries.some((e) => e.kind === 'contact');
  const outcome = sent
    ? 'contacted'
    : change.entries.some((e) => e.kind === 'contact-blocked')
      ? 'contact blocked'
      : 'contact failed';
  const next = pending.decidedOn === undefined ? change.state : { ...change.state, actedOn: pending.decidedOn };
  const saved = await saveStep(deps, {
    state: next,
    expectedVersion: state.version,
    entries: change.entries,
    creates: sent ? offerClaims(state, pending, change) : [],
  });
  if (saved === CONFLICT) return CONFLICT;
  const now = deps.clock.now();
  deps.metrics.count(
    outcome === 'contacted' ? `contact-${pending.channel}` : `${outcome.replace(' ', '-')}-${pending.channel}`,
  );
  deps.log.info(outcome, {
    accountId: state.accountId,
    contactId: pending.contactId,
    channel: pending.channel,
    template: pending.template,
    rule: pending.rule,
  });
  return afterAction(
    input,
    pending.rule,
    untilHandover(input, now, waitAfter(saved, now, deps.playbook)),
    saved.version,
  );
};
