// How each inbound event changes an account, as a pure function: applied, duplicate, or rejected
// with the reason. Idempotency by event id is the repository's job (a conditional claim item);
// what the state itself can tell (a second opt-out, an already accepted plan) is decided here.
import { emptyHistory, type AccountState, type Flags } from './account';
import {
  applyDisputeRaised,
  applyDisputeResolved,
  applyPlanAccepted,
  applyPromise,
  applyReason,
  promiseDates,
} from './apply-negotiation';
import { addressFor, CHANNELS, type Channel } from './channels';
import { callDialled } from './contact-attempt';
import { decideContact } from './contact-policy';
import { bucketOf, daysPastDue } from './days-past-due';
import type { Customer, InboundEvent, InboundOf } from './inbound-events';
import { promiseDeadline } from './local-day';
import { applied, type Outcome, type Profile } from './outcome';
import { allocatePayment } from './plan-schedule';
import type { PolicyPack } from './policy-packs';
import { settleReAge } from './re-age';
import { applyPaymentFailed, markDebitPosted } from './autopay';
import { applySettlementAccepted, countTowardSettlement, withRecentPayment } from './settlement';
import type { RecordEntry } from './record';
import { recordContact } from './transitions';
import { localDate } from './zoned-time';

export { promiseDates, type Outcome, type Profile };

/** The channels a customer's contact points reach (each channel names the point it uses). */
const reachableFrom = (customer: Pick<Customer, 'email' | 'phone'>): Channel[] =>
  CHANNELS.filter((c) => addressFor(c, customer));

const profileOf = (customer: Customer): Profile => ({
  name: customer.name,
  email: customer.email ?? null,
  phone: customer.phone ?? null,
});

const mergeFlags = (flags: Flags, update?: Partial<Flags>): Flags => ({
  bankrupt: update?.bankrupt ?? flags.bankrupt,
  deceased: update?.deceased ?? flags.deceased,
  hardship: update?.hardship ?? flags.hardship,
});

export const openCycle = (event: InboundOf<'AccountDelinquent'>, now: Date, previous: AccountState | null): Outcome => {
  const d = event.detail;
  const state: AccountState = {
    accountId: d.accountId,
    cycleId: d.cycleId,
    status: 'open',
    closeReason: null,
    closedAt: null,
    openedAt: now.toISOString(),
    currency: d.currency,
    balance: d.balance,
    amountDue: d.amountDue,
    overdue: d.amountDue,
    collected: 0,
    dueDate: d.dueDate,
    aprBps: d.aprBps ?? null,
    lateFee: d.lateFee ?? null,
    locale: d.customer.locale,
    timezone: d.customer.timezone,
    region: d.customer.region ?? null,
    ...(d.customer.customerId ? { customerId: d.customer.customerId } : {}),
    reachable: reachableFrom(d.customer),
    flags: mergeFlags({ bankrupt: false, deceased: false, hardship: false }, d.flags),
    optOuts: [],
    ceased: false,
    openDisputes: [],
    resolvedDisputes: [],
    escalationLevel: 0,
    bucket: bucketOf(daysPastDue(d.dueDate, now, d.customer.timezone)),
    promise: null,
    lastPromise: null,
    plan: null,
    lastOffer: null,
    history: emptyHistory(),
    pendingContact: null,
    taskToken: null,
    tokenExpiresAt: null,
    version: previous?.version ?? 0,
    // Re-ages are limited per account, not per cycle (re-age.ts).
    ...(previous?.reAges?.length ? { reAges: previous.reAges } : {}),
  };
  return applied(state, [{ kind: 'started', at: now.toISOString(), amountDue: d.amountDue, balance: d.balance }], {
    profile: profileOf(d.customer),
    opensCycle: true,
  });
};

/**
 * The execution a courtesy runs under is named by this id, never by the statement id itself, so that a later
 * AccountDelinquent whose cycleId is the statement id starts its own execution.
 */
export const courtesyCycleId = (statementId: string): string => `due-${statementId}`.slice(0, 64);

/** A statement comes due on a current account: a short-lived courtesy state, not a collection cycle. */
const openCourtesy = (event: InboundOf<'AccountDueSoon'>, now: Date, previous: AccountState | null): Outcome => {
  const d = event.detail;
  const opened = openCycle(
    {
      detailType: 'AccountDelinquent',
      detail: {
        accountId: d.accountId,
        cycleId: courtesyCycleId(d.statementId),
        currency: d.currency,
        balance: d.minimumDue,
        amountDue: d.minimumDue,
        dueDate: d.dueDate,
        customer: d.customer,
      },
    },
    now,
    previous,
  );
  if (opened.kind !== 'applied') return opened;
  return applied(
    { ...opened.state, overdue: 0, courtesy: { statementId: d.statementId } },
    [
      {
        kind: 'due-soon',
        at: now.toISOString(),
        statementId: d.statementId,
        minimumDue: d.minimumDue,
        dueDate: d.dueDate,
      },
    ],
    { profile: opened.profile, opensCycle: true },
  );
};

/** What a courtesy state accepts besides a newer statement: payments, and the customer's own choices. */
const COURTESY_EVENTS: ReadonlySet<InboundEvent['detailType']> = new Set([
  'PaymentPosted',
  'AccountUpdated',
  'ChannelOptOut',
  'CeaseCommunication',
]);

/** A payment dates from its posting, never from the future of the account's clock. */
const postedTime = (postedAt: string, now: Date): number => Math.min(Date.parse(postedAt), now.getTime());

/**
 * A promise counts the payments posted since it was made and before its deadline. One posted in time but
 * delivered after the promise was settled as broken still keeps it: the break is reversed and recorded.
 */
const countTowardPromises = (s: AccountState, posted: number, amount: number, at: string) => {
  const counts = (p: { madeAt: string }, deadline: number | null) =>
    posted >= Date.parse(p.madeAt) && (deadline === null || posted < deadline);
  const entries: RecordEntry[] = [];
  let { promise, lastPromise } = s;
  let { promisesKept, promisesBroken } = s.history;
  if (promise && counts(promise, promiseDeadline(s))) {
    promise = { ...promise, paidSince: promise.paidSince + amount };
    if (promise.paidSince >= promise.amount) {
      entries.push({ kind: 'ptp-kept', at, promiseId: promise.promiseId });
      promise = null;
      promisesKept += 1;
    }
  } else if (!promise && lastPromise && counts(lastPromise, Date.parse(lastPromise.deadline))) {
    lastPromise = { ...lastPromise, paidSince: lastPromise.paidSince + amount };
    if (lastPromise.paidSince >= lastPromise.amount) {
      entries.push({ kind: 'ptp-kept', at, promiseId: lastPromise.promiseId, late: true });
      lastPromise = null;
      promisesKept += 1;
      promisesBroken -= 1;
    }
  }
  return { promise, lastPromise, promisesKept, promisesBroken, entries };
};

const applyPayment = (
  s: AccountState,
  { detail: d }: InboundOf<'PaymentPosted'>,
  now: Date,
  pack: PolicyPack,
): Outcome => {
  if (d.currency !== s.currency)
    return {
      kind: 'rejected',
      reason: `currency: account ${s.accountId} is in ${s.currency}, payment is in ${d.currency}`,
    };
  const received = now.toISOString();
  const posted = postedTime(d.postedAt, now);
  const promises = countTowardPromises(s, posted, d.amount, received);
  const entries: RecordEntry[] = [
    {
      kind: 'payment',
      at: new Date(posted).toISOString(),
      paymentId: d.paymentId,
      amount: d.amount,
      receivedAt: received,
    },
    ...promises.entries,
  ];
  const postedOn = localDate(new Date(posted), s.timezone);
  const debited = markDebitPosted(s.plan, d.paymentId);
  const plan = debited && {
    ...debited,
    instalments: allocatePayment(debited.instalments, d.amount, postedOn).instalments,
  };
  const paid: AccountState = {
    ...s,
    balance: Math.max(0, s.balance - d.amount),
    amountDue: Math.max(0, s.amountDue - d.amount),
    collected: s.collected + d.amount,
    promise: promises.promise,
    lastPromise: promises.lastPromise,
    plan,
    ...(s.settlement ? { settlement: countTowardSettlement(s, new Date(posted), d.amount) } : {}),
    recentPayments: withRecentPayment(s, new Date(posted), d.amount, now),
    history: {
      ...s.history,
      payments: s.history.payments + 1,
      promisesKept: promises.promisesKept,
      promisesBroken: promises.promisesBroken,
    },
  };
  const reAged = settleReAge(paid, pack, postedOn, received);
  return applied(reAged.state, [...entries, ...reAged.entries]);
};

const applyUpdate = (s: AccountState, { detail: d }: InboundOf<'AccountUpdated'>, at: string): Outcome => {
  const fields = Object.keys(d).filter((k) => k !== 'accountId');
  if (fields.length === 0)
    return {
      kind: 'rejected',
      reason: 'detail: AccountUpdated must carry at least one of balance, amountDue, customer, flags',
    };
  const customer = d.customer;
  const amountDue = d.amountDue ?? s.amountDue;
  const balance = d.balance ?? s.balance;
  if (amountDue > balance) {
    const field = d.amountDue === undefined ? 'balance' : 'amountDue';
    return {
      kind: 'rejected',
      reason: `${field}: the amount due ${amountDue} would be more than the balance ${balance}`,
    };
  }
  const next: AccountState = {
    ...s,
    balance,
    amountDue,
    // New charges from the bank raise what counts as overdue in this cycle.
    overdue: s.overdue + Math.max(0, amountDue - s.amountDue),
    flags: mergeFlags(s.flags, d.flags),
    locale: customer?.locale ?? s.locale,
    timezone: customer?.timezone ?? s.timezone,
    region: customer?.region ?? s.region ?? null,
    ...(customer?.customerId ? { customerId: customer.customerId } : {}),
    // An update names only what changed (a new email keeps the phone): points are added or replaced, never dropped.
    reachable: customer
      ? CHANNELS.filter((c) => s.reachable.includes(c) || reachableFrom(customer).includes(c))
      : s.reachable,
  };
  const profile: Partial<Profile> = Object.fromEntries(
    (['name', 'email', 'phone'] as const).filter((k) => customer?.[k]).map((k) => [k, customer![k]]),
  );
  return applied(next, [{ kind: 'account-updated', at, fields }], Object.keys(profile).length ? { profile } : {});
};

/**
 * A dial (docs/contract.md §3.12): the call task it completes becomes a contact; any other call id is a call made
 * outside the queue (manual), which counts the same way toward the record and the call cap — and is taken only
 * where the policy would have allowed a call then: a collector's call to a customer who ceased, disputes, is
 * with an agency, or is outside contact hours or over the cap is refused with the rule, into the dead-letter queue.
 */
const applyCallOutcome = (
  s: AccountState,
  { detail: d }: InboundOf<'CallOutcomeRecorded'>,
  now: Date,
  pack: PolicyPack,
): Outcome => {
  const at = now.toISOString();
  const talked = d.outcome === 'right-party';
  if (s.callTask?.taskId !== d.callId) {
    const decision = decideContact(s, 'call', pack, now);
    if (decision.kind === 'blocked')
      return {
        kind: 'rejected',
        reason:
          `callId: ${d.callId} is no call task, and a call outside the queue is not allowed now ` +
          `(${decision.rule})`,
      };
  }
  const dialled =
    s.callTask?.taskId === d.callId
      ? callDialled(s, s.callTask, talked, now)
      : {
          state: recordContact(s, 'call', now),
          entries: [
            {
              kind: 'contact',
              at,
              contactId: `${s.cycleId}-CALL-${d.callId}`,
              channel: 'call',
              template: 'call-outside-queue',
              locale: s.locale,
              rule: 'call-outside-queue',
              text: '',
            } satisfies RecordEntry,
          ],
        };
  return applied(
    {
      ...dialled.state,
      history: {
        ...dialled.state.history,
        rightPartyContacts: s.history.rightPartyContacts + (talked ? 1 : 0),
        lastRightPartyAt: talked ? at : s.history.lastRightPartyAt,
      },
    },
    [
      ...dialled.entries,
      { kind: 'call-outcome', at, callId: d.callId, outcome: d.outcome, ...(d.agentId ? { agentId: d.agentId } : {}) },
    ],
  );
};

/** Applies `event` to the open cycle `state` of its account. */
export const applyEvent = (state: AccountState | null, event: InboundEvent, now: Date, pack: PolicyPack): Outcome => {
  const courtesy = state?.courtesy ? state : null;
  if (event.detailType === 'AccountDelinquent') {
    // The account went past due: a courtesy state, open or ended, gives way to the collection cycle.
    if (courtesy) return openCycle(event, now, state);
    if (state?.cycleId === event.detail.cycleId)
      return { kind: 'duplicate', reason: `cycle ${event.detail.cycleId} already started` };
    if (state?.status === 'open')
      return {
        kind: 'rejected',
        reason: `cycleId: account ${state.accountId} already has open cycle ${state.cycleId}`,
      };
    return openCycle(event, now, state);
  }
  if (event.detailType === 'AccountDueSoon') {
    if (courtesy?.courtesy?.statementId === event.detail.statementId)
      return { kind: 'duplicate', reason: `statement ${event.detail.statementId} already announced` };
    if (state?.status === 'open' && !courtesy)
      return {
        kind: 'rejected',
        reason:
          `accountId: account ${state.accountId} is past due (cycle ${state.cycleId} open); ` +
          `AccountDueSoon is for a current account`,
      };
    return openCourtesy(event, now, state);
  }
  if (courtesy && !COURTESY_EVENTS.has(event.detailType))
    return {
      kind: 'rejected',
      reason: `accountId: no open collection cycle for ${event.detail.accountId} (only a statement coming due)`,
    };
  // A payment for the statement may come after the courtesy ended; it is recorded all the same.
  const open = state && (state.status === 'open' || (courtesy && event.detailType === 'PaymentPosted'));
  if (!state || !open)
    return { kind: 'rejected', reason: `accountId: no open collection cycle for ${event.detail.accountId}` };
  const at = now.toISOString();
  switch (event.detailType) {
    case 'PaymentPosted':
      return applyPayment(state, event, now, pack);
    case 'AccountUpdated':
      return applyUpdate(state, event, at);
    case 'PromiseToPayMade':
      return applyPromise(state, event, now, pack);
    case 'PlanAccepted':
      return applyPlanAccepted(state, event, now, pack);
    case 'DisputeRaised':
      return applyDisputeRaised(state, event, at);
    case 'DisputeResolved':
      return applyDisputeResolved(state, event, at);
    case 'ChannelOptOut':
      if (state.optOuts.includes(event.detail.channel))
        return { kind: 'duplicate', reason: `already opted out of ${event.detail.channel}` };
      return applied({ ...state, optOuts: [...state.optOuts, event.detail.channel] }, [
        { kind: 'opt-out', at, channel: event.detail.channel },
      ]);
    case 'CeaseCommunication':
      if (state.ceased) return { kind: 'duplicate', reason: 'communication already ceased' };
      return applied({ ...state, ceased: true }, [{ kind: 'cease', at }]);
    case 'CallOutcomeRecorded':
      return applyCallOutcome(state, event, now, pack);
    case 'DelinquencyReasonRecorded':
      return applyReason(state, event, at);
    case 'SettlementAccepted':
      return applySettlementAccepted(state, event, now, pack);
    case 'PaymentFailed':
      return applyPaymentFailed(state, event, now);
    case 'InboundCallReceived':
      // A conversation for the quiet rule (§3.12), never a contact attempt: it counts toward no cap.
      return applied({ ...state, history: { ...state.history, lastRightPartyAt: at } }, [
        { kind: 'inbound-call', at, callId: event.detail.callId, agentId: event.detail.agentId },
      ]);
    case 'PlacementRecalled':
      if (!state.placement)
        return { kind: 'duplicate', reason: `account ${state.accountId} is not placed with an agency` };
      return applied({ ...state, placement: null }, [{ kind: 'recalled', at, agency: state.placement.agency }]);
  }
};
