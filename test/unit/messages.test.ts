import { describe, expect, it } from 'vitest';
import { factsOf, renderMessage, wordTerms } from '../../functions/domain/messages';
import { TEMPLATE_IDS } from '../../functions/domain/strategy';
import { anAccount } from '../support/fixtures';

const facts = {
  ...factsOf(anAccount(), 8, '2026-01-16'),
  terms: '3 × 833.33 USD',
  planId: 'PL1',
  instalment: { number: 1, of: 3, amount: '833.33 USD', dueDate: '2026-02-09' },
  settlement: { amount: '1,500.00 USD' },
};

/** Collection messages state the §3.2 facts; the courtesy reminder comes before anything is past due. */
const COLLECTION_TEMPLATES = TEMPLATE_IDS.filter((t) => t !== 'courtesy');

describe('reminder messages', () => {
  it.each(COLLECTION_TEMPLATES)(
    '%s states amount, days past due, penalty rate and pay-by date in en-US',
    (template) => {
      const { text } = renderMessage(template, 'email', 'en-US', facts);
      for (const fact of ['120.00 USD', '8 days past due', '29.99%', '2026-01-16']) expect(text).toContain(fact);
    },
  );

  it.each(COLLECTION_TEMPLATES)('%s is written in Chinese for zh-CN with the same facts', (template) => {
    const cn = factsOf(anAccount({ locale: 'zh-CN', currency: 'CNY', amountDue: 90_000 }), 35, '2026-02-12');
    const { text, subject } = renderMessage(template, 'sms', 'zh-CN', {
      ...cn,
      terms: '6期',
      planId: 'PL1',
      instalment: { number: 1, of: 6, amount: '2,000.00 CNY', dueDate: '2026-03-20' },
      settlement: { amount: '1,500.00 CNY' },
    });
    for (const fact of ['900.00 CNY', '逾期35天', '29.99%', '2026-02-12']) expect(text).toContain(fact);
    expect(subject).toMatch(/[\u4e00-\u9fff]/);
  });

  it('words the pre-due courtesy as what is due and when, with no past-due facts, in both locales', () => {
    const en = renderMessage('courtesy', 'email', 'en-US', { ...facts, dpd: 0, payBy: '2026-01-15' }).text;
    expect(en).toContain('the minimum payment of 120.00 USD on your card statement is due on 2026-01-15');
    expect(en).not.toMatch(/past due|overdue/);
    const zh = renderMessage('courtesy', 'sms', 'zh-CN', {
      ...factsOf(anAccount({ locale: 'zh-CN', currency: 'CNY', amountDue: 90_000 }), 0, '2026-01-15'),
    }).text;
    expect(zh).toContain('最低还款额为900.00 CNY,到期还款日为2026-01-15');
    expect(zh).not.toContain('逾期');
  });

  it('leaves the rate out when the bank gave none', () => {
    expect(
      renderMessage('reminder-gentle', 'email', 'en-US', factsOf(anAccount({ aprBps: null }), 8, '2026-01-16')).text,
    ).not.toContain('APR');
  });

  it('turns a call into an agent task with the script', () => {
    expect(renderMessage('reminder-firm', 'call', 'en-US', facts).text).toMatch(
      /^Agent call task: Your card account is 8 days past due/,
    );
  });

  it('never names the customer', () => {
    for (const template of TEMPLATE_IDS)
      expect(renderMessage(template, 'email', 'en-US', facts).text).not.toContain('Ana');
  });

  it('offers a settlement with its lump sum and last day, and puts the pay link before the self-service link', () => {
    const text = renderMessage('settlement-offer', 'email', 'en-US', {
      ...facts,
      link: 'https://api.example/c/T',
      payLink: 'https://pay.example/?a=A1&amount=150000',
    }).text;
    expect(text).toContain(
      'We can accept 1,500.00 USD in full settlement of your balance of 2,500.00 USD, paid by 2026-01-16',
    );
    expect(text.indexOf('Pay now: https://pay.example/?a=A1&amount=150000')).toBeGreaterThan(0);
    expect(text.indexOf('Pay now:')).toBeLessThan(text.indexOf('https://api.example/c/T'));
    const sms = renderMessage('reminder-gentle', 'sms', 'zh-CN', { ...facts, link: 'L', payLink: 'P' }).text;
    expect(sms).toContain('立即还款:P');
    // A call's script carries no link of either kind.
    expect(renderMessage('reminder-gentle', 'call', 'en-US', { ...facts, payLink: 'P' }).text).not.toContain('Pay now');
  });

  it('words plan terms per locale', () => {
    const terms = [{ instalments: 6, monthlyAmount: 200_000, interestFrozen: true, feeWaived: 0 }];
    expect(wordTerms(terms, 'CNY', 'zh-CN')).toBe('6期,每期2,000.00 CNY');
    expect(wordTerms(terms, 'USD', 'en-US')).toBe('6 × 2,000.00 USD');
  });

  it(
    'ends every email and SMS with the self-service link and how to opt out of that channel (§3.11), in ' +
      'the locale',
    () => {
      const link = 'https://api.example.com/c/abc.def';
      const withLink = { ...facts, link };
      const email = renderMessage('reminder-gentle', 'email', 'en-US', withLink).text;
      expect(email).toContain(link);
      expect(email).toContain('To stop emails from us');
      expect(renderMessage('reminder-firm', 'sms', 'en-US', withLink).text).toMatch(
        /abc\.def Reply STOP to opt out of texts\.$/,
      );
      const zhSms = renderMessage('reminder-gentle', 'sms', 'zh-CN', withLink).text;
      expect(zhSms).toContain(link);
      expect(zhSms).toContain('回复TD退订短信');
      expect(renderMessage('reminder-gentle', 'email', 'zh-CN', withLink).text).toContain('停止邮件');
      // A call script is read by a collector: no link, no opt-out footer.
      expect(renderMessage('reminder-gentle', 'call', 'en-US', withLink).text).not.toContain(link);
    },
  );
});
