import { describe, expect, it } from 'vitest';
import { segmentOf } from '../../functions/domain/segment';
import { DEFAULT_STRATEGY, StrategySchema, reminderRuleFor } from '../../functions/domain/strategy';
import { anAccount } from '../support/fixtures';

describe('segmentation', () => {
  it('treats a new account as able and willing', () => {
    expect(segmentOf(anAccount())).toMatchObject({ segment: 'cooperative', reasons: [] });
  });

  it('marks repeated broken promises as reluctant, with the reasons', () => {
    const result = segmentOf(anAccount({ history: { promisesBroken: 2 } }));
    expect(result).toMatchObject({ segment: 'reluctant', willingness: 'low' });
    expect(result.reasons).toEqual(['broke a promise', 'broke promises repeatedly']);
  });

  it('marks hardship with goodwill as needing help', () => {
    expect(segmentOf(anAccount({ flags: { bankrupt: false, deceased: false, hardship: true } })).segment).toBe(
      'needs-help',
    );
  });

  it('marks hardship with broken plans as high risk', () => {
    expect(
      segmentOf(anAccount({ flags: { bankrupt: false, deceased: false, hardship: true }, history: { plansBroken: 1 } }))
        .segment,
    ).toBe('high-risk');
  });
});

describe('strategy table', () => {
  it('picks the first matching row by DPD and segment', () => {
    expect(reminderRuleFor(DEFAULT_STRATEGY, 5, 'cooperative')?.id).toBe('b1-gentle');
    expect(reminderRuleFor(DEFAULT_STRATEGY, 5, 'reluctant')?.id).toBe('b1-reluctant');
    expect(reminderRuleFor(DEFAULT_STRATEGY, 45, 'reluctant')?.id).toBe('b2-firm');
    expect(reminderRuleFor(DEFAULT_STRATEGY, 179, 'cooperative')?.id).toBe('b3-urgent');
    expect(reminderRuleFor(DEFAULT_STRATEGY, 180, 'cooperative')).toBeUndefined();
  });

  it('validates a strategy file and says which field is wrong', () => {
    const bad = { ...DEFAULT_STRATEGY, reminders: [{ ...DEFAULT_STRATEGY.reminders[0], channels: ['fax'] }] };
    const result = StrategySchema.safeParse(bad);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['reminders', 0, 'channels', 0]);
  });
});
