// The runner's own fold of the ledger and its reversal rules (docs/contract.md §3.19–3.21), on plain records: silent
// on a cycle that adds up, and each planted defect named by its rule.
import { describe, expect, it } from 'vitest';
import type { RecordEntry } from '../../functions/domain/record';
import { POLICY_PACKS } from '../../policies/built-in-packs';
import { checkLedger } from '../../workflows/tools/scenario/ledger-check';
import { checkNegotiation } from '../../workflows/tools/scenario/negotiation-check';
import { checkReversals } from '../../workflows/tools/scenario/reversal-check';
import type { AccountRun } from '../../workflows/tools/scenario/violation';
import { anAccount } from '../support/fixtures';

type Entry = Extract<RecordEntry, { kind: 'ledger' }>['entry'];
const booked = (entry: Entry): RecordEntry => ({ kind: 'ledger', at: entry.at, entry });
const payment = (paymentId: string, amount: number, at: string): RecordEntry => ({
  kind: 'payment',
  at,
  paymentId,
  amount,
  receivedAt: at,
});
const reversal = (paymentId: string, amount: number, at: string): RecordEntry => ({
  kind: 'payment-reversed',
  at,
  paymentId,
  amount,
  reason: 'returned',
});

// 2,500.00 owed, 120.00 of it due; 120.00 paid on the 9th, which cures it an hour later (America/Chicago).
const opened = booked({
  at: '2026-01-05T06:00:00.000Z',
  kind: 'opened',
  amount: 250_000,
  balance: 250_000,
  amountDue: 12_000,
});
const P1 = payment('P1', 12_000, '2026-01-09T15:00:00.000Z');
const paidP1 = booked({ at: P1.at, kind: 'payment', amount: -12_000, balance: 238_000, amountDue: 0, paymentId: 'P1' });
const cured: RecordEntry = { kind: 'closed', at: '2026-01-09T16:00:00.000Z', reason: 'cured' };
const curedState = anAccount({
  status: 'closed',
  closeReason: 'cured',
  balance: 238_000,
  amountDue: 0,
  collected: 12_000,
});
const run = (record: RecordEntry[], state = curedState): AccountRun => ({ state, record });
const ledgerRules = (r: AccountRun) => checkLedger(r).map((v) => v.rule);
const details = (r: AccountRun) => checkLedger(r).map((v) => v.detail);

describe('the runner’s fold of the ledger (docs/contract.md §3.19)', () => {
  it('finds nothing wrong with a cycle whose ledger adds up', () => {
    expect(ledgerRules(run([opened, P1, paidP1, cured]))).toEqual([]);
  });

  it('books two payments of one id (the bank’s own, named as a part to the person) each once, in order', () => {
    const P2 = payment('P1', 500, '2026-01-09T15:30:00.000Z');
    const paidP2 = booked({
      at: P2.at,
      kind: 'payment',
      amount: -500,
      balance: 237_500,
      amountDue: 0,
      paymentId: 'P1',
    });
    const state = { ...curedState, balance: 237_500, collected: 12_500 };
    expect(ledgerRules(run([opened, P1, paidP1, P2, paidP2, cured], state))).toEqual([]);
    expect(details(run([opened, P1, paidP1, P2, cured], state))).toEqual([
      'payment P1 is not on the ledger',
      'the ledger adds up to 238000 / 0 due; the account says 237500 / 0',
    ]);
  });

  it('finds a payment the ledger never booked, and the balance that then does not add up', () => {
    expect(details(run([opened, P1, cured]))).toEqual([
      'closed as cured with 12000 still due on the ledger',
      'payment P1 is not on the ledger',
      'the ledger adds up to 250000 / 12000 due; the account says 238000 / 0',
    ]);
  });

  it('finds an entry whose figures do not follow from the one before, and a close the ledger does not allow', () => {
    const wrong = booked({ ...(paidP1 as { entry: Entry }).entry, amountDue: 2_000 });
    expect(details(run([opened, P1, wrong, cured], { ...curedState, amountDue: 2_000 }))).toEqual([
      'payment entry states 238000 / 2000 due; the entries add up to 238000 / 0',
      'closed as cured with 2000 still due on the ledger',
    ]);
  });

  it('finds a settlement closed with the rest not written off, and a charge-off without its entry', () => {
    const settled: RecordEntry = { kind: 'closed', at: cured.at, reason: 'settled' };
    expect(details(run([opened, P1, paidP1, settled], { ...curedState, closeReason: 'settled' }))).toEqual([
      'closed as settled with a balance of 238000 on the ledger',
    ]);
    const chargedOff: RecordEntry = { kind: 'closed', at: '2026-07-01T05:00:00.000Z', reason: 'charged-off' };
    const state = anAccount({ status: 'closed', closeReason: 'charged-off' });
    expect(details(run([opened, chargedOff], state))).toEqual([
      'charged off without the balance of 250000 charged off on the ledger',
    ]);
    const charge = booked({ at: chargedOff.at, kind: 'charged-off', amount: 0, balance: 250_000, amountDue: 12_000 });
    expect(details(run([opened, charge, chargedOff], state))).toEqual([]);
  });

  it('finds a payment booked at another amount, and collected that is not the payments less reversals', () => {
    const short = booked({ ...(paidP1 as { entry: Entry }).entry, amount: -10_000, balance: 240_000 });
    expect(details(run([opened, P1, short, cured], { ...curedState, balance: 240_000, collected: 10_000 }))).toEqual([
      'payment P1 of 12000 booked as -10000 (excess 0), not -12000',
      'payment entry states 240000 / 0 due; the entries add up to 240000 / 2000',
      'payments less reversals come to 12000; the account has collected 10000',
    ]);
  });

  it('finds a reversal the ledger did not book, and holds a booked one to what its payment moved', () => {
    const R1 = reversal('P1', 12_000, '2026-01-09T15:30:00.000Z');
    const owed = anAccount({ balance: 250_000, amountDue: 12_000, collected: 0 });
    expect(details(run([opened, P1, paidP1, R1], owed))).toEqual([
      'reversal of P1 is not on the ledger',
      'the ledger adds up to 238000 / 0 due; the account says 250000 / 12000',
    ]);
    const back = booked({
      at: R1.at,
      kind: 'reversed',
      amount: 12_000,
      balance: 250_000,
      amountDue: 12_000,
      paymentId: 'P1',
    });
    expect(details(run([opened, P1, paidP1, R1, back], owed))).toEqual([]);
  });
});

describe('the runner’s reversal rules (docs/contract.md §3.21)', () => {
  const until = new Date('2026-03-01T00:00:00Z');
  const made: RecordEntry = {
    kind: 'ptp-made',
    at: '2026-01-06T15:00:00.000Z',
    promiseId: 'PR1',
    amount: 12_000,
    dueDate: '2026-01-15',
  };
  const kept: RecordEntry = { kind: 'ptp-kept', at: P1.at, promiseId: 'PR1' };
  const R1 = reversal('P1', 12_000, '2026-01-12T15:00:00.000Z');
  const open = anAccount();
  const rules = (record: RecordEntry[]) => checkReversals(run(record, open), until).map((v) => v.rule);

  it('flags a promise left kept after the payment that kept it was reversed', () => {
    expect(rules([made, P1, kept, R1])).toEqual(['reversed-promise-kept']);
  });

  it('is satisfied when the promise is judged again: broken by its deadline, or kept by another payment', () => {
    const broken: RecordEntry = { kind: 'ptp-broken', at: '2026-01-16T06:00:00.000Z', promiseId: 'PR1', paid: 0 };
    expect(rules([made, P1, kept, R1, broken])).toEqual([]);
    const P2 = payment('P2', 12_000, '2026-01-14T15:00:00.000Z');
    expect(rules([made, P1, kept, R1, P2, { kind: 'ptp-kept', at: P2.at, promiseId: 'PR1' }])).toEqual([]);
  });

  it('flags a reversal applied after the cycle closed', () => {
    expect(rules([P1, cured, reversal('P1', 12_000, '2026-01-10T15:00:00.000Z')])).toEqual(['reversal-after-close']);
  });

  it('does not count a reversed payment toward a settlement that closed the cycle as settled', () => {
    const offered: RecordEntry = {
      kind: 'settlement-offered',
      at: '2026-01-06T15:00:00.000Z',
      settlementId: 'ST1',
      amount: 12_000,
      currency: 'USD',
      validUntil: '2026-01-20',
    };
    const settled: RecordEntry = { kind: 'closed', at: '2026-01-12T16:00:00.000Z', reason: 'settled' };
    const written: RecordEntry = {
      kind: 'written-off',
      at: settled.at,
      amount: 238_000,
      currency: 'USD',
      reason: 'settlement',
    };
    const record = [offered, P1, R1, settled, written];
    expect(checkNegotiation(run(record, open), POLICY_PACKS['us-regf'], until).map((v) => v.rule)).toEqual([
      'settled-unpaid',
    ]);
  });
});
