// The example scenarios in examples/scenarios (the contract's own examples) must run and meet every rule of the
// contract §3.
import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { PDFParse } from 'pdf-parse';
import { account, contacts, entries, ms, run, EXAMPLE_SCENARIOS } from '../support/scenarios';

const example = (name: string) => path.join(EXAMPLE_SCENARIOS, name);

describe('example scenarios', () => {
  it('cure.json: cured when the overdue amount is paid, and nothing is sent afterwards', async () => {
    const { result } = await run(example('cure.json'));
    const a1 = account(result.accounts, 'A1');
    expect(a1).toMatchObject({
      status: 'closed',
      closeReason: 'cured',
      closedAt: '2026-01-09T15:00:00.000Z',
      collected: 12_000,
      balance: 238_000,
    });
    expect(contacts(a1).every((c) => ms(c.at) < ms(a1.closedAt!))).toBe(true);
    expect(contacts(a1).length).toBeGreaterThan(0);
    expect(result.kpis).toMatchObject({ accounts: 1, cured: 1, collected: 12_000, overdue: 12_000, violations: 0 });
  });

  it('promise-broken.json: quiet until the promise date + 1 day, then ptp-broken and reminders resume', async () => {
    const { result } = await run(example('promise-broken.json'));
    const a2 = account(result.accounts, 'A2');
    const made = entries(a2, 'ptp-made')[0]!;
    const broken = entries(a2, 'ptp-broken')[0]!;
    // 2026-01-16 in Los Angeles, in the first hour of the day (00:15:19, A2's own moment: docs/contract.md §10.5).
    expect(broken.at).toBe('2026-01-16T08:15:19.000Z');
    expect(contacts(a2).filter((c) => ms(c.at) > ms(made.at) && ms(c.at) < ms(broken.at))).toEqual([]);
    expect(contacts(a2).some((c) => ms(c.at) > ms(broken.at) && ms(c.at) < ms(broken.at) + 86_400_000)).toBe(true);
    expect(result.violations).toEqual([]);
  });

  it('cn-plan.json: a 6-instalment plan keeps running, never broken, every message in Chinese', async () => {
    const { result } = await run(example('cn-plan.json'));
    const z9 = account(result.accounts, 'Z9');
    expect(z9).toMatchObject({ status: 'open', collected: 800_000 });
    expect(entries(z9, 'plan-accepted')).toEqual([expect.objectContaining({ instalments: 6, monthlyAmount: 200_000 })]);
    expect(entries(z9, 'plan-broken')).toEqual([]);
    expect(contacts(z9).length).toBeGreaterThan(0);
    for (const c of contacts(z9)) {
      expect(c.locale).toBe('zh-CN');
      expect(c.text).toMatch(/逾期\d+天/);
    }
    const accepted = ms(entries(z9, 'plan-accepted')[0]!.at);
    expect(contacts(z9).filter((c) => ms(c.at) > accepted && c.template !== 'instalment-due')).toEqual([]);
    expect(result.violations).toEqual([]);
  });

  it('cn-plan.json: the plan is confirmed by a letter in Chinese, stored and announced for print (§8)', async () => {
    const { result, artifacts } = await run(example('cn-plan.json'));
    const [letter] = entries(account(result.accounts, 'Z9'), 'letter');
    expect(letter).toMatchObject({
      template: 'plan-confirmation',
      letterId: '2026-01-PL1-CONFIRMATION',
      documentKey: 'letters/Z9/2026-01-PL1-CONFIRMATION.pdf',
    });
    const pdf = artifacts.stack.letters!.get(letter!.documentKey as string)!;
    expect(pdf.contentType).toBe('application/pdf');
    const text = (await new PDFParse({ data: Uint8Array.from(pdf.body) }).getText()).text.replace(/\s+/g, '');
    for (const fact of ['分期还款方案2026-01-PL1确认函', '尊敬的陈静', '分6期按月偿还', '2,000.00CNY', '客服电话'])
      expect(text).toContain(fact);
    const requested = artifacts.stack.outputs.eventsOut.filter((e) => e.detailType === 'LetterRequested');
    expect(requested.map((e) => e.detail)).toEqual([
      expect.objectContaining({
        accountId: 'Z9',
        letterId: '2026-01-PL1-CONFIRMATION',
        template: 'plan-confirmation',
        documentKey: 'letters/Z9/2026-01-PL1-CONFIRMATION.pdf',
      }),
    ]);
    expect(JSON.stringify(requested)).not.toContain('陈静');
  });

  it('bad-input.json: a string amount is rejected with its reason, a duplicated payment applies once', async () => {
    const { result } = await run(example('bad-input.json'));
    expect(result.rejected).toEqual([
      {
        index: 1,
        detailType: 'PaymentPosted',
        reason: 'amount: expected integer > 0 (minor units), got string "120.00"',
      },
    ]);
    expect(account(result.accounts, 'A3').collected).toBe(1000);
    expect(entries(account(result.accounts, 'A3'), 'payment')).toHaveLength(1);
    expect(result.violations).toEqual([]);
  });
});
