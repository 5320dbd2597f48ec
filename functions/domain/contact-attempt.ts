// One attempt to reach the customer: allowed and worded, blocked and recorded, or postponed because
// only the clock stands in the way (the workflow then diagnoses again and waits).
import { createHash } from 'node:crypto';
import { isHardship, type AccountState, type CallTask, type PendingContact, type PlanOffer } from './account';
import { payLinkOf } from './pay-link';
import { newSettlement, settlementOffered } from './settlement';
import type { PolicyPack } from './policy-packs';
import type { Channel } from './channels';
import { decideContact } from './contact-policy';
import { daysPastDue } from './days-past-due';
import { factsOf, renderMessage, wordTerms, type MessageFacts } from './messages';
import { formatMoney } from './money';
import type { Playbook } from './next-step';
import { nextUnpaid, planTerms } from './plan-schedule';
import type { RecordEntry } from './record';
import type { TemplateId } from './strategy';
import { recordBlockedReminder, recordContact, recordOffer, recordOfferMade, recordTried } from './transitions';
import type { Change } from './change';
import type { PersonCallTask } from './person-call';
import { addDays, instantAt, localDate } from './zoned-time';

export type Attempt =
  /** Allowed: the message is worded and becomes pending until the provider accepts or refuses it. */
  | { kind: 'contact'; pending: PendingContact; rule: string }
  | { kind: 'blocked'; state: AccountState; entries: RecordEntry[]; rule: string }
  | { kind: 'postponed'; rule: string };

const factsFor = (
  state: AccountState,
  template: TemplateId,
  now: Date,
  playbook: Playbook,
  offer?: PlanOffer,
): MessageFacts => {
  const today = localDate(now, state.timezone);
  const facts = factsOf(
    state,
    daysPastDue(state.dueDate, now, state.timezone),
    addDays(today, playbook.strategy.payWithinDays),
  );
  if (template === 'courtesy') return { ...facts, dpd: 0, payBy: state.dueDate };
  if (template === 'plan-offer' && offer)
    return { ...facts, planId: offer.planId, terms: wordTerms(offer.terms, state.currency, state.locale) };
  if (template === 'settlement-offer' && state.settlement) {
    const amount = formatMoney({ amount: state.settlement.amount, currency: state.currency }, state.locale);
    return { ...facts, payBy: state.settlement.validUntil, settlement: { amount } };
  }
  const due = state.plan && nextUnpaid(state.plan.instalments);
  if (template === 'instalment-due' && state.plan && due) {
    const number = state.plan.instalments.indexOf(due) + 1;
    const amount = factsOf({ ...state, amountDue: due.amount - due.paid }, 0, '').amount;
    return {
      ...facts,
      payBy: due.dueDate,
      instalment: { number, of: state.plan.instalments.length, amount, dueDate: due.dueDate },
    };
  }
  return facts;
};

/** The customer's self-service link, stated in every email and SMS, and the pay reference derived from it. */
export interface MessageLink {
  url: string;
  reference: string;
}

/** `link`: absent for calls, which carry none. */
export const attemptContact = (
  state: AccountState,
  channel: Channel,
  template: TemplateId,
  now: Date,
  playbook: Playbook,
  link?: MessageLink,
): Attempt => {
  const decision = decideContact(state, channel, playbook.pack, now);
  const at = now.toISOString();
  if (decision.kind === 'blocked') {
    if (decision.retryAt !== null) return { kind: 'postponed', rule: decision.rule };
    return {
      kind: 'blocked',
      state: recordBlockedReminder(state, now),
      entries: [{ kind: 'contact-blocked', at, channel, rule: decision.rule }],
      rule: decision.rule,
    };
  }
  // Failed sends use up an id too, so every attempt in the record has its own.
  const contactId = `${state.cycleId}-C${state.history.contacts + state.history.failedSends + 1}`;
  const offer = template === 'plan-offer' ? newOffer(state, now, playbook) : undefined;
  const settlement =
    template === 'settlement-offer'
      ? newSettlement(state, now, playbook.pack, undefined, playbook.strategy)
      : undefined;
  // The message speaks of the settlement it offers, and its pay link asks for that amount.
  const speaking = settlement ? { ...state, settlement } : state;
  const message = renderMessage(template, channel, state.locale, {
    ...factsFor(speaking, template, now, playbook, offer),
    link: link?.url,
    payLink: link && payLinkOf(playbook.pack.payUrl, speaking, link.reference),
  });
  const remindedFor =
    template === 'instalment-due' ? ((state.plan && nextUnpaid(state.plan.instalments)?.dueDate) ?? null) : null;
  return {
    kind: 'contact',
    rule: decision.rule,
    pending: {
      contactId,
      at,
      channel,
      template,
      locale: state.locale,
      rule: decision.rule,
      subject: message.subject,
      text: message.text,
      attempts: 0,
      offer: offer ?? null,
      ...(settlement ? { settlement } : {}),
      remindedFor,
    },
  };
};

/**
 * The provider accepted the message (or the collector dialled): now it is a contact, and an offer is made. A
 * settlement already on the account (one a collector agreed while the message waited) stands: one at a time, and a
 * pending offer never replaces one accepted (docs/contract.md §11.2.20); the message is still a contact.
 */
export const contactSent = (state: AccountState, pending: PendingContact): Change => {
  const at = new Date(pending.at);
  const cleared = { ...state, pendingContact: null };
  const contact: RecordEntry = {
    kind: 'contact',
    at: pending.at,
    contactId: pending.contactId,
    channel: pending.channel,
    template: pending.template,
    locale: pending.locale,
    rule: pending.rule,
    text: pending.text,
  };
  if (pending.settlement && !state.settlement) {
    const offered = settlementOffered(recordContact(cleared, pending.channel, at), pending.settlement);
    return { state: offered.state, entries: [...offered.entries, contact] };
  }
  if (pending.offer) {
    return {
      state: recordOffer(cleared, pending.offer, pending.channel, at),
      entries: [
        { kind: 'plan-offered', at: pending.at, planId: pending.offer.planId, terms: pending.offer.terms },
        contact,
      ],
    };
  }
  return { state: recordContact(cleared, pending.channel, at, pending.remindedFor ?? undefined), entries: [contact] };
};

/**
 * The message could not be sent: recorded as failed, not as a contact. The reminder cadence moves on as
 * for a blocked reminder, so the next turn tries again under the policy instead of at once, on the next channel.
 */
export const contactFailed = (state: AccountState, pending: PendingContact, reason: string, now: Date): Change => {
  const at = now.toISOString();
  const moved = recordTried(state, pending.channel, now);
  return {
    state: {
      ...moved,
      pendingContact: null,
      history: { ...moved.history, failedSends: state.history.failedSends + 1, lastFailedAt: at },
    },
    entries: [
      {
        kind: 'contact-failed',
        at,
        contactId: pending.contactId,
        channel: pending.channel,
        template: pending.template,
        rule: pending.rule,
        reason,
      },
    ],
  };
};

/**
 * A pending message asked the policy again before it goes (it may have waited through retries, past 21:00, past a
 * cease, a dispute or a payment): blocked now, it is dropped and recorded as blocked, which is no contact; the
 * cadence moves on as for any blocked reminder, and the next turn decides afresh.
 */
export const contactDropped = (state: AccountState, pending: PendingContact, rule: string, now: Date): Change => ({
  state: { ...recordBlockedReminder(state, now), pendingContact: null },
  entries: [{ kind: 'contact-blocked', at: now.toISOString(), channel: pending.channel, rule }],
});

/**
 * The provider refused because the customer opted out of the channel with it (an SMS "STOP"): the send
 * failed, and the opt-out is recorded so that no later step tries that channel again (docs/contract.md §3.5).
 */
export const contactRefusedOptedOut = (
  state: AccountState,
  pending: PendingContact,
  reason: string,
  now: Date,
): Change => {
  const failed = contactFailed(state, pending, reason, now);
  if (state.optOuts.includes(pending.channel)) return failed;
  return {
    state: { ...failed.state, optOuts: [...state.optOuts, pending.channel] },
    entries: [...failed.entries, { kind: 'opt-out', at: now.toISOString(), channel: pending.channel }],
  };
};

/** Task ids are unique across accounts (the queue is shared) and the same on a retry of the step. */
export const taskIdFor = (accountId: string, contactId: string): string =>
  `T${createHash('sha256').update(`${accountId}/${contactId}`).digest('base64url').slice(0, 22)}`;

/** The end of today's contact window in the customer's zone: a call task not dialled by then expires. */
export const contactWindowEnd = (state: AccountState, pack: PolicyPack, now: Date): string =>
  instantAt(localDate(now, state.timezone), pack.contactHours.untilHour, 0, state.timezone).toISOString();

export interface TaskCreated extends Change {
  task: CallTask;
}

/** The person's open task an account joins (docs/contract.md §11.1): its id, window, cycle and accounts so far. */
export type JoinedTask = Pick<PersonCallTask, 'taskId' | 'expiresAt' | 'cycleId' | 'accountIds'>;

/**
 * A call is a task for a collector (docs/contract.md §3.12): it waits in the queue and is no contact until it is
 * dialled. The reminder cadence moves on as for a reminder that was due, and the next turn goes on to the
 * next channel: calls nobody dials do not starve email and SMS. A plan the call is to offer is made now, as an
 * emailed one is when sent: it is on the self-service page and the desk at once, and a customer reached only by
 * phone is not offered a new plan call after call. An account of a person (`customerId`) lists itself on the task
 * (`accountIds`); `joining` the person's open task, it holds that task under its own contact id (docs/contract.md
 * §11.1).
 */
export const callTaskCreated = (
  state: AccountState,
  pending: PendingContact,
  now: Date,
  pack: PolicyPack,
  joining?: JoinedTask,
): TaskCreated => {
  const task: CallTask = {
    taskId: joining?.taskId ?? taskIdFor(state.accountId, pending.contactId),
    contactId: pending.contactId,
    createdAt: pending.at,
    expiresAt: joining?.expiresAt ?? contactWindowEnd(state, pack, now),
    template: pending.template,
    rule: pending.rule,
    locale: pending.locale,
    script: pending.text,
    offer: pending.offer,
    ...(pending.decidedOn === undefined ? {} : { decidedOn: pending.decidedOn }),
  };
  const tried = { ...recordTried(state, 'call', now), pendingContact: null, callTask: task };
  // A settlement the call is to offer is made now, as a plan is: on the page and the desk at once (unless one agreed
  // meanwhile stands, as for a message).
  const settled =
    pending.settlement && !state.settlement
      ? settlementOffered(tried, pending.settlement)
      : { state: tried, entries: [] };
  const queued = settled.state;
  const listed = joining
    ? {
        accountIds: joining.accountIds.includes(state.accountId)
          ? joining.accountIds
          : [...joining.accountIds, state.accountId],
        taskCycleId: joining.cycleId,
      }
    : state.customerId
      ? { accountIds: [state.accountId] }
      : {};
  const entry: RecordEntry = {
    kind: 'call-task',
    at: pending.at,
    taskId: task.taskId,
    contactId: task.contactId,
    expiresAt: task.expiresAt,
    ...listed,
  };
  if (!pending.offer) return { task, state: queued, entries: [...settled.entries, entry] };
  return {
    task,
    state: recordOfferMade(queued, pending.offer),
    entries: [
      { kind: 'plan-offered', at: pending.at, planId: pending.offer.planId, terms: pending.offer.terms },
      entry,
    ],
  };
};

/** The task was dialled: now it is a contact (its plan was offered when the task was made). */
export const callDialled = (state: AccountState, task: CallTask, rightParty: boolean, at: Date): Change => {
  const cleared = { ...state, callTask: null };
  const contact: RecordEntry = {
    kind: 'contact',
    at: at.toISOString(),
    contactId: task.contactId,
    channel: 'call',
    template: task.template,
    locale: task.locale,
    rule: task.rule,
    text: task.script,
  };
  // A task made before offers were recorded with the task carries an offer not yet on the account.
  if (task.offer && rightParty && state.lastOffer?.planId !== task.offer.planId) {
    const offer = { ...task.offer, offeredAt: at.toISOString() };
    return {
      state: recordOffer(cleared, offer, 'call', at),
      entries: [{ kind: 'plan-offered', at: at.toISOString(), planId: offer.planId, terms: offer.terms }, contact],
    };
  }
  return { state: recordContact(cleared, 'call', at), entries: [contact] };
};

/**
 * The next plan offer on the account's cycle. Plan ids are per cycle and count up, so a retried offer step
 * reuses the same id, and a collector's offer on the phone takes the id the workflow's next offer would.
 */
export const newOffer = (state: AccountState, now: Date, { pack }: Pick<Playbook, 'pack'>): PlanOffer => ({
  planId: `${state.cycleId}-PL${state.history.plansOffered + 1}`,
  offeredAt: now.toISOString(),
  balance: state.balance,
  terms: planTerms(state.balance, state.lateFee, isHardship(state), pack),
});
