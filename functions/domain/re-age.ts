// Re-aging after a workout, as the pack says (FFIEC Uniform Retail Credit Classification and Account
// Management Policy): once the customer has paid enough consecutive instalments by their due dates, the
// account is brought current. From then on its days past due count from the oldest unpaid instalment, so a
// customer who keeps paying never ages into charge-off, and one who stops resumes collection from that
// re-aged count, not from the original delinquency. At most once in `minMonthsBetween` months and
// `maxInFiveYears` times in five years, across cycles. Pure.
import type { AccountState, Instalment } from './account';
import { post } from './ledger';
import { nextUnpaid } from './plan-schedule';
import type { PolicyPack } from './policy-packs';
import type { RecordEntry } from './record';
import { addMonths, daysBetween, type LocalDate } from './zoned-time';

export type ReAgeDecision =
  { kind: 'not-yet' } | { kind: 're-age'; rule: string } | { kind: 'refused'; rule: string; reason: string };

/**
 * Instalments paid in full by their due dates, one after another, up to the first unpaid one. A late one restarts the
 * count.
 */
export const consecutiveOnTime = (instalments: readonly Instalment[]): number => {
  let run = 0;
  for (const instalment of instalments) {
    if (instalment.paid < instalment.amount) break;
    run = instalment.paidOn && daysBetween(instalment.dueDate, instalment.paidOn) <= 0 ? run + 1 : 0;
  }
  return run;
};

/** Whether the account's plan earns a re-age on `today`, and if the limits refuse it, which and why. */
export const reAgeDecision = (state: AccountState, pack: PolicyPack, today: LocalDate): ReAgeDecision => {
  const policy = pack.reAge;
  const plan = state.plan;
  if (!policy || !plan || plan.reAgedOn || plan.reAgeRefused) return { kind: 'not-yet' };
  if (consecutiveOnTime(plan.instalments) < policy.afterConsecutiveInstalments) return { kind: 'not-yet' };
  const past = state.reAges ?? [];
  const last = past.at(-1);
  if (last && daysBetween(today, addMonths(last, policy.minMonthsBetween)) > 0) {
    return {
      kind: 'refused',
      rule: `${pack.id}/re-age-once-in-${policy.minMonthsBetween}-months`,
      reason: `re-aged on ${last}; the next may be from ${addMonths(last, policy.minMonthsBetween)}`,
    };
  }
  const inFiveYears = past.filter((date) => daysBetween(today, addMonths(date, 60)) > 0);
  if (inFiveYears.length >= policy.maxInFiveYears) {
    return {
      kind: 'refused',
      rule: `${pack.id}/re-age-${policy.maxInFiveYears}-in-5-years`,
      reason: `re-aged ${inFiveYears.length} times since ${addMonths(today, -60)}`,
    };
  }
  return { kind: 're-age', rule: `${pack.id}/re-age-after-${policy.afterConsecutiveInstalments}-instalments` };
};

/** The due date a re-aged plan's account ages from: the oldest unpaid instalment's, or today once all are paid. */
const currentFrom = (instalments: readonly Instalment[], today: LocalDate): LocalDate =>
  nextUnpaid(instalments)?.dueDate ?? today;

/**
 * After a payment: re-ages the account when the plan has earned it (or records once that the limits refuse
 * it), and keeps a re-aged account current while its instalments are paid.
 */
export const settleReAge = (
  state: AccountState,
  pack: PolicyPack,
  today: LocalDate,
  at: string,
): { state: AccountState; entries: RecordEntry[] } => {
  const plan = state.plan;
  if (!plan) return { state, entries: [] };
  if (plan.reAgedOn) return { state: { ...state, dueDate: currentFrom(plan.instalments, today) }, entries: [] };
  const decision = reAgeDecision(state, pack, today);
  if (decision.kind === 'not-yet') return { state, entries: [] };
  if (decision.kind === 'refused') {
    return {
      state: { ...state, plan: { ...plan, reAgeRefused: true } },
      entries: [{ kind: 're-age-refused', at, rule: decision.rule, reason: decision.reason }],
    };
  }
  const dueDate = currentFrom(plan.instalments, today);
  const fiveYearsAgo = addMonths(today, -60);
  // Brought current: nothing is overdue any more, which the ledger records.
  const current =
    state.amountDue > 0
      ? post(state, at, { kind: 'updated', amount: 0, amountDue: 0, cause: 're-aged' })
      : { state, entries: [] };
  return {
    state: {
      ...current.state,
      dueDate,
      plan: { ...plan, reAgedOn: today },
      reAges: [...(state.reAges ?? []).filter((date) => daysBetween(fiveYearsAgo, date) > 0), today],
    },
    entries: [
      {
        kind: 're-aged',
        at,
        rule: decision.rule,
        previousDueDate: state.dueDate,
        dueDate,
        dpdBefore: Math.max(0, daysBetween(state.dueDate, today)),
      },
      ...current.entries,
    ],
  };
};
