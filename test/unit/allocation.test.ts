import { describe, expect, it } from 'vitest';
import { allocatePayment, partClaim, partPaymentId, splitByOrder } from '../../functions/domain/allocation';
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
      reason: 'allocation: EXP9 is not an open account of this person in USD',
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

  it("splits only over the person's accounts in the payment's currency, and checks the customer's split so", () => {
    const cad = anAccount({ accountId: 'CAD1', currency: 'CAD', amountDue: 500, dueDate: '2026-01-01' });
    expect(allocatePayment(10_000, 'USD', [cad, exp1, exp2], now)).toEqual({
      ok: true,
      parts: [
        { accountId: 'EXP1', amount: 9000 },
        { accountId: 'EXP2', amount: 1000 },
      ],
    });
    expect(allocatePayment(100, 'USD', [cad, exp1], now, [{ accountId: 'EXP1', amount: 100 }])).toEqual({
      ok: true,
      parts: [{ accountId: 'EXP1', amount: 100 }],
    });
    expect(allocatePayment(100, 'USD', [cad, exp1], now, [{ accountId: 'CAD1', amount: 100 }])).toEqual({
      ok: false,
      reason: 'allocation: CAD1 is not an open account of this person in USD',
    });
  });

  it('refuses a payment in a currency none of the open accounts is in, as for a person with no open account', () => {
    expect(allocatePayment(100, 'CNY', [exp1], now)).toEqual({
      ok: false,
      reason: 'customerId: no open collection cycle in CNY for this person',
    });
    expect(allocatePayment(100, 'USD', [], now)).toEqual({
      ok: false,
      reason: 'customerId: no open collection cycle in USD for this person',
    });
  });
});

describe('the payment id of a part', () => {
  it("is that account's own payment <paymentId>-<accountId>, and -R<round> after it for a later round", () => {
    expect(partPaymentId('EXP-pay-1', 'EXP2')).toBe('EXP-pay-1-EXP2');
    expect(partPaymentId('EXP-pay-1', 'EXP2', 2)).toBe('EXP-pay-1-EXP2-R2');
  });

  it('is a stable hashed form within the id pattern where that would be longer than 64 characters', () => {
    const [paymentId, accountId] = [`TXN-${'1'.repeat(40)}`, `ACCT-${'9'.repeat(40)}`];
    const id = partPaymentId(paymentId, accountId);
    expect(id).toMatch(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/);
    expect(id).toBe(`${paymentId}-${id.slice(-16)}`);
    expect(partPaymentId(paymentId, accountId)).toBe(id);
    expect(
      new Set([id, partPaymentId(paymentId, 'ACCT-2'.padEnd(45, '0')), partPaymentId(paymentId, accountId, 2)]).size,
    ).toBe(3);
  });

  it('is applied once under a record of its own, apart from the payments the bank names', () => {
    expect(partClaim('T7', 'A1')).toBe('PAYMENT#PERSON#T7#A1');
    expect(partClaim('T7', 'A1', 2)).toBe('PAYMENT#PERSON#T7#A1#2');
  });
});
