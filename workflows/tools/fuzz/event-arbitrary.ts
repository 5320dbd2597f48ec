// What happens to a generated account after it opens, and when: the event plans the scenario generator draws.
import fc from 'fast-check';
import { CHANNELS, type Channel } from '../../../functions/domain/channels';
import { DELINQUENCY_REASONS, type DelinquencyReason } from '../../../functions/domain/inbound-events';

export type When =
  | { kind: 'after'; minutes: number }
  | { kind: 'local-2059'; day: number }
  | { kind: 'charge-off-day' }
  | { kind: 'before-open'; minutes: number }
  /** Seconds after the account's previous event: two events together, such as a payment and an update. */
  | { kind: 'with-previous'; seconds: number };
export type Action =
  | { type: 'pay'; share: number }
  | { type: 'promise'; share: number; inDays: number }
  | { type: 'plan'; option: number; autopay: boolean }
  | { type: 'settle' }
  | { type: 'debit'; n: number; posted: boolean }
  | { type: 'dispute'; resolve: 'upheld' | 'rejected' | null; afterDays: number }
  | { type: 'opt-out'; channel: Channel }
  | { type: 'cease' }
  | { type: 'call-outcome'; outcome: 'no-answer' | 'right-party' | 'refused' }
  /** The bank's update: a flag, a new email, or a new statement's amount due (a share of the first, in percent). */
  | { type: 'update'; flag: 'bankrupt' | 'deceased' | null; email: boolean; dueShare: number | null }
  | { type: 'recall' }
  | { type: 'inbound-call' }
  | { type: 'reason'; reason: DelinquencyReason };
export interface EventPlan {
  when: When;
  action: Action;
  twice: boolean;
}

export const when: fc.Arbitrary<When> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.integer({ min: 1, max: 400 * 24 * 60 }).map((minutes) => ({ kind: 'after' as const, minutes })),
  },
  { weight: 2, arbitrary: fc.integer({ min: 1, max: 20 }).map((minutes) => ({ kind: 'after' as const, minutes })) },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 200 }).map((day) => ({ kind: 'local-2059' as const, day })) },
  { weight: 1, arbitrary: fc.constant({ kind: 'charge-off-day' as const }) },
  {
    weight: 1,
    arbitrary: fc.integer({ min: 1, max: 30 }).map((minutes) => ({ kind: 'before-open' as const, minutes })),
  },
  {
    weight: 2,
    arbitrary: fc.integer({ min: 0, max: 120 }).map((seconds) => ({ kind: 'with-previous' as const, seconds })),
  },
);

export const action: fc.Arbitrary<Action> = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 1, max: 120 }).map((share) => ({ type: 'pay' as const, share })) },
  {
    weight: 3,
    arbitrary: fc
      .record({ share: fc.integer({ min: 10, max: 100 }), inDays: fc.integer({ min: 0, max: 20 }) })
      .map((a) => ({ type: 'promise' as const, ...a })),
  },
  {
    weight: 2,
    arbitrary: fc
      .record({ option: fc.integer({ min: 0, max: 4 }), autopay: fc.boolean() })
      .map((a) => ({ type: 'plan' as const, ...a })),
  },
  { weight: 1, arbitrary: fc.constant({ type: 'settle' as const }) },
  {
    weight: 1,
    arbitrary: fc
      .record({ n: fc.integer({ min: 1, max: 4 }), posted: fc.boolean() })
      .map((a) => ({ type: 'debit' as const, ...a })),
  },
  {
    weight: 2,
    arbitrary: fc
      .record({
        resolve: fc.constantFrom('upheld' as const, 'rejected' as const, null),
        afterDays: fc.integer({ min: 1, max: 40 }),
      })
      .map((a) => ({ type: 'dispute' as const, ...a })),
  },
  { weight: 2, arbitrary: fc.constantFrom(...CHANNELS).map((channel) => ({ type: 'opt-out' as const, channel })) },
  { weight: 1, arbitrary: fc.constant({ type: 'cease' as const }) },
  {
    weight: 2,
    arbitrary: fc
      .constantFrom('no-answer' as const, 'right-party' as const, 'refused' as const)
      .map((outcome) => ({ type: 'call-outcome' as const, outcome })),
  },
  {
    weight: 1,
    arbitrary: fc
      .record({
        flag: fc.constantFrom('bankrupt' as const, 'deceased' as const, null),
        email: fc.boolean(),
        dueShare: fc.option(fc.integer({ min: 0, max: 150 }), { nil: null }),
      })
      .map((a) => ({ type: 'update' as const, ...a })),
  },
  { weight: 1, arbitrary: fc.constant({ type: 'recall' as const }) },
  { weight: 1, arbitrary: fc.constant({ type: 'inbound-call' as const }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(...DELINQUENCY_REASONS).map((reason) => ({ type: 'reason' as const, reason })),
  },
);
