// A payment reversed by the bank (docs/contract.md §3.21): what it paid is owed again, on the ledger, and what it
// satisfied is judged again: a promise it kept, the instalments it paid (and the debit it answered), a settlement it
// counted toward. Applied once per payment, and only while its cycle is open. Pure.
import type { AccountState, ActivePlan, SettledPromise } from './account';
import type { Change } from './change';
import type { InboundOf } from './inbound-events';
import { post } from './ledger';
import type { LedgerEntry } from './ledger-entry';
import { applied, type Outcome } from './outcome';
import { unallocatePayment } from './plan-schedule';
import type { PolicyPack } from './policy-packs';
import { settleReAge } from './re-age';
import type { RecordEntry } from './record';
import { lapseSettlement } from './settlement';
import { breakLatePlan } from './transitions';
import { localDate } from './zoned-time';

type Reversal = InboundOf<'PaymentReversed'>;

/** A cycle that has closed takes no reversal: the bank collects it in a new cycle, opened with AccountDelinquent. */
export const reversalAfterClose = (s: AccountState, { detail: d }: Reversal): Outcome => ({
  kind: 'rejected',
  reason:
    `paymentId: cycle ${s.cycleId} of account ${s.accountId} closed as ${s.closeReason ?? 'closed'}; a reversal ` +
    `of ${d.paymentId} after the close is the bank's to collect in a new cycle (AccountDelinquent)`,
});

const without = (ids: readonly string[] | undefined, paymentId: string) => (ids ?? []).filter((id) => id !== paymentId);

/**
 * A promise the payment counted toward: an open one counts it no more; one it kept, short of its amount without it, is
 * kept no more and is broken at once when its day has passed (or another promise is open), otherwise open again.
 */
const judgePromise = (s: AccountState, paymentId: string, paid: number, now: Date): Change => {
  const at = now.toISOString();
  const less = <P extends { paidSince: number; paidBy?: string[] }>(p: P): P => ({
    ...p,
    paidSince: p.paidSince - paid,
    paidBy: without(p.paidBy, paymentId),
  });
  if (s.promise?.paidBy?.includes(paymentId)) return { state: { ...s, promise: less(s.promise) }, entries: [] };
  if (s.lastPromise?.paidBy?.includes(paymentId))
    return { state: { ...s, lastPromise: less(s.lastPromise) }, entries: [] };
  const kept = s.keptPromises?.find((p) => p.paidBy?.includes(paymentId));
  if (!kept) return { state: s, entries: [] };
  const judged: SettledPromise = less(kept);
  const others = s.keptPromises!.filter((p) => p !== kept);
  if (judged.paidSince >= judged.amount) return { state: { ...s, keptPromises: [...others, judged] }, entries: [] };
  const reopened: RecordEntry = { kind: 'ptp-reopened', at, promiseId: kept.promiseId, paymentId };
  const history = { ...s.history, promisesKept: s.history.promisesKept - 1 };
  if (now.getTime() < Date.parse(kept.deadline) && !s.promise) {
    const { deadline: _deadline, ...promise } = judged;
    return { state: { ...s, promise, keptPromises: others, history }, entries: [reopened] };
  }
  return {
    state: {
      ...s,
      lastPromise: judged,
      keptPromises: others,
      history: { ...history, promisesBroken: history.promisesBroken + 1 },
    },
    entries: [reopened, { kind: 'ptp-broken', at, promiseId: kept.promiseId, paid: judged.paidSince }],
  };
};

/** The plan's instalments without what the payment paid (made while the plan ran); its debit, if it was one, failed. */
const judgedPlan = (plan: ActivePlan, payment: LedgerEntry, paid: number, at: string): ActivePlan => {
  const debit = plan.debits?.find((d) => d.paymentId === payment.paymentId);
  return {
    ...plan,
    instalments: unallocatePayment(plan.instalments, paid, debit ? debit.instalment - 1 : undefined),
    ...(debit && {
      debits: plan.debits!.map((d) => (d === debit ? { ...d, status: 'failed' as const, failedAt: at } : d)),
    }),
  };
};

export const applyPaymentReversed = (
  s: AccountState,
  { detail: d }: Reversal,
  now: Date,
  pack: PolicyPack,
): Outcome => {
  const ledger = s.ledger ?? [];
  if (ledger.some((e) => e.kind === 'reversed' && e.paymentId === d.paymentId))
    return { kind: 'duplicate', reason: `payment ${d.paymentId} already reversed` };
  const index = ledger.findIndex((e) => e.kind === 'payment' && e.paymentId === d.paymentId);
  const payment = ledger[index];
  if (!payment)
    return {
      kind: 'rejected',
      reason: `paymentId: no payment ${d.paymentId} in cycle ${s.cycleId} of account ${s.accountId}`,
    };
  const at = now.toISOString();
  // Owed again: what the payment took off the balance and off the amount due (never more than the balance).
  const restored = -payment.amount;
  const paid = restored + (payment.excess ?? 0);
  const dueTaken = (ledger[index - 1]?.amountDue ?? payment.amountDue) - payment.amountDue;
  const owed = post(s, at, {
    kind: 'reversed',
    amount: restored,
    amountDue: Math.min(s.balance + restored, s.amountDue + dueTaken),
    paymentId: d.paymentId,
  });
  const running = s.plan && Date.parse(payment.at) >= Date.parse(s.plan.acceptedAt);
  const settlement = s.settlement?.paidBy?.includes(d.paymentId)
    ? { ...s.settlement, paidSince: s.settlement.paidSince - paid, paidBy: without(s.settlement.paidBy, d.paymentId) }
    : s.settlement;
  const reversed: AccountState = {
    ...owed.state,
    collected: s.collected - paid,
    ...(running ? { plan: judgedPlan(s.plan!, payment, paid, at) } : {}),
    ...(s.settlement ? { settlement } : {}),
    recentPayments: (s.recentPayments ?? []).filter((p) => p.paymentId !== d.paymentId),
  };
  const promise = judgePromise(reversed, d.paymentId, paid, now);
  // A re-aged plan ages from its oldest unpaid instalment again; a plan now too late is broken; a settlement now short
  // after its last day lapses.
  const reAged = running ? settleReAge(promise.state, pack, localDate(now, s.timezone), at) : promise;
  const plan = breakLatePlan(reAged.state, now, pack);
  const lapsed = lapseSettlement(plan.state, now);
  return applied(lapsed.state, [
    { kind: 'payment-reversed', at, paymentId: d.paymentId, amount: paid, reason: d.reason },
    ...owed.entries,
    ...promise.entries,
    ...(reAged === promise ? [] : reAged.entries),
    ...plan.entries,
    ...lapsed.entries,
  ]);
};
