// Autopay plans (docs/contract.md §3.17): the bank is asked to debit each instalment on its due date, and once more
// `debitRetryDays` after a failure; a failed retry leaves an unpaid instalment, which §3.7 breaks in time. Pure.
import type { AccountState, ActivePlan, Debit, Instalment } from './account';
import type { InboundOf } from './inbound-events';
import { applied, type Outcome } from './outcome';
import { nextUnpaid } from './plan-schedule';
import type { PolicyPack } from './policy-packs';
import type { RecordEntry } from './record';
import type { Change } from './change';
import { addDays, daysBetween, instantAt, localDate, type LocalDate } from './zoned-time';

export const debitId = (planId: string, instalment: number, retry: boolean): string =>
  `${planId}-I${instalment}${retry ? '-R1' : ''}`;

const debitsFor = (plan: ActivePlan, instalment: number): Debit[] =>
  (plan.debits ?? []).filter((d) => d.instalment === instalment);

/** The next debit to ask for on `plan`, and the local day it is due; null when none is to come. */
export const nextDebit = (
  plan: ActivePlan,
  pack: PolicyPack,
  timezone: string,
): { instalment: number; due: Instalment; retry: boolean; on: LocalDate } | null => {
  if (!plan.autopay) return null;
  const due = nextUnpaid(plan.instalments);
  if (!due) return null;
  const instalment = plan.instalments.indexOf(due) + 1;
  const asked = debitsFor(plan, instalment);
  if (asked.length === 0) return { instalment, due, retry: false, on: due.dueDate };
  const first = asked[0]!;
  if (asked.length > 1 || first.status !== 'failed' || !first.failedAt) return null;
  return {
    instalment,
    due,
    retry: true,
    on: addDays(localDate(new Date(first.failedAt), timezone), pack.debitRetryDays),
  };
};

/** When the next debit is to be asked for (start of its local day), or null. */
export const nextDebitAt = (state: AccountState, pack: PolicyPack): number | null => {
  const next = state.plan && nextDebit(state.plan, pack, state.timezone);
  return next ? instantAt(next.on, 0, 0, state.timezone).getTime() : null;
};

/**
 * Whether the instalment reminder for the next unpaid instalment is held: its debit is to come or running. Only
 * a debit that failed on its retry leaves the customer to pay it, and then they are reminded.
 */
export const debitHoldsReminder = (plan: ActivePlan): boolean => {
  if (!plan.autopay) return false;
  const due = nextUnpaid(plan.instalments);
  if (!due) return false;
  const asked = debitsFor(plan, plan.instalments.indexOf(due) + 1);
  return !asked.some((d) => d.retry && d.status === 'failed');
};

/** Asks for the debit due by `now`, if one is: recorded, which announces InstalmentDebitRequested. */
export const requestDueDebit = (state: AccountState, now: Date, pack: PolicyPack): Change => {
  const plan = state.plan;
  const next = plan && nextDebit(plan, pack, state.timezone);
  if (!plan || !next || daysBetween(next.on, localDate(now, state.timezone)) < 0) return { state, entries: [] };
  const debit: Debit = {
    paymentId: debitId(plan.planId, next.instalment, next.retry),
    instalment: next.instalment,
    amount: next.due.amount - next.due.paid,
    requestedAt: now.toISOString(),
    retry: next.retry,
    status: 'requested',
  };
  const entry: RecordEntry = {
    kind: 'debit-requested',
    at: debit.requestedAt,
    planId: plan.planId,
    instalment: debit.instalment,
    paymentId: debit.paymentId,
    amount: debit.amount,
    currency: state.currency,
    dueDate: next.due.dueDate,
  };
  return { state: { ...state, plan: { ...plan, debits: [...(plan.debits ?? []), debit] } }, entries: [entry] };
};

/** A payment under a debit's id marks that debit posted (the payment itself is applied as any other). */
export const markDebitPosted = (plan: ActivePlan | null, paymentId: string): ActivePlan | null =>
  plan?.debits?.some((d) => d.paymentId === paymentId)
    ? { ...plan, debits: plan.debits.map((d) => (d.paymentId === paymentId ? { ...d, status: 'posted' } : d)) }
    : plan;

/** `PaymentFailed`: recorded; if it is one of our debits, that debit failed (the first one is retried). */
export const applyPaymentFailed = (s: AccountState, { detail: d }: InboundOf<'PaymentFailed'>, now: Date): Outcome => {
  const at = now.toISOString();
  const debit = s.plan?.debits?.find((x) => x.paymentId === d.paymentId);
  if (debit && debit.status !== 'requested')
    return { kind: 'duplicate', reason: `debit ${d.paymentId} already ${debit.status}` };
  const plan =
    s.plan && debit
      ? {
          ...s.plan,
          debits: s.plan.debits!.map((x) =>
            x.paymentId === d.paymentId ? { ...x, status: 'failed' as const, failedAt: at } : x,
          ),
        }
      : s.plan;
  return applied({ ...s, plan }, [
    { kind: 'payment-failed', at, paymentId: d.paymentId, amount: d.amount, reason: d.reason },
  ]);
};
