import { describe, expect, it } from 'vitest';
import {
  allocatePayment,
  amountOverdueOnPlan,
  daysLate,
  instalmentAmounts,
  isInstalmentCountAllowed,
  isPlanComplete,
  planSchedule,
  planTerms,
} from '../../functions/domain/plan-schedule';
import { POLICY_PACKS } from '../../policies/built-in-packs';

describe('plan maths', () => {
  it('splits equally with the remainder on the last instalment', () => {
    expect(instalmentAmounts(1000, 3)).toEqual([333, 333, 334]);
    expect(instalmentAmounts(1_200_000, 6)).toEqual(Array(6).fill(200_000));
    expect(instalmentAmounts(7, 12).reduce((a, b) => a + b, 0)).toBe(7);
  });

  it('always sums to the total, with integer instalments', () => {
    for (const [total, count] of [
      [250_001, 12],
      [99, 60],
      [1, 2],
      [123_456_789, 7],
    ] as const) {
      const parts = instalmentAmounts(total, count);
      expect(parts).toHaveLength(count);
      expect(parts.reduce((a, b) => a + b, 0)).toBe(total);
      expect(parts.every(Number.isInteger)).toBe(true);
    }
  });

  it('refuses a float total', () => {
    expect(() => instalmentAmounts(10.5, 2)).toThrow('total: expected a non-negative integer, got 10.5');
  });

  it('falls due monthly from one month after acceptance, clamped to month end', () => {
    expect(planSchedule(900, 3, '2026-01-31').map((i) => i.dueDate)).toEqual([
      '2026-02-28',
      '2026-03-31',
      '2026-04-30',
    ]);
    expect(planSchedule(900, 2, '2028-01-30').map((i) => i.dueDate)).toEqual(['2028-02-29', '2028-03-30']);
  });

  it('pays the oldest unpaid instalment first and carries the excess', () => {
    const schedule = planSchedule(900, 3, '2026-01-10');
    const once = allocatePayment(schedule, 400);
    expect(once.instalments.map((i) => i.paid)).toEqual([300, 100, 0]);
    const twice = allocatePayment(once.instalments, 700);
    expect(twice.instalments.map((i) => i.paid)).toEqual([300, 300, 300]);
    expect(twice.excess).toBe(200);
    expect(isPlanComplete(twice.instalments)).toBe(true);
  });

  it('measures lateness from the oldest unpaid instalment', () => {
    const schedule = planSchedule(900, 3, '2026-01-10');
    expect(daysLate(schedule, '2026-02-10')).toBe(0);
    expect(daysLate(schedule, '2026-02-21')).toBe(11);
    expect(amountOverdueOnPlan(schedule, '2026-03-11')).toBe(600);
  });

  it('offers only the instalment counts the pack allows', () => {
    expect(planTerms(120_000, 3900, false, POLICY_PACKS['us-regf']).map((t) => t.instalments)).toEqual([3, 6, 12]);
    expect(Math.max(...planTerms(120_000, 3900, false, POLICY_PACKS.cn).map((t) => t.instalments))).toBe(60);
    expect(isInstalmentCountAllowed(13, POLICY_PACKS['us-regf'])).toBe(false);
    expect(isInstalmentCountAllowed(60, POLICY_PACKS.cn)).toBe(true);
    expect(isInstalmentCountAllowed(1, POLICY_PACKS.cn)).toBe(false);
  });

  it('waives fees for hardship only, within the pack cap', () => {
    expect(planTerms(120_000, 3900, true, POLICY_PACKS['us-regf'])[0]!.feeWaived).toBe(3900);
    expect(planTerms(120_000, 3900, false, POLICY_PACKS['us-regf'])[0]!.feeWaived).toBe(0);
  });
});
