// The customer's side of the account (docs/contract.md §3.5–3.7, §3.15): promises, plans accepted, disputes and why
// they are late, each applied as a pure function.
import { openOffer, type AccountState } from './account';
import { newOffer } from './contact-attempt';
import type { InboundOf } from './inbound-events';
import { applied, type Outcome } from './outcome';
import { isInstalmentCountAllowed, planSchedule } from './plan-schedule';
import { PROMISE_RULE_DEFAULT, type PolicyPack } from './policy-packs';
import type { RecordEntry } from './record';
import { addDays, daysBetween, localDate, type LocalDate } from './zoned-time';

/** The pack's promise rule (docs/contract.md §3.6), or the default for a pack that states none. */
export const promiseRule = (pack: PolicyPack) => pack.promise ?? PROMISE_RULE_DEFAULT;

/**
 * The days a promise may fall on, in the customer's zone: from today to the pack's `promise.maxDays` ahead, and never
 * past the day before charge-off. Without a plan the account is charged off on that day whatever is promised, so a
 * later promise could never be kept.
 */
export const promiseDates = (
  s: AccountState,
  now: Date,
  pack: PolicyPack,
): { earliest: LocalDate; latest: LocalDate | null } => {
  const earliest = localDate(now, s.timezone);
  if (s.plan) return { earliest, latest: null };
  const lastBeforeChargeOff = addDays(s.dueDate, pack.chargeOffDpd - 1);
  const furthest = addDays(earliest, promiseRule(pack).maxDays);
  return { earliest, latest: daysBetween(furthest, lastBeforeChargeOff) < 0 ? lastBeforeChargeOff : furthest };
};

/**
 * What a promise may be for: at least the pack's share of the overdue amount (one minor unit at least), at most the
 * balance, which is all that is owed.
 */
export const promiseAmounts = (s: AccountState, pack: PolicyPack): { least: number; most: number } => ({
  least: Math.min(s.balance, Math.max(1, Math.ceil((s.amountDue * promiseRule(pack).minShareBps) / 10_000))),
  most: s.balance,
});

export const applyPromise = (
  s: AccountState,
  { detail: d }: InboundOf<'PromiseToPayMade'>,
  now: Date,
  pack: PolicyPack,
): Outcome => {
  const { earliest, latest } = promiseDates(s, now, pack);
  if (daysBetween(earliest, d.dueDate) < 0)
    return {
      kind: 'rejected',
      reason: `dueDate: ${d.dueDate} is before today (${earliest}) in the customer's time zone`,
    };
  const lastBeforeChargeOff = addDays(s.dueDate, pack.chargeOffDpd - 1);
  if (!s.plan && daysBetween(lastBeforeChargeOff, d.dueDate) > 0) {
    return {
      kind: 'rejected',
      reason:
        `dueDate: ${d.dueDate} is after ${lastBeforeChargeOff}, the last day before charge-off at ` +
        `${pack.chargeOffDpd} days past due`,
    };
  }
  // A running plan is the customer's commitment: its instalments fall due on their own dates (a promise would
  // pause the plan's own reminders, §3.6 against §3.7).
  if (s.plan)
    return {
      kind: 'rejected',
      reason: `promiseId: plan ${s.plan.planId} is running; its instalments fall due on their own dates`,
    };
  // One promise at a time: a second would leave the first neither kept nor broken in the record.
  if (s.promise && s.promise.promiseId !== d.promiseId) {
    return {
      kind: 'rejected',
      reason:
        `promiseId: promise ${s.promise.promiseId} (due ${s.promise.dueDate}) is still open; it is kept ` +
        `or broken first`,
    };
  }
  // Bounded by what is owed and by the pack's rule, so a promise cannot pause reminders for long on a token sum.
  const { least, most } = promiseAmounts(s, pack);
  if (d.amount > most)
    return { kind: 'rejected', reason: `amount: ${d.amount} is more than the balance owed, ${most}` };
  if (d.amount < least)
    return {
      kind: 'rejected',
      reason:
        `amount: ${d.amount} is less than ${least}, the ${promiseRule(pack).minShareBps / 100}% of the ` +
        `overdue amount a promise covers at least under ${pack.id}`,
    };
  if (latest !== null && daysBetween(latest, d.dueDate) > 0)
    return {
      kind: 'rejected',
      reason:
        `dueDate: ${d.dueDate} is after ${latest}, ${promiseRule(pack).maxDays} days ahead at most under ` + pack.id,
    };
  const at = now.toISOString();
  return applied(
    {
      ...s,
      promise: { promiseId: d.promiseId, amount: d.amount, dueDate: d.dueDate, madeAt: at, paidSince: 0 },
      lastPromise: null,
      history: { ...s.history, promisesMade: s.history.promisesMade + 1 },
    },
    [{ kind: 'ptp-made', at, promiseId: d.promiseId, amount: d.amount, dueDate: d.dueDate }],
  );
};

/**
 * A plan accepted: the one last offered, or (docs/contract.md §7) one a collector offered on the phone and the
 * customer took there — it comes from `collections.agent` under the id the next offer would take, and is
 * recorded as offered (PlanOffered out) and accepted at once.
 */
export const applyPlanAccepted = (
  s: AccountState,
  { detail: d, source }: InboundOf<'PlanAccepted'>,
  now: Date,
  pack: PolicyPack,
): Outcome => {
  if (s.plan?.planId === d.planId) return { kind: 'duplicate', reason: `plan ${d.planId} is already running` };
  const open = openOffer(s);
  const onCall = source === 'collections.agent' && !s.plan ? newOffer(s, now, { pack }) : null;
  const offer = open?.planId === d.planId ? open : onCall?.planId === d.planId ? onCall : null;
  if (!offer) {
    return {
      kind: 'rejected',
      reason:
        `planId: ${d.planId} is not the plan on offer to account ` +
        `${s.accountId}${open ? ` (${open.planId})` : ' (none on offer)'}`,
    };
  }
  if (!isInstalmentCountAllowed(d.instalments, pack)) {
    return {
      kind: 'rejected',
      reason: `instalments: expected 2 to ${pack.maxPlanInstalments} under ${pack.id}, got ${d.instalments}`,
    };
  }
  const at = now.toISOString();
  const offered: RecordEntry[] =
    offer === onCall ? [{ kind: 'plan-offered', at, planId: offer.planId, terms: offer.terms }] : [];
  const term = offer.terms.find((t) => t.instalments === d.instalments);
  const instalments = planSchedule(s.balance, d.instalments, localDate(now, s.timezone));
  return applied(
    {
      ...s,
      promise: null,
      lettersDue: [...(s.lettersDue ?? []), { template: 'plan-confirmation', requestedAt: at, planId: d.planId }],
      plan: {
        planId: d.planId,
        acceptedAt: at,
        total: s.balance,
        instalments,
        remindedFor: null,
        interestFrozen: term?.interestFrozen ?? pack.interestFreezeAllowed,
        feeWaived: term?.feeWaived ?? 0,
        ...(d.autopay ? { autopay: true, debits: [] } : {}),
      },
      // A plan takes the place of a settlement offered or accepted (one way out at a time).
      settlement: null,
      lastOffer: { ...offer, acceptedAt: at },
      history: {
        ...s.history,
        plansAccepted: s.history.plansAccepted + 1,
        plansOffered: s.history.plansOffered + offered.length,
      },
    },
    [
      ...offered,
      {
        kind: 'plan-accepted',
        at,
        planId: d.planId,
        instalments: d.instalments,
        monthlyAmount: instalments[0]!.amount,
        ...(d.autopay ? { autopay: true } : {}),
      },
    ],
  );
};

export const applyDisputeRaised = (s: AccountState, { detail: d }: InboundOf<'DisputeRaised'>, at: string): Outcome => {
  if (s.openDisputes.includes(d.disputeId) || s.resolvedDisputes.includes(d.disputeId))
    return { kind: 'duplicate', reason: `dispute ${d.disputeId} already recorded` };
  return applied({ ...s, openDisputes: [...s.openDisputes, d.disputeId] }, [
    { kind: 'dispute-opened', at, disputeId: d.disputeId },
  ]);
};

export const applyDisputeResolved = (
  s: AccountState,
  { detail: d }: InboundOf<'DisputeResolved'>,
  at: string,
): Outcome => {
  if (s.resolvedDisputes.includes(d.disputeId))
    return { kind: 'duplicate', reason: `dispute ${d.disputeId} already resolved` };
  if (!s.openDisputes.includes(d.disputeId))
    return { kind: 'rejected', reason: `disputeId: no open dispute ${d.disputeId} on account ${s.accountId}` };
  return applied(
    {
      ...s,
      openDisputes: s.openDisputes.filter((id) => id !== d.disputeId),
      resolvedDisputes: [...s.resolvedDisputes, d.disputeId],
    },
    [{ kind: 'dispute-resolved', at, disputeId: d.disputeId, outcome: d.outcome }],
  );
};

/**
 * Why the customer is late (docs/contract.md §3.15): the latest reason kept; fraud and dispute open a dispute (§3.5).
 */
export const applyReason = (
  state: AccountState,
  event: InboundOf<'DelinquencyReasonRecorded'>,
  at: string,
): Outcome => {
  const d = event.detail;
  if (state.reason?.reasonId === d.reasonId) return { kind: 'duplicate', reason: `reason ${d.reasonId} recorded` };
  const reasoned = { ...state, reason: { reasonId: d.reasonId, reason: d.reason, at } };
  const entry: RecordEntry = { kind: 'reason', at, reasonId: d.reasonId, reason: d.reason };
  // Fraud and dispute open a dispute (§3.15 → §3.5), under the reason's id.
  const disputed =
    d.reason === 'fraud' || d.reason === 'dispute'
      ? applyDisputeRaised(
          reasoned,
          {
            detailType: 'DisputeRaised',
            detail: { accountId: d.accountId, disputeId: d.reasonId, reason: d.reason },
          },
          at,
        )
      : null;
  return disputed?.kind === 'applied'
    ? applied(disputed.state, [entry, ...disputed.entries])
    : applied(reasoned, [entry]);
};
