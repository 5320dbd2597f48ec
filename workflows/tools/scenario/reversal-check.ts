// The runner's own check of docs/contract.md §3.21 over an account's record: a reversal applies only while the cycle is
// open, and a promise that a reversed payment had kept is not left counted as kept: short of its amount without that
// payment, it must be judged again (kept again or broken) by its deadline. Like compliance-check.ts, it re-reads the
// record and trusts nothing the workflow decided. (Settlements reached by a reversed payment: negotiation-check.ts.)
import type { RecordEntry } from '../../../functions/domain/record';
import { addDays, instantAt } from '../../../functions/domain/zoned-time';
import type { AccountRun, Violation } from './violation';

const DAY = 86_400_000;
const time = (entry: { at: string }) => Date.parse(entry.at);
type Of<K extends RecordEntry['kind']> = Extract<RecordEntry, { kind: K }>;
const ofKind = <K extends RecordEntry['kind']>(record: readonly RecordEntry[], kind: K): Of<K>[] =>
  record.filter((e): e is Of<K> => e.kind === kind);

export const checkReversals = ({ state, record }: AccountRun, until: Date): Violation[] => {
  const violations: Violation[] = [];
  const flag = (rule: string, at: string, detail: string) =>
    violations.push({ accountId: state.accountId, rule, at, detail });
  const closed = ofKind(record, 'closed')[0];
  const reversals = ofKind(record, 'payment-reversed');
  const payments = ofKind(record, 'payment');
  const position = (e: RecordEntry) => record.indexOf(e);

  for (const r of reversals)
    if (closed && position(r) > position(closed))
      flag('reversal-after-close', r.at, `payment ${r.paymentId} reversed after the cycle closed as ${closed.reason}`);

  for (const kept of ofKind(record, 'ptp-kept')) {
    const made = ofKind(record, 'ptp-made')
      .filter((m) => m.promiseId === kept.promiseId && position(m) < position(kept))
      .at(-1);
    if (!made) continue;
    const deadline = instantAt(addDays(made.dueDate, 1), 0, 0, state.timezone).getTime();
    // The payments that kept it: posted from the promise to its deadline, and applied by the time it was kept.
    const counted = payments.filter(
      (p) => time(p) >= time(made) && time(p) < deadline && Date.parse(p.receivedAt ?? p.at) <= time(kept),
    );
    for (const r of reversals.filter((x) => position(x) > position(kept))) {
      if (!counted.some((p) => p.paymentId === r.paymentId)) continue;
      const takenBack = reversals.filter(
        (x) => position(x) <= position(r) && counted.some((p) => p.paymentId === x.paymentId),
      );
      const net = counted.reduce((sum, p) => sum + p.amount, 0) - takenBack.reduce((sum, x) => sum + x.amount, 0);
      if (net >= made.amount) continue;
      const judged = record.some(
        (e) =>
          position(e) > position(r) &&
          (e.kind === 'ptp-kept' || e.kind === 'ptp-broken' || e.kind === 'plan-accepted') &&
          (e.kind === 'plan-accepted' || e.promiseId === made.promiseId),
      );
      // Judged by its deadline (at once, where it has passed), a day's grace, unless the run or the cycle ended first.
      const by = Math.max(deadline, time(r)) + DAY;
      if (!judged && by < until.getTime() && !(closed && time(closed) <= by))
        flag(
          'reversed-promise-kept',
          r.at,
          `promise ${made.promiseId} kept with ${r.paymentId}, reversed: ${net} of ${made.amount}, not judged again`,
        );
    }
  }
  return violations;
};
