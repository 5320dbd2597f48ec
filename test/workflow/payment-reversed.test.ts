// docs/contract.md §3.19–3.21 on the real local stack: the ledger in the result, and PaymentReversed making a payment
// owed again, judging again what it satisfied, and refused once the cycle has closed. Scenarios in test/scenarios.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { account, entries, OUR_SCENARIOS, run } from '../support/scenarios';

const file = (name: string) => path.join(OUR_SCENARIOS, `${name}.json`);
const booked = (a: { ledger: { kind: string; amount: number; balance: number; amountDue: number }[] }) =>
  a.ledger.map((e) => [e.kind, e.amount, e.balance, e.amountDue]);

describe('§3.21 a payment reversed', () => {
  it(
    'payment-reversed-promise-broken: a promise kept by a payment later reversed is broken at once past its day ' +
      '(R1), broken on its day when reversed before it (R2), and kept again by another payment (R3)',
    async () => {
      const { result } = await run(file('payment-reversed-promise-broken'), { store: 'memory' });
      expect(result.violations).toEqual([]);
      const r1 = account(result.accounts, 'R1');
      // 2,500.00 owed, 120.00 due; 50.00 paid, then taken back: owed again.
      expect(booked(r1)).toEqual([
        ['opened', 250_000, 250_000, 12_000],
        ['payment', -5_000, 245_000, 7_000],
        ['reversed', 5_000, 250_000, 12_000],
      ]);
      expect([r1.customerId, r1.balance, r1.collected]).toEqual(['R1', 250_000, 0]);
      expect(entries(r1, 'payment-reversed')).toEqual([
        {
          kind: 'payment-reversed',
          at: '2026-01-20T15:00:00.000Z',
          paymentId: 'PY-R1',
          amount: 5_000,
          reason: 'returned',
        },
      ]);
      expect(entries(r1, 'ptp-broken').map((e) => e.at)).toEqual(['2026-01-20T15:00:00.000Z']);
      // Its day was 2026-01-15: broken as its deadline passed (00:45:52 local on the 16th, the account's own).
      expect(entries(account(result.accounts, 'R2'), 'ptp-broken').map((e) => e.at)).toEqual([
        '2026-01-16T06:45:52.000Z',
      ]);
      expect(entries(account(result.accounts, 'R3'), 'ptp-kept').map((e) => e.at)).toEqual([
        '2026-01-09T18:00:00.000Z',
        '2026-01-14T18:00:00.000Z',
      ]);
      // A reversal of a payment the cycle never had is refused with the reason; the same reversal twice applies once.
      expect(result.rejected).toEqual([
        {
          index: 13,
          detailType: 'PaymentReversed',
          reason: 'paymentId: no payment PY-NONE in cycle 2026-01 of account R1',
        },
      ]);
      expect(result.kpis).toMatchObject({
        promisesKept: 1,
        promisesBroken: 2,
        paymentsReversed: 3,
        collected: 5_000,
        ledgerMismatches: 0,
      });
    },
  );

  it('payment-reversed-after-close-rejected: a cured cycle refuses it; the bank opens a new cycle', async () => {
    const { result } = await run(file('payment-reversed-after-close-rejected'), { store: 'memory' });
    expect(result.violations).toEqual([]);
    expect(result.rejected).toEqual([
      {
        index: 2,
        detailType: 'PaymentReversed',
        reason:
          'paymentId: cycle 2026-01 of account C1 closed as cured; a reversal of PY-C1 after the close is the ' +
          "bank's to collect in a new cycle (AccountDelinquent)",
      },
    ]);
    const [cured, reopened] = result.accounts;
    expect([cured!.cycleId, cured!.closeReason, cured!.balance]).toEqual(['2026-01', 'cured', 238_000]);
    expect(booked(cured!)).toEqual([
      ['opened', 250_000, 250_000, 12_000],
      ['payment', -12_000, 238_000, 0],
    ]);
    expect([reopened!.cycleId, reopened!.status, booked(reopened!)]).toEqual([
      '2026-01-R',
      'open',
      [['opened', 250_000, 250_000, 12_000]],
    ]);
  });

  it('payment-reversed-debit-retried: a returned instalment debit is unpaid again and retried 3 days on', async () => {
    // DynamoDB Local: the ledger and the judged plan go through the real store.
    const { result } = await run(file('payment-reversed-debit-retried'));
    expect(result.violations).toEqual([]);
    const a = account(result.accounts, 'D1');
    expect(entries(a, 'debit-requested').map((d) => d.paymentId)).toEqual([
      '2026-01-PL1-I1',
      '2026-01-PL1-I1-R1',
      '2026-01-PL1-I2',
      '2026-01-PL1-I3',
    ]);
    expect(booked(a)).toEqual([
      ['opened', 90_000, 90_000, 12_000],
      ['payment', -30_000, 60_000, 0],
      ['reversed', 30_000, 90_000, 12_000],
      ['payment', -30_000, 60_000, 0],
      ['payment', -30_000, 30_000, 0],
      ['payment', -30_000, 0, 0],
    ]);
    expect([a.status, a.closeReason, a.balance, a.collected]).toEqual(['closed', 'plan-completed', 0, 90_000]);
  });
});
