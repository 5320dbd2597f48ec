import { describe, expect, it } from 'vitest';
import { bucketOf, daysPastDue } from '../../functions/domain/days-past-due';
import { lateFees, missedCycles, penaltyInterest } from '../../functions/domain/fees';

describe('days past due', () => {
  it('counts calendar days after the due date in the account zone', () => {
    // 06:00Z on Jan 5 is midnight in Chicago: already the 5th there, 4 days past a Jan 1 due date.
    expect(daysPastDue('2026-01-01', new Date('2026-01-05T06:00:00Z'), 'America/Chicago')).toBe(4);
    expect(daysPastDue('2026-01-01', new Date('2026-01-05T05:59:00Z'), 'America/Chicago')).toBe(3);
  });

  it('is zero on and before the due date', () => {
    expect(daysPastDue('2026-01-01', new Date('2026-01-01T12:00:00Z'), 'UTC')).toBe(0);
    expect(daysPastDue('2026-01-01', new Date('2025-12-20T12:00:00Z'), 'UTC')).toBe(0);
  });

  it('differs across the date line for the same instant', () => {
    const instant = new Date('2026-01-31T10:30:00Z');
    expect(daysPastDue('2026-01-01', instant, 'Pacific/Kiritimati')).toBe(31);
    expect(daysPastDue('2026-01-01', instant, 'Pacific/Pago_Pago')).toBe(29);
  });

  it('counts the leap day', () => {
    expect(daysPastDue('2028-02-01', new Date('2028-03-01T12:00:00Z'), 'UTC')).toBe(29);
  });

  it.each([
    [0, 'current'],
    [1, 'B1'],
    [29, 'B1'],
    [30, 'B2'],
    [59, 'B2'],
    [60, 'B3'],
    [90, 'B4'],
    [120, 'B5'],
    [150, 'B6'],
    [179, 'B6'],
    [180, 'charge-off'],
    [400, 'charge-off'],
  ] as const)('puts %i days past due in %s', (dpd, bucket) => expect(bucketOf(dpd)).toBe(bucket));
});

describe('fees and penalty interest', () => {
  it('accrues simple daily interest from the APR, rounded half up', () => {
    // 12,000 × 29.99% × 30 / 365 = 295.79…
    expect(penaltyInterest(12_000, 2999, 30)).toBe(296);
    expect(penaltyInterest(12_000, 2999, 0)).toBe(0);
  });

  it('stays exact on very large balances', () => {
    expect(penaltyInterest(900_000_000_000, 3650, 365)).toBe(328_500_000_000);
  });

  it('charges one late fee per missed cycle', () => {
    expect(missedCycles(0)).toBe(0);
    expect(missedCycles(1)).toBe(1);
    expect(missedCycles(30)).toBe(1);
    expect(missedCycles(31)).toBe(2);
    expect(lateFees(3900, 61)).toBe(3 * 3900);
    expect(lateFees(null, 61)).toBe(0);
  });
});
