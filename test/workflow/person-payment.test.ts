// Payments naming the person (docs/contract.md §11.1) through the twin, in the named scenarios that showed what went
// wrong: a part whose account closed meanwhile, ids longer than the id pattern or named alike by the bank, a person
// with accounts in two currencies.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { account, entries, OUR_SCENARIOS, run } from '../support/scenarios';

const LONG_ACCOUNT = `ACCT-${'9'.repeat(40)}`;
const LONG_PAYMENT = `TXN-${'1'.repeat(40)}`;

describe('a part whose account closed between the split and its turn (found by the fuzzer)', () => {
  it('is split again over the person’s other open account, and the split announced once as applied', async () => {
    // F2 reported bankrupt at the run's last minute: F1 is told and closes while the payment to the person is split;
    // F1's part is refused and split again, as round 2, to F2, which is still open.
    const { result, artifacts } = await run(path.join(OUR_SCENARIOS, 'person-part-closed-meanwhile.json'), {
      store: 'memory',
      faultRate: 0.05,
      seed: 1,
      interleave: 0.25,
    });
    expect(entries(account(result.accounts, 'F1'), 'payment')).toEqual([]);
    expect(entries(account(result.accounts, 'F2'), 'payment')).toEqual([
      expect.objectContaining({ paymentId: 'F2E1', amount: 100 }),
      expect.objectContaining({ paymentId: 'P1PAY-F2', amount: 100 }),
      expect.objectContaining({ paymentId: 'P1PAY-F2-R2', amount: 2 }),
    ]);
    const allocated = artifacts.stack.outputs.eventsOut.filter((e) => e.detailType === 'PaymentAllocated');
    expect(allocated.map((e) => e.detail.parts)).toEqual([
      [
        { accountId: 'F2', amount: 100, paymentId: 'P1PAY-F2' },
        { accountId: 'F2', amount: 2, paymentId: 'P1PAY-F2-R2' },
      ],
    ]);
    expect(result.rejected.filter((r) => r.detailType === 'PaymentPosted')).toEqual([]);
    expect(result.violations).toEqual([]);
  });
});

describe('the ids of the parts (person-payment-long-ids, found by review)', () => {
  it('names a part within the id pattern, for PaymentReversed, where <paymentId>-<accountId> is too long', async () => {
    const { result } = await run(path.join(OUR_SCENARIOS, 'person-payment-long-ids.json'), { store: 'memory' });
    const long = account(result.accounts, LONG_ACCOUNT);
    // The first 47 characters of the payment id, and 16 hexadecimal digits of the SHA-256 of `<paymentId>/<accountId>`.
    const partId = `${LONG_PAYMENT}-539b4148f04020a7`;
    expect(entries(long, 'payment')).toEqual([expect.objectContaining({ paymentId: partId, amount: 1000 })]);
    expect(entries(long, 'payment-reversed')).toEqual([expect.objectContaining({ paymentId: partId, amount: 1000 })]);
    expect(long.collected).toBe(0);
    expect(result.rejected).toEqual([]);
    expect(result.violations).toEqual([]);
  });

  it('applies a payment the bank names as a part of the person’s was named, besides the part', async () => {
    const { result } = await run(path.join(OUR_SCENARIOS, 'person-payment-long-ids.json'), { store: 'memory' });
    const a1 = account(result.accounts, 'A1');
    expect(entries(a1, 'payment').map((e) => [e.paymentId, e.amount])).toEqual([
      ['T7-A1', 1000],
      ['T7-A1', 2500],
    ]);
    expect(a1.collected).toBe(3500);
  });
});

describe('a person with accounts in two currencies (person-payment-other-currency, found by review)', () => {
  it('splits a payment over their accounts in its currency, and refuses a split naming one in another', async () => {
    const { result } = await run(path.join(OUR_SCENARIOS, 'person-payment-other-currency.json'), { store: 'memory' });
    expect(entries(account(result.accounts, 'U1'), 'payment').map((e) => [e.paymentId, e.amount])).toEqual([
      ['PAY-U-U1', 5000],
      ['PAY-A-U1', 1000],
    ]);
    expect(entries(account(result.accounts, 'K1'), 'payment')).toEqual([]);
    expect(result.rejected).toEqual([
      {
        index: 4,
        detailType: 'PaymentPosted',
        reason: 'allocation: K1 is not an open account of this person in USD',
      },
    ]);
    expect(result.violations).toEqual([]);
  });
});
