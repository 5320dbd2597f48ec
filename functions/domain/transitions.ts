// How the workflow's own actions and the passage of time change an account, as pure functions
// returning the new state and the record entries that explain the change.
import type { AccountState, CallTask, CloseReason, PlanOffer } from './account';
import type { Channel } from './channels';
import { localDate } from './zoned-time';
import { amountOverdueOnPlan, daysLate } from './plan-schedule';
import type { PolicyPack } from './policy-packs';
import type { Change } from './change';
import type { RecordEntry } from './record';
import { promiseDeadline } from './local-day';
import { requestDueDebit } from './autopay';
import { post } from './ledger';
import { lapseSettlement } from './settlement';

const WINDOW_MS = 7 * 86_400_000;

/** Keeps only the contacts a frequency rule can still see at `at`. */
const recentAt = (state: AccountState, at: Date) =>
  state.history.recentContacts.filter((c) => at.getTime() - Date.parse(c.at) < WINDOW_MS);

export const recordContact = (state: AccountState, channel: Channel, at: Date, remindedFor?: string): AccountState => ({
  ...state,
  plan: state.plan && remindedFor ? { ...state.plan, remindedFor } : state.plan,
  history: {
    ...state.history,
    contacts: state.history.contacts + 1,
    recentContacts: [...recentAt(state, at), { at: at.toISOString(), channel }],
    lastContactAt: at.toISOString(),
    lastReminderAt: at.toISOString(),
    lastTriedChannel: channel,
  },
});

/** A reminder that was due but blocked still moves the cadence on, so the block is recorded once per turn. */
export const recordBlockedReminder = (state: AccountState, at: Date): AccountState => ({
  ...state,
  history: { ...state.history, recentContacts: recentAt(state, at), lastReminderAt: at.toISOString() },
});

/**
 * A reminder turn that tried `channel` without reaching the customer (a send that failed, a call task not
 * yet dialled): the cadence moves on as for a blocked reminder, and the rotation goes on from `channel`.
 */
export const recordTried = (state: AccountState, channel: Channel, at: Date): AccountState => {
  const moved = recordBlockedReminder(state, at);
  return { ...moved, history: { ...moved.history, lastTriedChannel: channel } };
};

export const recordOffer = (state: AccountState, offer: PlanOffer, channel: Channel, at: Date): AccountState =>
  recordOfferMade(recordContact(state, channel, at), offer);

/** An offer is on the account once made, whether or not its announcement has reached the customer yet. */
export const recordOfferMade = (state: AccountState, offer: PlanOffer): AccountState => ({
  ...state,
  lastOffer: offer,
  history: { ...state.history, plansOffered: state.history.plansOffered + 1 },
});

/** One level up the ladder; at the `agency` level the account is also placed with the pack's agency. */
export const escalate = (
  state: AccountState,
  level: number,
  to: string,
  rule: string,
  at: Date,
  pack: PolicyPack,
): Change => {
  if (level <= state.escalationLevel) return { state, entries: [] }; // Levels only rise.
  const when = at.toISOString();
  // The final notice is a letter as well as a level (docs/contract.md §8).
  const lettersDue =
    to === 'final-notice'
      ? [...(state.lettersDue ?? []), { template: 'final-notice' as const, requestedAt: when }]
      : state.lettersDue;
  const escalated: Change = {
    state: { ...state, escalationLevel: level, ...(lettersDue ? { lettersDue } : {}) },
    entries: [{ kind: 'escalated', at: when, level, to, rule }],
  };
  if (to !== 'agency' || !pack.agency) return escalated;
  return {
    state: { ...escalated.state, placement: { agency: pack.agency.id, placedAt: when } },
    entries: [...escalated.entries, { kind: 'placed', at: when, agency: pack.agency.id }],
  };
};

export const close = (state: AccountState, reason: CloseReason, at: Date): Change => {
  if (state.status === 'closed') return { state, entries: [] };
  const booked = closingEntry(state, reason, at.toISOString());
  return {
    state: {
      ...booked.state,
      status: 'closed',
      closeReason: reason,
      closedAt: at.toISOString(),
      taskToken: null,
      tokenExpiresAt: null,
    },
    // A courtesy state was never a collection cycle: its end announces no CycleClosed. The ledger's entry comes first,
    // so the close finds it already booked.
    entries: [
      ...booked.entries,
      state.courtesy
        ? { kind: 'courtesy-ended', at: at.toISOString(), reason }
        : { kind: 'closed', at: at.toISOString(), reason },
      ...writeOff(state, reason, at),
    ],
  };
};

/**
 * What a close books on the ledger (docs/contract.md §3.19): a settlement writes off the rest of the balance; a
 * charge-off states the balance charged off, which stays owed (recovery collects it, rule 28), so it moves nothing.
 */
const closingEntry = (state: AccountState, reason: CloseReason, at: string): Change => {
  if (reason === 'settled' && (state.balance > 0 || state.amountDue > 0))
    return post(state, at, { kind: 'written-off', amount: -state.balance });
  if (reason === 'charged-off') return post(state, at, { kind: 'charged-off', amount: 0 });
  return { state, entries: [] };
};

/**
 * A settled cycle writes off what its lump sum left of the balance (event BalanceWrittenOff, docs/contract.md §3.16).
 */
const writeOff = (state: AccountState, reason: CloseReason, at: Date): RecordEntry[] =>
  reason === 'settled' && state.balance > 0
    ? [
        {
          kind: 'written-off',
          at: at.toISOString(),
          amount: state.balance,
          currency: state.currency,
          reason: 'settlement',
        },
      ]
    : [];

/** The first letter due was written to `documentKey`: recorded, which announces LetterRequested. */
export const letterWritten = (
  state: AccountState,
  letterId: string,
  template: string,
  documentKey: string,
  now: Date,
): Change => ({
  state: { ...state, lettersDue: (state.lettersDue ?? []).slice(1) },
  entries: [{ kind: 'letter', at: now.toISOString(), letterId, template, documentKey }],
});

/** The first letter due will never go (letterBlockedBy said drop): recorded with the rule, and let go. */
export const letterDropped = (state: AccountState, template: string, rule: string, now: Date): Change => ({
  state: { ...state, lettersDue: (state.lettersDue ?? []).slice(1) },
  entries: [{ kind: 'letter-dropped', at: now.toISOString(), template, rule }],
});

/** Nobody dialled the call task within its window: recorded as a call not made, which is no contact. */
export const callTaskExpired = (state: AccountState, task: CallTask, now: Date): Change => {
  const at = now.toISOString();
  return {
    state: {
      ...state,
      callTask: null,
      history: { ...state.history, failedSends: state.history.failedSends + 1, lastFailedAt: at },
    },
    entries: [
      {
        kind: 'contact-failed',
        at,
        contactId: task.contactId,
        channel: 'call',
        template: task.template,
        rule: task.rule,
        reason: `call task ${task.taskId} expired at ${task.expiresAt}: nobody dialled it`,
      },
    ],
  };
};

/**
 * Promises whose day has passed unpaid, plans with an instalment too late, call tasks past their window, settlements
 * past their last day and instalment debits come due, as of `now`.
 */
export const settleDeadlines = (state: AccountState, now: Date, pack: PolicyPack): Change => {
  let next = state;
  const entries: RecordEntry[] = [];
  const at = now.toISOString();
  if (next.callTask && now.getTime() >= Date.parse(next.callTask.expiresAt)) {
    const expired = callTaskExpired(next, next.callTask, now);
    next = expired.state;
    entries.push(...expired.entries);
  }
  const deadline = promiseDeadline(next);
  if (next.promise && deadline !== null && now.getTime() >= deadline) {
    entries.push({ kind: 'ptp-broken', at, promiseId: next.promise.promiseId, paid: next.promise.paidSince });
    next = {
      ...next,
      promise: null,
      lastPromise: { ...next.promise, deadline: new Date(deadline).toISOString() },
      history: { ...next.history, promisesBroken: next.history.promisesBroken + 1 },
    };
  }
  const broken = breakLatePlan(next, now, pack);
  entries.push(...broken.entries);
  const lapsed = lapseSettlement(broken.state, now);
  const debit = requestDueDebit(lapsed.state, now, pack);
  return { state: debit.state, entries: [...entries, ...lapsed.entries, ...debit.entries] };
};

/**
 * A plan with an instalment more than `planBreakLateDays` late is broken (docs/contract.md §3.7): collection resumes,
 * and the instalments due and unpaid are due now.
 */
export const breakLatePlan = (state: AccountState, now: Date, pack: PolicyPack): Change => {
  const today = localDate(now, state.timezone);
  const late = state.plan ? daysLate(state.plan.instalments, today) : 0;
  if (!state.plan || late <= pack.planBreakLateDays) return { state, entries: [] };
  const at = now.toISOString();
  const amountDue = Math.max(state.amountDue, amountOverdueOnPlan(state.plan.instalments, today));
  const moved =
    amountDue === state.amountDue
      ? { state, entries: [] }
      : post(state, at, { kind: 'updated', amount: 0, amountDue, cause: 'plan-broken' });
  return {
    state: { ...moved.state, plan: null, history: { ...state.history, plansBroken: state.history.plansBroken + 1 } },
    entries: [{ kind: 'plan-broken', at, planId: state.plan.planId, daysLate: late }, ...moved.entries],
  };
};
