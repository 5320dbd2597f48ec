// The local bank of `npm run serve` (a stand-in for the bank's systems): it answers instalment debits, refusing the
// configured share the same way every time, and its payment page refuses a link that is not whole.
import { afterEach, describe, expect, it } from 'vitest';
import { startLocalBank, type LocalBank } from '../../workflows/twin/local-bank';
import type { OutboundEvent } from '../../workflows/twin/outputs';

const debit = (n: number): OutboundEvent => ({
  detailType: 'InstalmentDebitRequested',
  detail: { accountId: 'A1', paymentId: `C1-PL1-I${n}`, amount: 30_000, currency: 'USD', planId: 'C1-PL1' },
  at: '2026-02-10T06:00:00.000Z',
});

let bank: LocalBank | undefined;
afterEach(async () => bank?.close());

const answersAt = async (debitFailureRate: number) => {
  const answers: { detailType: string; detail: Record<string, unknown> }[] = [];
  bank = await startLocalBank({
    debitFailureRate,
    now: () => new Date('2026-02-10T07:00:00Z'),
    deliver: (detailType, detail) => answers.push({ detailType, detail }),
  });
  for (let n = 1; n <= 40; n += 1) bank.onEventOut(debit(n));
  bank.onEventOut({ detailType: 'ContactAttempted', detail: {}, at: '' });
  await bank.close();
  bank = undefined;
  return answers;
};

describe('the local bank', () => {
  it('answers each debit under its own payment id, refusing the configured share the same way each time', async () => {
    const none = await answersAt(0);
    expect(none).toHaveLength(40);
    expect(none.every((a) => a.detailType === 'PaymentPosted')).toBe(true);
    expect(none[0]!.detail).toMatchObject({
      paymentId: 'C1-PL1-I1',
      amount: 30_000,
      postedAt: '2026-02-10T07:00:00.000Z',
    });
    const half = await answersAt(0.5);
    const failed = half.filter((a) => a.detailType === 'PaymentFailed');
    expect(failed.length).toBeGreaterThan(8);
    expect(failed.length).toBeLessThan(32);
    expect(failed[0]!.detail.reason).toContain('local bank');
    expect((await answersAt(0.5)).map((a) => a.detailType)).toEqual(half.map((a) => a.detailType));
    expect((await answersAt(1)).every((a) => a.detailType === 'PaymentFailed')).toBe(true);
  });

  it('refuses a pay link without an account, a whole amount, a currency and a reference', async () => {
    bank = await startLocalBank({ debitFailureRate: 0, now: () => new Date(), deliver: () => {} });
    const good = `${bank.url}/pay?account=A1&amount=12000&currency=USD&reference=abc`;
    expect((await fetch(good)).status).toBe(200);
    for (const bad of ['account=A1&amount=12.5&currency=USD&reference=abc', 'amount=12000&currency=USD&reference=x'])
      expect((await fetch(`${bank.url}/pay?${bad}`)).status).toBe(400);
    expect(bank.payments).toBe(0);
  });
});
