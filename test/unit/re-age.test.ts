// Re-aging after a workout (FFIEC, as pack data): pure rules with plain values.
import { describe, expect, it } from 'vitest';
import type { Instalment } from '../../functions/domain/account';
import { POLICY_PACKS } from '../../policies/built-in-packs';
import { planSchedule } from '../../functions/domain/plan-schedule';
import { consecutiveOnTime, reAgeDecision, settleReAge } from '../../functions/domain/re-age';
import { anAccount } from '../support/fixtures';

const us = POLICY_PACKS['us-regf'];
const schedule = planSchedule(120_000, 12, '2026-02-02'); // due 03-02, 04-02, 05-02, …
const paid = (instalments: Instalment[], paidOn: (string | null)[]): Instalment[] =>
  instalments.map((i, n) => (n < paidOn.length ? { ...i, paid: i.amount, paidOn: paidOn[n] } : i));
const onPlan = (instalments: Instalment[], extra = {}) =>
  anAccount({
    dueDate: '2026-01-01',
    amountDue: 12_000,
    plan: {
      planId: 'PL1',
      acceptedAt: '2026-02-02T16:00:00Z',
      total: 120_000,
      interestFrozen: true,
      feeWaived: 0,
      instalments,
      remindedFor: null,
    },
    ...extra,
  });

describe('re-aging after a workout', () => {
  it('counts instalments paid in full by their due dates, one after another; a late one restarts the count', () => {
    expect(consecutiveOnTime(paid(schedule, ['2026-03-01', '2026-04-02', '2026-05-01']))).toBe(3);
    expect(consecutiveOnTime(paid(schedule, ['2026-03-01', '2026-04-05', '2026-05-01']))).toBe(1);
    expect(consecutiveOnTime(paid(schedule, ['2026-03-01', '2026-04-01']))).toBe(2);
    // Paid in full but before re-aging was recorded: not evidence of paying on time.
    expect(consecutiveOnTime(paid(schedule, [null, '2026-04-01', '2026-05-01']))).toBe(2);
  });

  it('brings the account current after the third: days past due count from the oldest unpaid instalment', () => {
    const state = onPlan(paid(schedule, ['2026-03-01', '2026-04-01', '2026-05-01']));
    const { state: next, entries } = settleReAge(state, us, '2026-05-01', '2026-05-01T16:00:00.000Z');
    expect(next).toMatchObject({
      dueDate: '2026-06-02',
      amountDue: 0,
      reAges: ['2026-05-01'],
      plan: { reAgedOn: '2026-05-01' },
    });
    expect(entries).toEqual([
      {
        kind: 're-aged',
        at: '2026-05-01T16:00:00.000Z',
        rule: 'us-regf/re-age-after-3-instalments',
        previousDueDate: '2026-01-01',
        dueDate: '2026-06-02',
        dpdBefore: 120,
      },
      // Nothing is overdue any more: the ledger says so (docs/contract.md §3.19).
      {
        kind: 'ledger',
        at: '2026-05-01T16:00:00.000Z',
        entry: {
          at: '2026-05-01T16:00:00.000Z',
          kind: 'updated',
          amount: 0,
          balance: 250_000,
          amountDue: 0,
          cause: 're-aged',
        },
      },
    ]);
    // Each later instalment paid keeps it current; the plan re-ages only once.
    const fourth = settleReAge(
      {
        ...next,
        plan: { ...next.plan!, instalments: paid(schedule, ['2026-03-01', '2026-04-01', '2026-05-01', '2026-06-01']) },
      },
      us,
      '2026-06-01',
      '2026-06-01T16:00:00.000Z',
    );
    expect(fourth).toMatchObject({ state: { dueDate: '2026-07-02', reAges: ['2026-05-01'] }, entries: [] });
  });

  it('refuses a second re-age inside 12 months, and a third inside five years, recording the refusal once', () => {
    const earned = paid(schedule, ['2026-03-01', '2026-04-01', '2026-05-01']);
    expect(reAgeDecision(onPlan(earned, { reAges: ['2025-09-15'] }), us, '2026-05-01')).toEqual({
      kind: 'refused',
      rule: 'us-regf/re-age-once-in-12-months',
      reason: 're-aged on 2025-09-15; the next may be from 2026-09-15',
    });
    expect(reAgeDecision(onPlan(earned, { reAges: ['2022-06-01', '2024-06-01'] }), us, '2026-05-01')).toMatchObject({
      kind: 'refused',
      rule: 'us-regf/re-age-2-in-5-years',
    });
    expect(reAgeDecision(onPlan(earned, { reAges: ['2020-06-01', '2024-06-01'] }), us, '2026-05-01').kind).toBe(
      're-age',
    );
    const refused = settleReAge(
      onPlan(earned, { reAges: ['2025-09-15'] }),
      us,
      '2026-05-01',
      '2026-05-01T16:00:00.000Z',
    );
    expect(refused.state).toMatchObject({ dueDate: '2026-01-01', plan: { reAgeRefused: true } });
    expect(refused.entries.map((e) => e.kind)).toEqual(['re-age-refused']);
    expect(settleReAge(refused.state, us, '2026-05-02', '2026-05-02T16:00:00.000Z').entries).toEqual([]);
  });

  it('never re-ages under a pack without the rule', () => {
    expect(
      reAgeDecision(onPlan(paid(schedule, ['2026-03-01', '2026-04-01', '2026-05-01'])), POLICY_PACKS.cn, '2026-05-01')
        .kind,
    ).toBe('not-yet');
  });
});
