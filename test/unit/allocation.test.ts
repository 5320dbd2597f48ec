import { describe, expect, it } from 'vitest';
import { allocatePayment, partPaymentId, splitByOrder } from '../../functions/domain/allocation';
import { anAccount } from '../support/fixtures';

// On 2026-03-20 in Denver: EXP1 due 2026-03-01 is 19 days past due, EXP2 due 2026-03-03 is 17.
const now = new Date('2026-03-20T17:00:00Z');
const exp1 = anAccount({ accountId: 'EXP1', amountDue: 9000, dueDate: '2026-03-01', timezone: 'America/Denver' });
const exp2 = anAccount({ accountId: 'EXP2', amountDue: 4000, dueDate: '2026-03-03', timezone: 'America/Denver' });

describe('a payment to the person, split in the default order', () => {
  it('fills the account most days past due first, up to its amount due, and gives the rest to the next', () => {
    expect(splitByOrder(10_000, [exp2, exp1], now)).toEqual([
      { accountId: 'EXP1', amount: 9000 },
      { accountId: 'EXP2', amount: 1000 },
    ]);
  });

  it('gives what is left after every amount due to the last account', () => {
    expect(splitByOrder(20_000, [exp1, exp2], now)).toEqual([
      { accountId: 'EXP1', amount: 9000 },
      { accountId: 'EXP2', amount: 11_000 },
    ]);
  });

  it('leaves out an account that takes nothing', () => {
    expect(splitByOrder(5000, [exp1, exp2], now)).toEqual([{ accountId: 'EXP1', amount: 5000 }]);
  });

  it('on equal days past due, fills the higher APR first, then the older cycle', () => {
    const low = anAccount({ accountId: 'L', amountDue: 100, aprBps: 1999 });
    const high = anAccount({ accountId: 'H', amountDue: 100, aprBps: 2999 });
    const older = anAccount({ accountId: 'O', amountDue: 100, aprBps: 1999, openedAt: '2026-01-01T00:00:00.000Z' });
    expect(splitByOrder(250, [low, older, high], now).map((p) => p.accountId)).toEqual(['H', 'O', 'L']);
  });

  it("follows the pack's own order when it names one", () => {
    const low = anAccount({ accountId: 'L', amountDue: 100, aprBps: 1999, dueDate: '2025-12-01' });
    const high = anAccount({ accountId: 'H', amountDue: 100, aprBps: 2999 });
    expect(splitByOrder(150, [low, high], now, ['apr']).map((p) => p.accountId)).toEqual(['H', 'L']);
  });

  it('adds up to the payment, whatever the accounts owe', () => {
    for (const amount of [1, 999, 9000, 13_000, 50_001]) {
      const parts = splitByOrder(amount, [exp1, exp2], now);
      expect(parts.length).toBeGreaterThan(0);
      expect(parts.reduce((sum, p) => sum + p.amount, 0)).toBe(amount);
    }
  });
});

describe('a payment to the person, split as the customer said', () => {
  it('takes the split when it adds up and names open accounts of the person', () => {
    const given = [
      { accountId: 'EXP2', amount: 4000 },
      { accountId: 'EXP1', amount: 6000 },
    ];
    expect(allocatePayment(10_000, 'USD', [exp1, exp2], now, given)).toEqual({ ok: true, parts: given });
  });

  it('refuses a split that does not add up to the payment, naming allocation', () => {
    expect(allocatePayment(10_000, 'USD', [exp1, exp2], now, [{ accountId: 'EXP1', amount: 9000 }])).toEqual({
      ok: false,
      reason: 'allocation: the parts add up to 9000, the payment is 10000',
    });
  });

  it("refuses a split naming an account that is not the person's open account, or one twice", () => {
    expect(allocatePayment(100, 'USD', [exp1], now, [{ accountId: 'EXP9', amount: 100 }])).toEqual({
      ok: false,
      reason: 'allocation: EXP9 is not an open account of this person',
    });
    const twice = [
      { accountId: 'EXP1', amount: 50 },
      { accountId: 'EXP1', amount: 50 },
    ];
    expect(allocatePayment(100, 'USD', [exp1], now, twice)).toEqual({
      ok: false,
      reason: 'allocation: EXP1 is named twice',
    });
  });

  it('refuses a payment in another currency than an account, and a person with no open account', () => {
    expect(allocatePayment(100, 'CNY', [exp1], now)).toEqual({
      ok: false,
      reason: 'currency: account EXP1 is in USD, payment is in CNY',
    });
    expect(allocatePayment(100, 'USD', [], now)).toEqual({
      ok: false,
      reason: 'customerId: the person has no open account',
    });
  });

  it("applies each part as that account's own payment <paymentId>-<accountId>", () => {
    expect(partPaymentId('EXP-pay-1', 'EXP2')).toBe('EXP-pay-1-EXP2');
  });
});
