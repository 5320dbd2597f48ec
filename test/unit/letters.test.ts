// What a letter says and when it may go (docs/contract.md §8): plain values in, content out.
import { describe, expect, it } from 'vitest';
import { POLICY_PACKS } from '../../policies/built-in-packs';
import {
  composeLetter,
  documentKeyFor,
  letterBlockedBy,
  letterIdFor,
  type LetterDue,
} from '../../functions/domain/letters';
import { planSchedule } from '../../functions/domain/plan-schedule';
import { anAccount } from '../support/fixtures';

const us = POLICY_PACKS['us-regf'];
const finalNotice: LetterDue = { template: 'final-notice', requestedAt: '2026-04-01T05:00:00Z' };
const confirmation: LetterDue = { template: 'plan-confirmation', requestedAt: '2026-02-02T16:00:00Z', planId: 'PL1' };
const onPlan = anAccount({
  plan: {
    planId: 'PL1',
    acceptedAt: '2026-02-02T16:00:00Z',
    total: 90_000,
    interestFrozen: true,
    feeWaived: 3900,
    instalments: planSchedule(90_000, 3, '2026-02-02'),
    remindedFor: null,
  },
});
const link = 'https://api.example.com/c/token';

describe('letters', () => {
  it('confirms an accepted settlement with the facts, the sum, its last day and the write-off, in both locales', () => {
    const settlement = {
      settlementId: '2026-01-ST1',
      amount: 150_000,
      offeredAt: '2026-05-01T13:00:00.000Z',
      validUntil: '2026-05-15',
      acceptedAt: '2026-05-02T15:00:00.000Z',
      paidSince: 0,
    };
    const due: LetterDue = {
      template: 'settlement-confirmation',
      requestedAt: settlement.acceptedAt,
      settlementId: settlement.settlementId,
    };
    const when = new Date('2026-05-02T15:00:00Z');
    const en = composeLetter(anAccount({ settlement }), due, 'Ana Diaz', when, { pack: us, payWithinDays: 7 }, link);
    const enText = [en.title, ...en.paragraphs].join('\n');
    for (const fact of ['121 days past due', '120.00 USD', '2,500.00 USD', '29.99%', '1,500.00 USD', '2026-05-15'])
      expect(enText).toContain(fact);
    expect(enText).toContain('the remaining 1,000.00 USD will be written off');
    expect(en.letterId).toBe('2026-01-ST1-CONFIRMATION');
    const zh = composeLetter(
      anAccount({ settlement, locale: 'zh-CN', currency: 'CNY' }),
      due,
      '王芳',
      when,
      { pack: us, payWithinDays: 7 },
      link,
    );
    expect(zh.paragraphs.join('')).toContain('于2026-05-15前还款1,500.00 CNY');
    // A settlement that lapsed or was replaced is confirmed no more.
    expect(letterBlockedBy(anAccount({ settlement: null }), due, us)).toEqual({
      kind: 'drop',
      rule: 'settlement-no-longer-open',
    });
  });

  it('states the §3.2 facts, what happens next and how to reach the bank in a final notice', () => {
    const letter = composeLetter(
      anAccount(),
      finalNotice,
      'Ana Diaz',
      new Date('2026-04-01T15:00:00Z'),
      { pack: us, payWithinDays: 7 },
      link,
    );
    const text = [letter.title, letter.greeting, ...letter.paragraphs, ...letter.contact].join('\n');
    for (const fact of [
      'Dear Ana Diaz,',
      '90 days past due',
      '120.00 USD',
      '2,500.00 USD',
      '29.99%',
      'by 2026-04-08',
      'collection agency',
      '180 days',
      '+1 800 555 0100',
      'PO Box 1000',
      link,
    ])
      expect(text).toContain(fact);
    expect(letter).toMatchObject({
      letterId: '2026-01-FINAL-NOTICE',
      date: '2026-04-01',
      from: 'Example Bank Card Services',
    });
  });

  it('confirms a plan with its schedule, in Chinese for a zh-CN customer', () => {
    const letter = composeLetter(
      { ...onPlan, locale: 'zh-CN', currency: 'CNY' },
      confirmation,
      '陈静',
      new Date('2026-02-02T16:00:00Z'),
      { pack: POLICY_PACKS.cn, payWithinDays: 7 },
      link,
    );
    expect(letter.title).toBe('分期还款方案PL1确认函');
    expect(letter.greeting).toBe('尊敬的陈静:');
    expect(letter.paragraphs.join('')).toContain('欠款余额900.00 CNY分3期按月偿还');
    expect(letter.table).toEqual({
      head: ['期数', '到期日', '金额'],
      rows: [
        ['1', '2026-03-02', '300.00 CNY'],
        ['2', '2026-04-02', '300.00 CNY'],
        ['3', '2026-05-02', '300.00 CNY'],
      ],
    });
    expect(letter.contact[0]).toBe('客服电话:400 800 0100');
    expect(letterIdFor(onPlan, confirmation)).toBe('PL1-CONFIRMATION');
    expect(documentKeyFor('A1', 'PL1-CONFIRMATION')).toBe('letters/A1/PL1-CONFIRMATION.pdf');
  });

  it('holds a letter while a dispute is open or an agency has the account, and drops it when it can never go', () => {
    expect(letterBlockedBy(anAccount(), finalNotice, us)).toBeNull();
    expect(letterBlockedBy(anAccount({ openDisputes: ['D1'] }), finalNotice, us)).toEqual({
      kind: 'hold',
      rule: 'dispute-hold',
    });
    expect(
      letterBlockedBy(anAccount({ placement: { agency: 'x', placedAt: '2026-05-01T00:00:00Z' } }), finalNotice, us),
    ).toEqual({ kind: 'hold', rule: 'placed-with-agency' });
    // A cease stops letters under cn; Regulation F lets a notice of what happens next still go (15 U.S.C. 1692c(c)).
    expect(letterBlockedBy(anAccount({ ceased: true }), finalNotice, us)).toBeNull();
    expect(letterBlockedBy(anAccount({ ceased: true }), finalNotice, POLICY_PACKS.cn)).toEqual({
      kind: 'drop',
      rule: 'cn/letters-stop-at-cease',
    });
    expect(letterBlockedBy(anAccount({ status: 'closed' }), finalNotice, us)).toMatchObject({ kind: 'drop' });
    expect(letterBlockedBy(anAccount(), confirmation, us)).toEqual({ kind: 'drop', rule: 'plan-no-longer-running' });
    expect(letterBlockedBy(onPlan, confirmation, us)).toBeNull();
  });
});
