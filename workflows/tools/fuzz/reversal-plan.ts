// Payments the bank takes back, in generated scenarios (docs/contract.md §3.21): a reversal of a payment generated
// earlier (an instalment debit's too), minutes to weeks after it, so it may find the promise, instalment or settlement
// the payment satisfied still open, judged or closed; and now and then one of a payment the account never had.
import fc from 'fast-check';
import type { ScenarioEvent } from '../scenario/scenario-file';

export interface ReversalPlan {
  /** Which of the scenario's payments, counted in time order (modulo how many there are). */
  payment: number;
  afterMinutes: number;
  reason: 'returned' | 'chargeback' | 'error';
  /** A payment id the account never had. */
  unknown: boolean;
}

export const reversalPlans: fc.Arbitrary<ReversalPlan[]> = fc.array(
  fc.record({
    payment: fc.nat(20),
    afterMinutes: fc.oneof(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 60, max: 30 * 24 * 60 })),
    reason: fc.constantFrom('returned' as const, 'chargeback' as const, 'error' as const),
    unknown: fc.integer({ min: 0, max: 5 }).map((n) => n === 0),
  }),
  { maxLength: 2 },
);

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** The reversals `plans` make of the payments among `events`, each before `until`. */
export const reversalEvents = (
  plans: readonly ReversalPlan[],
  events: readonly ScenarioEvent[],
  until: number,
): ScenarioEvent[] => {
  const payments = events
    .filter((e) => e.detailType === 'PaymentPosted')
    .sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  return plans.flatMap((plan) => {
    const paid = payments[plan.payment % Math.max(1, payments.length)];
    const at = paid ? Date.parse(paid.at) + plan.afterMinutes * 60_000 : until;
    if (!paid || at >= until - 60_000) return [];
    const { accountId, paymentId } = paid.detail as { accountId: string; paymentId: string };
    return [
      {
        at: iso(at),
        source: 'bank.core',
        detailType: 'PaymentReversed',
        detail: {
          accountId,
          paymentId: plan.unknown ? `${accountId}-X${plan.payment}` : paymentId,
          reason: plan.reason,
        },
      },
    ];
  });
};
