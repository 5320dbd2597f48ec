// The debt diagnosis on plain values: how late, in which bucket, what it costs, and what kind of payer.
import { describe, expect, it } from 'vitest';
import type { AccountState } from '../../functions/domain/account';
import { diagnose } from '../../functions/domain/diagnosis';
import { anAccount, at } from '../support/fixtures';

// Due 2026-01-01 in Chicago; noon local on 31 January is 30 days past due.
const day30 = at('2026-01-31T18:00:00Z');

describe('diagnosis', () => {
  it('states days past due, bucket, penalty interest on the overdue amount and late fees', () => {
    expect(diagnose(anAccount(), day30)).toMatchObject({
      dpd: 30,
      bucket: 'B2',
      amountDue: 12_000,
      balance: 250_000,
      penaltyInterest: 296, // 12,000 × 29.99% × 30 / 365
      lateFees: 3900, // one missed cycle
      segmentation: { segment: 'cooperative' },
    });
  });

  it('accrues no penalty interest without an APR or while a plan freezes it', () => {
    expect(diagnose(anAccount({ aprBps: null }), day30).penaltyInterest).toBe(0);
    const frozen = { ...anAccount(), plan: { interestFrozen: true } as AccountState['plan'] };
    expect(diagnose(frozen, day30).penaltyInterest).toBe(0);
  });

  it('reads the payer from the history, with the reasons', () => {
    const broken = diagnose(anAccount({ history: { promisesBroken: 2 } }), day30).segmentation;
    expect(broken).toMatchObject({ segment: 'reluctant', willingness: 'low' });
    expect(broken.reasons).toEqual(['broke a promise', 'broke promises repeatedly']);
  });
});
