// Payments count from when the bank posted them, not from when the event arrived (docs/contract.md §3.3, §3.6).
import { describe, expect, it } from 'vitest';
import { applyEvent, type Outcome } from '../../functions/domain/apply-event';
import { POLICY_PACKS } from '../../policies/built-in-packs';
import { settleDeadlines } from '../../functions/domain/transitions';
import { anAccount, at } from '../support/fixtures';

const us = POLICY_PACKS['us-regf'];
const applied = (outcome: Outcome) => {
  if (outcome.kind !== 'applied') throw new Error(`expected applied, got ${outcome.kind}`);
  return outcome;
};
const pay = (amount: number, postedAt: string, paymentId = 'P1') =>
  ({ detailType: 'PaymentPosted', detail: { accountId: 'A1', paymentId, amount, currency: 'USD', postedAt } }) as const;
// A promise of 50.00 USD made on Jan 9, due Jan 12: its deadline is Jan 13 00:00 in Chicago (06:00Z).
const promised = anAccount({
  promise: { promiseId: 'PR1', amount: 5000, dueDate: '2026-01-12', madeAt: '2026-01-09T15:00:00.000Z', paidSince: 0 },
  history: { promisesMade: 1 },
});

describe('payments dated by postedAt', () => {
  it('records the payment at its posting time and when it arrived', () => {
    const { entries } = applied(
      applyEvent(anAccount(), pay(100, '2026-01-08T10:00:00Z'), at('2026-01-09T15:00:00Z'), us),
    );
    expect(entries[0]).toEqual({
      kind: 'payment',
      at: '2026-01-08T10:00:00.000Z',
      paymentId: 'P1',
      amount: 100,
      receivedAt: '2026-01-09T15:00:00.000Z',
    });
  });

  it('never dates a payment in the future of the account clock', () => {
    const { entries } = applied(
      applyEvent(anAccount(), pay(100, '2026-02-01T00:00:00Z'), at('2026-01-09T15:00:00Z'), us),
    );
    expect(entries[0]!.at).toBe('2026-01-09T15:00:00.000Z');
  });

  it('still applies a payment posted before the delinquency event', () => {
    const outcome = applied(
      applyEvent(anAccount(), pay(12_000, '2025-12-30T00:00:00Z'), at('2026-01-09T15:00:00Z'), us),
    );
    expect(outcome.state).toMatchObject({ amountDue: 0, collected: 12_000 });
  });

  it('keeps a promise with payments posted since it was made and before its deadline', () => {
    const outcome = applied(applyEvent(promised, pay(5000, '2026-01-12T20:00:00Z'), at('2026-01-13T01:00:00Z'), us));
    expect(outcome.entries.map((e) => e.kind)).toEqual(['payment', 'ledger', 'ptp-kept']);
    expect(outcome.state.promise).toBeNull();
  });

  it('does not count toward a promise a payment posted before the promise was made', () => {
    const outcome = applied(applyEvent(promised, pay(5000, '2026-01-08T20:00:00Z'), at('2026-01-10T01:00:00Z'), us));
    expect(outcome.entries.map((e) => e.kind)).toEqual(['payment', 'ledger']);
    expect(outcome.state.promise?.paidSince).toBe(0);
  });

  it('does not keep a promise with a payment posted after its deadline, even if settlement has not run yet', () => {
    const outcome = applied(applyEvent(promised, pay(5000, '2026-01-13T07:00:00Z'), at('2026-01-13T08:00:00Z'), us));
    expect(outcome.entries.map((e) => e.kind)).toEqual(['payment', 'ledger']);
  });

  it('keeps a promise already settled as broken when a payment posted in time arrives late, and says so', () => {
    const broken = settleDeadlines(promised, at('2026-01-13T06:00:00Z'), us);
    expect(broken.entries.map((e) => e.kind)).toEqual(['ptp-broken']);
    expect(broken.state.history).toMatchObject({ promisesBroken: 1, promisesKept: 0 });
    const late = applied(applyEvent(broken.state, pay(5000, '2026-01-12T22:00:00Z'), at('2026-01-14T09:00:00Z'), us));
    expect(late.entries[2]).toEqual({ kind: 'ptp-kept', at: '2026-01-14T09:00:00.000Z', promiseId: 'PR1', late: true });
    expect(late.state.history).toMatchObject({ promisesBroken: 0, promisesKept: 1 });
    expect(late.state.lastPromise).toBeNull();
  });
});
