// One attempt to reach the customer: allowed and worded, blocked and recorded, or postponed because
// only the clock stands in the way (the workflow then diagnoses again and waits).
import type { AccountState, PendingContact, PlanOffer } from './account';
import type { Channel } from './channels';
import { decideContact } from './contact-policy';
import { daysPastDue } from './days-past-due';
import { factsOf, renderMessage, wordTerms, type MessageFacts } from './messages';
import type { Playbook } from './next-step';
import { nextUnpaid, planTerms } from './plan-schedule';
import type { RecordEntry } from './record';
import type { TemplateId } from './strategy';
import { recordBlockedReminder, recordContact, recordOffer, type Change } from './transitions';
import { addDays, localDate } from './zoned-time';

export type Attempt =
  /** Allowed: the message is worded and becomes pending until the provider accepts or refuses it. */
  | { kind: 'contact'; pending: PendingContact; rule: string }
  | { kind: 'blocked'; state: AccountState; entries: RecordEntry[]; rule: string }
  | { kind: 'postponed'; rule: string };

const factsFor = (state: AccountState, template: TemplateId, now: Date, playbook: Playbook, offer?: PlanOffer): MessageFacts => {
  const today = localDate(now, state.timezone);
  const facts = factsOf(state, daysPastDue(state.dueDate, now, state.timezone), addDays(today, playbook.strategy.payWithinDays));
  if (template === 'plan-offer' && offer) return { ...facts, planId: offer.planId, terms: wordTerms(offer.terms, state.currency, state.locale) };
  const due = state.plan && nextUnpaid(state.plan.instalments);
  if (template === 'instalment-due' && state.plan && due) {
    const number = state.plan.instalments.indexOf(due) + 1;
    const amount = factsOf({ ...state, amountDue: due.amount - due.paid }, 0, '').amount;
    return { ...facts, payBy: due.dueDate, instalment: { number, of: state.plan.instalments.length, amount, dueDate: due.dueDate } };
  }
  return facts;
};

/** `link`: the customer's self-service link, stated in every email and SMS. */
export const attemptContact = (state: AccountState, channel: Channel, template: TemplateId, now: Date, playbook: Playbook, link?: string): Attempt => {
  const decision = decideContact(state, channel, playbook.pack, now);
  const at = now.toISOString();
  if (decision.kind === 'blocked') {
    if (decision.retryAt !== null) return { kind: 'postponed', rule: decision.rule };
    return { kind: 'blocked', state: recordBlockedReminder(state, now), entries: [{ kind: 'contact-blocked', at, channel, rule: decision.rule }], rule: decision.rule };
  }
  // Failed sends use up an id too, so every attempt in the record has its own.
  const contactId = `${state.cycleId}-C${state.history.contacts + state.history.failedSends + 1}`;
  const offer = template === 'plan-offer' ? newOffer(state, now, playbook) : undefined;
  const message = renderMessage(template, channel, state.locale, { ...factsFor(state, template, now, playbook, offer), link });
  const remindedFor = template === 'instalment-due' ? (state.plan && nextUnpaid(state.plan.instalments)?.dueDate) ?? null : null;
  return {
    kind: 'contact', rule: decision.rule,
    pending: { contactId, at, channel, template, locale: state.locale, rule: decision.rule, subject: message.subject, text: message.text, attempts: 0, offer: offer ?? null, remindedFor },
  };
};

/** The provider accepted the message (or the collector dialled): now it is a contact, and an offer is made. */
export const contactSent = (state: AccountState, pending: PendingContact): Change => {
  const at = new Date(pending.at);
  const cleared = { ...state, pendingContact: null };
  const contact: RecordEntry = {
    kind: 'contact', at: pending.at, contactId: pending.contactId, channel: pending.channel, template: pending.template,
    locale: pending.locale, rule: pending.rule, text: pending.text,
  };
  if (pending.offer) {
    return {
      state: recordOffer(cleared, pending.offer, pending.channel, at),
      entries: [{ kind: 'plan-offered', at: pending.at, planId: pending.offer.planId, terms: pending.offer.terms }, contact],
    };
  }
  return { state: recordContact(cleared, pending.channel, at, pending.remindedFor ?? undefined), entries: [contact] };
};

/**
 * The message could not be sent: recorded as failed, not as a contact. The reminder cadence moves on as
 * for a blocked reminder, so the next turn tries again under the policy instead of at once.
 */
export const contactFailed = (state: AccountState, pending: PendingContact, reason: string, now: Date): Change => {
  const at = now.toISOString();
  const moved = recordBlockedReminder(state, now);
  return {
    state: { ...moved, pendingContact: null, history: { ...moved.history, failedSends: state.history.failedSends + 1, lastFailedAt: at } },
    entries: [{ kind: 'contact-failed', at, contactId: pending.contactId, channel: pending.channel, template: pending.template, rule: pending.rule, reason }],
  };
};

/** Plan ids are per cycle and count up, so a retried offer step reuses the same id. */
const newOffer = (state: AccountState, now: Date, { pack }: Playbook): PlanOffer => ({
  planId: `${state.cycleId}-PL${state.history.plansOffered + 1}`,
  offeredAt: now.toISOString(),
  balance: state.balance,
  terms: planTerms(state.balance, state.lateFee, state.flags.hardship, pack),
});
