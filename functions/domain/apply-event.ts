// How each inbound event changes an account, as a pure function: applied, duplicate, or rejected
// with the reason. Idempotency by event id is the repository's job (a conditional claim item);
// what the state itself can tell (a second opt-out, an already accepted plan) is decided here.
import { emptyHistory, type AccountState, type Flags } from './account';
import { assertNever } from './assert-never';
import {
  applyDisputeRaised,
  applyDisputeResolved,
  applyPlanAccepted,
  applyPromise,
  applyReason,
  promiseDates,
} from './apply-negotiation';
import { CHANNELS, channelsReaching } from './channels';
import { applyCallOutcome } from './apply-call-outcome';
import { byCollector, settlementAuthorityRefusal } from './collector-authority';
import { bucketOf, daysPastDue } from './days-past-due';
import type { Customer, InboundEvent, InboundOf } from './inbound-events';
import { applied, type Outcome, type Profile } from './outcome';
import type { PolicyPack } from './policy-packs';
import { applyPaymentFailed } from './autopay';
import { applyPayment } from './apply-payment';
import { applyPaymentReversed, reversalAfterClose } from './apply-reversal';
import { openingEntry, post } from './ledger';
import { applySettlementAccepted } from './settlement';

export { promiseDates, type Outcome, type Profile };

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
  const opened = openingEntry(now.toISOString(), d.balance, d.amountDue);
  const state: AccountState = {
    accountId: d.accountId,
    ...(d.customer.customerId ? { customerId: d.customer.customerId } : {}),
    cycleId: d.cycleId,
    status: 'open',
    closeReason: null,
    closedAt: null,
    openedAt: now.toISOString(),
    currency: d.currency,
    balance: d.balance,
    amountDue: d.amountDue,
    ledger: [opened],
    overdue: d.amountDue,
    collected: 0,
    dueDate: d.dueDate,
    aprBps: d.aprBps ?? null,
    lateFee: d.lateFee ?? null,
    locale: d.customer.locale,
    timezone: d.customer.timezone,
    region: d.customer.region ?? null,
    reachable: channelsReaching(d.customer),
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
  return applied(
    state,
    [
      { kind: 'started', at: now.toISOString(), amountDue: d.amountDue, balance: d.balance },
      { kind: 'ledger', at: opened.at, entry: opened },
    ],
    { profile: profileOf(d.customer), opensCycle: true },
  );
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
  // The bank's figures go on the ledger as one entry, where they change anything.
  const moved =
    balance !== s.balance || amountDue !== s.amountDue
      ? post(s, at, { kind: 'updated', amount: balance - s.balance, amountDue })
      : { state: s, entries: [] };
  const next: AccountState = {
    ...moved.state,
    ...(customer?.customerId ? { customerId: customer.customerId } : {}),
    // New charges from the bank raise what counts as overdue in this cycle.
    overdue: s.overdue + Math.max(0, amountDue - s.amountDue),
    flags: mergeFlags(s.flags, d.flags),
    locale: customer?.locale ?? s.locale,
    timezone: customer?.timezone ?? s.timezone,
    region: customer?.region ?? s.region ?? null,
    // An update names only what changed (a new email keeps the phone): points are added or replaced, never dropped.
    reachable: customer
      ? CHANNELS.filter((c) => s.reachable.includes(c) || channelsReaching(customer).includes(c))
      : s.reachable,
  };
  const profile: Partial<Profile> = Object.fromEntries(
    (['name', 'email', 'phone'] as const).filter((k) => customer?.[k]).map((k) => [k, customer![k]]),
  );
  return applied(
    next,
    [{ kind: 'account-updated', at, fields }, ...moved.entries],
    Object.keys(profile).length ? { profile } : {},
  );
};

/**
 * Applies `event` to the open cycle `state` of its account. `covers`: for a dial of a person's call task, every account
 * it counts on (docs/contract.md §11.1).
 */
export const applyEvent = (
  state: AccountState | null,
  event: InboundEvent,
  now: Date,
  pack: PolicyPack,
  covers?: readonly string[],
): Outcome => {
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
  // A reversal for a cycle that has closed is the bank's to collect: it opens a new cycle (docs/contract.md §3.21).
  if (event.detailType === 'PaymentReversed' && state?.status === 'closed' && !courtesy)
    return reversalAfterClose(state, event);
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
      return byCollector(event, () => applyPromise(state, event, now, pack));
    case 'PlanAccepted':
      return byCollector(event, () => applyPlanAccepted(state, event, now, pack));
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
      return applyCallOutcome(state, event, now, pack, covers);
    case 'DelinquencyReasonRecorded':
      return byCollector(event, () => applyReason(state, event, at));
    case 'SettlementAccepted':
      return byCollector(
        event,
        () => settlementAuthorityRefusal(state, event, pack) ?? applySettlementAccepted(state, event, now, pack),
      );
    case 'PaymentFailed':
      return applyPaymentFailed(state, event, now);
    case 'PaymentReversed':
      return applyPaymentReversed(state, event, now, pack);
    case 'InboundCallReceived':
      // A conversation for the quiet rule (§3.12), never a contact attempt: it counts toward no cap.
      return applied({ ...state, history: { ...state.history, lastRightPartyAt: at } }, [
        {
          kind: 'inbound-call',
          at,
          callId: event.detail.callId,
          agentId: event.detail.agentId,
          ...(event.detail.numberSource ? { numberSource: event.detail.numberSource } : {}),
        },
      ]);
    case 'PlacementRecalled':
      if (!state.placement)
        return { kind: 'duplicate', reason: `account ${state.accountId} is not placed with an agency` };
      return applied({ ...state, placement: null }, [{ kind: 'recalled', at, agency: state.placement.agency }]);
    default:
      return assertNever(event, 'inbound event');
  }
};
