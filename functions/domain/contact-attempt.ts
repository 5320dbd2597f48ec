// One attempt to reach the customer: allowed and worded, blocked and recorded, or postponed because
// only the clock stands in the way (the workflow then diagnoses again and waits).
import type { AccountState, PlanOffer } from './account';
import type { Channel } from './channels';
import { decideContact } from './contact-policy';
import { daysPastDue } from './days-past-due';
import { factsOf, renderMessage, wordTerms, type MessageFacts, type RenderedMessage } from './messages';
import type { Playbook } from './next-step';
import { nextUnpaid, planTerms } from './plan-schedule';
import type { RecordEntry } from './record';
import type { TemplateId } from './strategy';
import { recordBlockedReminder, recordContact, recordOffer } from './transitions';
import { addDays, localDate } from './zoned-time';

export type Attempt =
  | { kind: 'contact'; state: AccountState; entries: RecordEntry[]; message: RenderedMessage; contactId: string; rule: string; offer?: PlanOffer }
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

export const attemptContact = (state: AccountState, channel: Channel, template: TemplateId, now: Date, playbook: Playbook): Attempt => {
  const decision = decideContact(state, channel, playbook.pack, now);
  const at = now.toISOString();
  if (decision.kind === 'blocked') {
    if (decision.retryAt !== null) return { kind: 'postponed', rule: decision.rule };
    return { kind: 'blocked', state: recordBlockedReminder(state, now), entries: [{ kind: 'contact-blocked', at, channel, rule: decision.rule }], rule: decision.rule };
  }
  const contactId = `${state.cycleId}-C${state.history.contacts + 1}`;
  const offer = template === 'plan-offer' ? newOffer(state, now, playbook) : undefined;
  const message = renderMessage(template, channel, state.locale, factsFor(state, template, now, playbook, offer));
  const contact: RecordEntry = { kind: 'contact', at, contactId, channel, template, locale: state.locale, rule: decision.rule, text: message.text };
  if (offer) {
    return {
      kind: 'contact', contactId, message, rule: decision.rule, offer,
      state: recordOffer(state, offer, channel, now),
      entries: [{ kind: 'plan-offered', at, planId: offer.planId, terms: offer.terms }, contact],
    };
  }
  const remindedFor = template === 'instalment-due' ? state.plan && nextUnpaid(state.plan.instalments)?.dueDate : undefined;
  return { kind: 'contact', contactId, message, rule: decision.rule, state: recordContact(state, channel, now, remindedFor ?? undefined), entries: [contact] };
};

/** Plan ids are per cycle and count up, so a retried offer step reuses the same id. */
const newOffer = (state: AccountState, now: Date, { pack }: Playbook): PlanOffer => ({
  planId: `${state.cycleId}-PL${state.history.plansOffered + 1}`,
  offeredAt: now.toISOString(),
  balance: state.balance,
  terms: planTerms(state.balance, state.lateFee, state.flags.hardship, pack),
});
