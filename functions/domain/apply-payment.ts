// A payment posted (docs/contract.md §3.3, §3.6, §3.7, §3.16): it moves the balance and the amount due on the ledger,
// counts toward a promise, the plan's instalments and a settlement, and may earn a re-age. Pure.
import type { AccountState, PromiseToPay, SettledPromise } from './account';
import { markDebitPosted } from './autopay';
import type { InboundOf } from './inbound-events';
import { post } from './ledger';
import { promiseDeadline } from './local-day';
import { applied, type Outcome } from './outcome';
import { allocatePayment } from './plan-schedule';
import type { PolicyPack } from './policy-packs';
import { settleReAge } from './re-age';
import type { RecordEntry } from './record';
import { countTowardSettlement, withRecentPayment } from './settlement';
import { localDate } from './zoned-time';

/** A payment dates from its posting, never from the future of the account's clock. */
const postedTime = (postedAt: string, now: Date): number => Math.min(Date.parse(postedAt), now.getTime());

const paidToward = <P extends PromiseToPay>(p: P, paymentId: string, amount: number): P => ({
  ...p,
  paidSince: p.paidSince + amount,
  paidBy: [...(p.paidBy ?? []), paymentId],
});

/**
 * A promise counts the payments posted since it was made and before its deadline. One posted in time but
 * delivered after the promise was settled as broken still keeps it: the break is reversed and recorded.
 * A promise kept is kept on the state with the payments that kept it, for a reversal to judge it again.
 */
const countTowardPromises = (s: AccountState, posted: number, paymentId: string, amount: number, at: string) => {
  const counts = (p: { madeAt: string }, deadline: number | null) =>
    posted >= Date.parse(p.madeAt) && (deadline === null || posted < deadline);
  const entries: RecordEntry[] = [];
  let { promise, lastPromise } = s;
  let kept: SettledPromise | null = null;
  let { promisesKept, promisesBroken } = s.history;
  const deadline = promiseDeadline(s);
  if (promise && counts(promise, deadline)) {
    promise = paidToward(promise, paymentId, amount);
    if (promise.paidSince >= promise.amount) {
      entries.push({ kind: 'ptp-kept', at, promiseId: promise.promiseId });
      kept = { ...promise, deadline: new Date(deadline!).toISOString() };
      promise = null;
      promisesKept += 1;
    }
  } else if (!promise && lastPromise && counts(lastPromise, Date.parse(lastPromise.deadline))) {
    lastPromise = paidToward(lastPromise, paymentId, amount);
    if (lastPromise.paidSince >= lastPromise.amount) {
      entries.push({ kind: 'ptp-kept', at, promiseId: lastPromise.promiseId, late: true });
      kept = lastPromise;
      lastPromise = null;
      promisesKept += 1;
      promisesBroken -= 1;
    }
  }
  return { promise, lastPromise, kept, promisesKept, promisesBroken, entries };
};

export const applyPayment = (
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
  const promises = countTowardPromises(s, posted, d.paymentId, d.amount, received);
  // The balance stops at 0: what a payment brings beyond it moves nothing on the ledger.
  const moved = Math.min(d.amount, s.balance);
  const ledger = post(s, received, {
    kind: 'payment',
    amount: -moved,
    paymentId: d.paymentId,
    ...(d.amount > moved ? { excess: d.amount - moved } : {}),
  });
  const entries: RecordEntry[] = [
    {
      kind: 'payment',
      at: new Date(posted).toISOString(),
      paymentId: d.paymentId,
      amount: d.amount,
      receivedAt: received,
    },
    ...ledger.entries,
    ...promises.entries,
  ];
  const postedOn = localDate(new Date(posted), s.timezone);
  const debited = markDebitPosted(s.plan, d.paymentId);
  const plan = debited && {
    ...debited,
    instalments: allocatePayment(debited.instalments, d.amount, postedOn).instalments,
  };
  const paid: AccountState = {
    ...ledger.state,
    collected: s.collected + d.amount,
    promise: promises.promise,
    lastPromise: promises.lastPromise,
    ...(promises.kept ? { keptPromises: [...(s.keptPromises ?? []), promises.kept] } : {}),
    plan,
    ...(s.settlement ? { settlement: countTowardSettlement(s, new Date(posted), d.paymentId, d.amount) } : {}),
    recentPayments: withRecentPayment(s, new Date(posted), d.paymentId, d.amount, now),
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
