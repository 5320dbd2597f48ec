// What the workflow does next for an account: the earliest step that is due, or how long to wait.
import { hardshipOfferOwed, type AccountState, type CloseReason, type PendingContact } from './account';
import { assertNever } from './assert-never';
import { CHANNELS, REMINDER_CHANNELS } from './channels';
import { spreadDayStart } from './contact-time';
import { positionOf } from './ledger';
import { daysPastDue } from './days-past-due';
import { escalationCandidates, letterCandidates, settlementCandidates } from './escalation-candidates';
import { isPlanComplete, nextUnpaid } from './plan-schedule';
import { segmentOf } from './segment';
import { debitHoldsReminder, nextDebitAt } from './autopay';
import { acceptedSettlement, isSettlementPaid, settlementDeadline } from './settlement';
import type { Candidate, Playbook, NextStep } from './step';
import { afterFailure, contactAt, DAY_MS, daysAfter, dpdReachedAt } from './step-timing';
import { reminderRuleFor, type TemplateId } from './strategy';
import { addDays } from './zoned-time';
import { promiseDeadline, startOfLocalDay } from './local-day';

export type { NextStep, Playbook, Step } from './step';

/** Shortest pause between two loops, so that a mistake can never spin the workflow. */
export const MIN_WAIT_SECONDS = 60;
const PRIORITY: Record<Candidate['step']['action'], number> = {
  close: 0,
  escalate: 1,
  letter: 2,
  'offer-plan': 3,
  remind: 4,
  'wake-up': 5,
};

const rotate = <T>(items: readonly T[], after: T | undefined): T[] => {
  const index = after === undefined ? -1 : items.indexOf(after);
  return [...items.slice(index + 1), ...items.slice(0, index + 1)];
};

const closeCandidates = (s: AccountState, now: number, { pack }: Playbook): Candidate[] => {
  const close = (reason: CloseReason, rule: string, at = now): Candidate => ({
    at,
    step: { action: 'close', reason, rule },
  });
  if (s.status === 'closed') return [close(s.closeReason ?? 'cured', 'already-closed')];
  if (s.flags.deceased) return [close('deceased', 'flag-deceased')];
  if (s.flags.bankrupt) return [close('bankrupt', 'flag-bankrupt')];
  // A plan spreads the whole balance, so its last instalment also clears the balance: it closes as
  // plan-completed, which says how the debt was settled.
  if (s.plan && isPlanComplete(s.plan.instalments)) return [close('plan-completed', 'all-instalments-paid')];
  // What is owed, as the ledger adds it up (docs/contract.md §3.19).
  const { balance, amountDue } = positionOf(s);
  if (balance <= 0) return [close('paid-in-full', 'balance-paid')];
  // Settled before cured: a payment that reaches the settlement's sum settles the debt even where it also clears the
  // overdue amount, or the rest would stay on the card never written off (§11.2.20). One short of the sum that clears
  // the overdue amount cures the account, as any payment does (§3.3).
  if (s.settlement && isSettlementPaid(s.settlement)) return [close('settled', `${pack.id}/settlement-paid`)];
  if (!s.plan && amountDue <= 0) return [close('cured', 'overdue-paid')];
  if (s.plan) return []; // A performing plan holds off charge-off.
  const chargeOffAt = dpdReachedAt(s, pack.chargeOffDpd);
  if (s.escalationLevel === 0) {
    const first = pack.escalation[0]!;
    return [
      {
        at: chargeOffAt,
        step: { action: 'escalate', level: first.level, to: first.to, rule: `${pack.id}/escalate-before-charge-off` },
      },
    ];
  }
  return [close('charged-off', `${pack.id}/charge-off-${pack.chargeOffDpd}-dpd`, chargeOffAt)];
};

const planCandidates = (s: AccountState, _now: number, { pack, strategy }: Playbook): Candidate[] => {
  const next = s.plan && nextUnpaid(s.plan.instalments);
  if (!s.plan || !next) return [];
  const candidates: Candidate[] = [
    {
      at: startOfLocalDay(s, addDays(next.dueDate, pack.planBreakLateDays + 1)),
      step: { action: 'wake-up', rule: `${pack.id}/plan-instalment-late` },
    },
  ];
  const debitAt = nextDebitAt(s, pack);
  if (debitAt !== null) candidates.push({ at: debitAt, step: { action: 'wake-up', rule: `${pack.id}/debit-due` } });
  // An instalment the bank is debiting is not reminded about (docs/contract.md §3.17).
  if (s.plan.remindedFor !== next.dueDate && !debitHoldsReminder(s.plan)) {
    const from = Math.max(
      startOfLocalDay(s, addDays(next.dueDate, -strategy.instalmentReminderDaysBefore)),
      afterFailure(s),
    );
    const contact = contactAt(s, REMINDER_CHANNELS, pack, from);
    if (contact.allowed)
      candidates.push({
        at: contact.at,
        step: { action: 'remind', channel: contact.channel, template: 'instalment-due', rule: contact.rule },
      });
  }
  return candidates;
};

const offerCandidates = (s: AccountState, now: number, { pack, strategy }: Playbook): Candidate[] => {
  if (s.plan || acceptedSettlement(s)) return [];
  // A hardship reason is answered with a plan at once, where contact allows (docs/contract.md §3.15): no DPD to wait
  // for, no cap on offers, no promise in the way.
  if (hardshipOfferOwed(s)) {
    const contact = contactAt(s, CHANNELS, pack, Math.max(now, afterFailure(s)), 'at-once');
    return contact.allowed
      ? [{ at: contact.at, step: { action: 'offer-plan', channel: contact.channel, rule: `${pack.id}/hardship-plan` } }]
      : [];
  }
  if (s.history.plansOffered >= strategy.maxPlanOffers) return [];
  const segment = segmentOf(s).segment;
  const earliestDpd = Math.min(strategy.planOfferDpd[segment] ?? pack.planOfferByDpd, pack.planOfferByDpd);
  const reofferAt = s.lastOffer ? daysAfter(s, s.lastOffer.offeredAt, strategy.planReofferDays) : 0;
  // A promise defers a first offer, but not past the day before the pack's offer deadline: an offer
  // is a negotiation, not a reminder, and the customer must have had one by then.
  const promiseHold = s.promise && !s.lastOffer ? dpdReachedAt(s, pack.planOfferByDpd - 1) : s.promise ? Infinity : 0;
  const owedFrom = Math.max(dpdReachedAt(s, earliestDpd), reofferAt, promiseHold, afterFailure(s));
  if (!Number.isFinite(owedFrom)) return [];
  // A first offer already owed when the account is planned (one that came to us late, near the 45-day deadline) goes
  // at once: waiting for its own time of day could let a conversation's quiet week shut the only channel left.
  const when = !s.lastOffer && owedFrom < now ? 'at-once' : 'own-time';
  const contact = contactAt(s, CHANNELS, pack, Math.max(now, owedFrom), when);
  return contact.allowed
    ? [{ at: contact.at, step: { action: 'offer-plan', channel: contact.channel, rule: `${strategy.id}/plan-offer` } }]
    : [];
};

/**
 * A customer who forgot is reminded at once, with the pay link, by email or SMS where allowed (docs/contract.md §3.15):
 * once per reason given, then the cadence goes on from that reminder.
 */
const forgotCandidates = (s: AccountState, now: number, { pack, strategy }: Playbook): Candidate[] => {
  if (s.plan || s.promise || s.reason?.reason !== 'forgot') return [];
  if (s.history.lastReminderAt && Date.parse(s.history.lastReminderAt) >= Date.parse(s.reason.at)) return [];
  const rule = reminderRuleFor(strategy, daysPastDue(s.dueDate, new Date(now), s.timezone), segmentOf(s).segment);
  const contact = contactAt(s, REMINDER_CHANNELS, pack, Math.max(now, afterFailure(s)), 'at-once');
  if (!contact.allowed) return [];
  const template = rule?.template ?? 'reminder-gentle';
  return [
    {
      at: contact.at,
      step: { action: 'remind', channel: contact.channel, template, rule: `${strategy.id}/reason-forgot` },
    },
  ];
};

/**
 * What pauses reminders now (docs/contract.md §3.6, §3.7, §3.16), by its rule: a promise, a plan or an accepted
 * settlement.
 */
const reminderPause = (s: AccountState): string | null =>
  s.promise ? 'paused-by-promise' : s.plan ? 'paused-by-plan' : acceptedSettlement(s) ? 'paused-by-settlement' : null;

/**
 * What now holds back a message decided earlier and not yet sent, by its rule, or null: the pauses that would have
 * kept the step from deciding it (a promise, a plan, an accepted settlement, the bank's debit of the instalment, the
 * instalment paid), asked again on fresh state before it goes.
 */
export const pendingPausedBy = (
  s: AccountState,
  pending: Pick<PendingContact, 'template' | 'remindedFor'>,
): string | null => {
  const template = pending.template as TemplateId;
  switch (template) {
    case 'reminder-gentle':
    case 'reminder-firm':
    case 'reminder-urgent':
      return reminderPause(s);
    case 'instalment-due': {
      if (!s.plan) return 'plan-ended';
      if (debitHoldsReminder(s.plan)) return 'paused-by-debit';
      return nextUnpaid(s.plan.instalments)?.dueDate === pending.remindedFor ? null : 'instalment-paid';
    }
    case 'plan-offer':
      return s.plan ? 'paused-by-plan' : acceptedSettlement(s) ? 'paused-by-settlement' : null;
    // One settlement at a time: one agreed meanwhile stands (contact-attempt.ts), and a promise or plan defers it.
    case 'settlement-offer':
      return reminderPause(s) ?? (s.settlement ? 'paused-by-settlement' : null);
    case 'courtesy':
      return null;
    default:
      return assertNever(template, 'message template');
  }
};

const reminderCandidates = (s: AccountState, now: number, { pack, strategy }: Playbook): Candidate[] => {
  if (reminderPause(s)) return [];
  const rule = reminderRuleFor(strategy, daysPastDue(s.dueDate, new Date(now), s.timezone), segmentOf(s).segment);
  if (!rule) return [];
  const due = s.history.lastReminderAt ? Math.max(now, daysAfter(s, s.history.lastReminderAt, rule.everyDays)) : now;
  const lastChannel = s.history.lastTriedChannel ?? s.history.recentContacts.at(-1)?.channel;
  const contact = contactAt(s, rotate(rule.channels, lastChannel), pack, due);
  return [
    {
      at: contact.at,
      step: {
        action: 'remind',
        channel: contact.channel,
        template: rule.template,
        rule: contact.allowed ? `${strategy.id}/${rule.id}` : contact.rule,
      },
    },
  ];
};

/**
 * Wake-ups that no other candidate schedules: the DPD at which the strategy's reminder rule changes
 * (a new cadence may start sooner) and a promise's deadline. Escalation, plan offers and charge-off
 * schedule themselves.
 */
const reviewCandidates = (s: AccountState, now: number, { strategy }: Playbook): Candidate[] => {
  const candidates: Candidate[] = [];
  if (!reminderPause(s)) {
    const dpd = daysPastDue(s.dueDate, new Date(now), s.timezone);
    const rule = reminderRuleFor(strategy, dpd, segmentOf(s).segment);
    const next = rule ? rule.maxDpd + 1 : Math.min(...strategy.reminders.map((r) => r.minDpd).filter((d) => d > dpd));
    if (Number.isFinite(next))
      candidates.push({ at: dpdReachedAt(s, next), step: { action: 'wake-up', rule: `dpd-${next}` } });
  }
  const deadline = promiseDeadline(s);
  if (deadline !== null) candidates.push({ at: deadline, step: { action: 'wake-up', rule: 'promise-due' } });
  if (s.settlement)
    candidates.push({ at: settlementDeadline(s, s.settlement), step: { action: 'wake-up', rule: 'settlement-due' } });
  return candidates;
};

/** A message left pending by a step that failed after recording it: the contact step finishes it first. */
const pendingCandidates = (s: AccountState, now: number): Candidate[] =>
  s.pendingContact && s.status === 'open'
    ? [
        {
          at: now,
          step: {
            action: 'remind',
            channel: s.pendingContact.channel,
            template: s.pendingContact.template as TemplateId,
            rule: 'finish-pending-contact',
          },
        },
      ]
    : [];

/**
 * While a call task waits in the queue nothing else reaches out: the task is this turn's contact. The
 * workflow looks again when its window ends (an event wakes it sooner when the task is dialled).
 */
const callTaskCandidates = (s: AccountState): Candidate[] =>
  s.callTask
    ? [{ at: Date.parse(s.callTask.expiresAt), step: { action: 'wake-up', rule: 'call-task-window-ends' } }]
    : [];

/**
 * A pre-due courtesy state (AccountDueSoon): one reminder in the strategy's window before the due date, where
 * the policy allows it; it ends when the statement is paid or its due date has passed. No collection step.
 */
const courtesyCandidates = (s: AccountState, now: number, { pack, strategy }: Playbook): Candidate[] => {
  const close = (reason: CloseReason, rule: string, at = now): Candidate => ({
    at,
    step: { action: 'close', reason, rule },
  });
  if (s.status === 'closed') return [close(s.closeReason ?? 'statement-due', 'already-closed')];
  if (positionOf(s).amountDue <= 0) return [close('statement-paid', 'courtesy/statement-paid')];
  const endsAt = startOfLocalDay(s, addDays(s.dueDate, 1));
  const candidates = [close('statement-due', 'courtesy/due-date-passed', endsAt)];
  const tried = s.history.contacts + s.history.failedSends > 0 || s.history.lastReminderAt !== null;
  if (!strategy.courtesy || tried) return candidates;
  const contact = contactAt(
    s,
    strategy.courtesy.channels,
    pack,
    Math.max(now, startOfLocalDay(s, addDays(s.dueDate, -strategy.courtesy.daysBefore))),
  );
  if (contact.allowed && contact.at < endsAt) {
    candidates.push({
      at: contact.at,
      step: {
        action: 'remind',
        channel: contact.channel,
        template: 'courtesy',
        rule: `${strategy.id}/courtesy-${strategy.courtesy.daysBefore}-days-before`,
      },
    });
  }
  return candidates;
};

const CONTACTING: ReadonlySet<Candidate['step']['action']> = new Set(['remind', 'offer-plan']);

const GENERATORS = [
  callTaskCandidates,
  pendingCandidates,
  closeCandidates,
  escalationCandidates,
  letterCandidates,
  planCandidates,
  offerCandidates,
  settlementCandidates,
  forgotCandidates,
  reminderCandidates,
  reviewCandidates,
];
const COURTESY_GENERATORS = [pendingCandidates, courtesyCandidates];

/**
 * The next step for `state` at `now`: the earliest candidate, ties going to the weightier action.
 * When it lies in the future the answer is a wait until then, with the rule that set the time.
 */
export const nextStep = (state: AccountState, now: Date, playbook: Playbook): NextStep => {
  const t = now.getTime();
  const candidates = (state.courtesy ? COURTESY_GENERATORS : GENERATORS)
    .flatMap((generate) => generate(state, t, playbook))
    // A waiting call task is this turn's contact; with an agency, the agency contacts the customer, not us.
    .filter((c) => !((state.callTask || state.placement) && CONTACTING.has(c.step.action)))
    // A wake-up whose moment has passed has already been acted on by settleDeadlines.
    .filter((c) => !(c.step.action === 'wake-up' && c.at <= t))
    // Everything already due counts as due now, so the weightier action wins (a charge-off
    // beats an escalation that is overdue); future candidates go by time.
    .map((c) => ({ ...c, at: Math.max(c.at, t) }))
    .sort((a, b) => a.at - b.at || PRIORITY[a.step.action] - PRIORITY[b.step.action]);
  const first: Candidate = candidates[0] ?? { at: t + DAY_MS, step: { action: 'wake-up', rule: 'daily-review' } };
  if (first.at <= t && first.step.action !== 'wake-up') return { ...first.step, waitSeconds: MIN_WAIT_SECONDS };
  const at = Math.max(spreadDayStart(state, first.at), t + MIN_WAIT_SECONDS * 1000);
  return {
    action: 'wait',
    rule: first.step.rule,
    notBefore: new Date(at).toISOString(),
    waitSeconds: Math.ceil((at - t) / 1000),
  };
};

/** Seconds to wait after an action has been applied: until the next step that state calls for. */
export const waitAfter = (state: AccountState, now: Date, playbook: Playbook): number =>
  nextStep(state, now, playbook).waitSeconds;
