// PaymentReversed (docs/contract.md §3.21): the amount is owed again, on the ledger, and what the payment satisfied is
// judged again; applied once, only to a payment of the open cycle.
import { describe, expect, it } from 'vitest';
import type { AccountState } from '../../functions/domain/account';
import { applyEvent, type Outcome } from '../../functions/domain/apply-event';
import type { InboundEvent } from '../../functions/domain/inbound-events';
import { foldLedger } from '../../functions/domain/ledger';
import { eventOutFor } from '../../functions/domain/record';
import { close } from '../../functions/domain/transitions';
import { POLICY_PACKS } from '../../policies/built-in-packs';
import { at, delinquent } from '../support/fixtures';

const us = POLICY_PACKS['us-regf'];
const applied = (outcome: Outcome) => {
  if (outcome.kind !== 'applied') throw new Error(`${outcome.kind}: ${outcome.reason}`);
  return outcome;
};
const apply = (state: AccountState | null, event: InboundEvent, when: string) =>
  applied(applyEvent(state, event, at(when), us));
/** 2,500.00 USD owed, 120.00 of it overdue, opened on 2026-01-05 (Chicago). */
const open = () => apply(null, delinquent(), '2026-01-05T06:00:00Z').state;
const pay = (amount: number, paymentId: string, postedAt: string): InboundEvent => ({
  detailType: 'PaymentPosted',
  detail: { accountId: 'A1', paymentId, amount, currency: 'USD', postedAt },
});
const reverse = (paymentId: string): InboundEvent => ({
  detailType: 'PaymentReversed',
  detail: { accountId: 'A1', paymentId, reason: 'returned' },
});
const promise = (amount: number, dueDate: string): InboundEvent => ({
  detailType: 'PromiseToPayMade',
  detail: { accountId: 'A1', promiseId: 'PR1', amount, dueDate },
});
const figures = (s: AccountState) => ({ balance: s.balance, amountDue: s.amountDue, collected: s.collected });

describe('a payment reversed (docs/contract.md §3.21)', () => {
  it('makes what the payment paid owed again, on the ledger, and announces PaymentReversalApplied', () => {
    const paid = apply(open(), pay(20_000, 'P1', '2026-01-09T15:00:00Z'), '2026-01-09T15:00:00Z').state;
    const reversed = apply(paid, reverse('P1'), '2026-01-12T15:00:00Z');
    // The payment took 200.00 off the balance and the 120.00 overdue: both are back.
    expect(figures(reversed.state)).toEqual({ balance: 250_000, amountDue: 12_000, collected: 0 });
    expect(reversed.entries.slice(0, 2)).toEqual([
      { kind: 'payment-reversed', at: '2026-01-12T15:00:00.000Z', paymentId: 'P1', amount: 20_000, reason: 'returned' },
      {
        kind: 'ledger',
        at: '2026-01-12T15:00:00.000Z',
        entry: {
          at: '2026-01-12T15:00:00.000Z',
          kind: 'reversed',
          amount: 20_000,
          balance: 250_000,
          amountDue: 12_000,
          paymentId: 'P1',
        },
      },
    ]);
    expect(foldLedger(reversed.state.ledger!)).toEqual({ balance: 250_000, amountDue: 12_000 });
    expect(eventOutFor(reversed.entries[0]!, { accountId: 'A1', cycleId: '2026-01' })).toEqual({
      detailType: 'PaymentReversalApplied',
      detail: { accountId: 'A1', cycleId: '2026-01', at: '2026-01-12T15:00:00.000Z', paymentId: 'P1', amount: 20_000 },
    });
  });

  it('applies once, and rejects a payment it does not know or a cycle that has closed, with the reason', () => {
    const paid = apply(open(), pay(12_000, 'P1', '2026-01-09T15:00:00Z'), '2026-01-09T15:00:00Z').state;
    const reversed = apply(paid, reverse('P1'), '2026-01-10T15:00:00Z').state;
    expect(applyEvent(reversed, reverse('P1'), at('2026-01-10T16:00:00Z'), us)).toEqual({
      kind: 'duplicate',
      reason: 'payment P1 already reversed',
    });
    expect(applyEvent(paid, reverse('P9'), at('2026-01-10T15:00:00Z'), us)).toEqual({
      kind: 'rejected',
      reason: 'paymentId: no payment P9 in cycle 2026-01 of account A1',
    });
    const cured = close(paid, 'cured', at('2026-01-09T15:01:00Z')).state;
    expect(applyEvent(cured, reverse('P1'), at('2026-01-10T15:00:00Z'), us)).toEqual({
      kind: 'rejected',
      reason:
        'paymentId: cycle 2026-01 of account A1 closed as cured; a reversal of P1 after the close is the ' +
        "bank's to collect in a new cycle (AccountDelinquent)",
    });
  });

  it('opens again a promise the payment kept while its day has not passed', () => {
    const promised = apply(open(), promise(12_000, '2026-01-15'), '2026-01-06T15:00:00Z').state;
    const kept = apply(promised, pay(12_000, 'P1', '2026-01-09T15:00:00Z'), '2026-01-09T15:00:00Z').state;
    expect([kept.promise, kept.history.promisesKept]).toEqual([null, 1]);
    const reversed = apply(kept, reverse('P1'), '2026-01-12T15:00:00Z');
    expect(reversed.entries.map((e) => e.kind)).toEqual(['payment-reversed', 'ledger', 'ptp-reopened']);
    expect(reversed.state.promise).toMatchObject({ promiseId: 'PR1', paidSince: 0, paidBy: [] });
    expect(reversed.state.history.promisesKept).toBe(0);
  });

  it('breaks a promise the payment kept once its day has passed', () => {
    const promised = apply(open(), promise(12_000, '2026-01-10'), '2026-01-06T15:00:00Z').state;
    const kept = apply(promised, pay(12_000, 'P1', '2026-01-09T15:00:00Z'), '2026-01-09T15:00:00Z').state;
    const reversed = apply(kept, reverse('P1'), '2026-01-20T15:00:00Z');
    expect(reversed.entries.map((e) => e.kind)).toEqual(['payment-reversed', 'ledger', 'ptp-reopened', 'ptp-broken']);
    expect(reversed.state.history).toMatchObject({ promisesKept: 0, promisesBroken: 1 });
    expect(reversed.state.promise).toBeNull();
  });

  it('lapses a settlement the payment had reached once its last day has passed', () => {
    const settlement = {
      settlementId: '2026-01-ST1',
      amount: 150_000,
      offeredAt: '2026-01-06T15:00:00.000Z',
      validUntil: '2026-01-16',
      acceptedAt: null,
      paidSince: 0,
    };
    const offered = { ...open(), settlement };
    const paid = apply(offered, pay(150_000, 'P1', '2026-01-09T15:00:00Z'), '2026-01-09T15:00:00Z').state;
    expect(paid.settlement).toMatchObject({ paidSince: 150_000, paidBy: ['P1'] });
    const within = apply(paid, reverse('P1'), '2026-01-12T15:00:00Z').state;
    expect(within.settlement).toMatchObject({ paidSince: 0, paidBy: [] });
    const after = apply(paid, reverse('P1'), '2026-01-20T15:00:00Z');
    expect(after.entries.map((e) => e.kind)).toEqual(['payment-reversed', 'ledger', 'settlement-lapsed']);
    expect(after.state.settlement).toBeNull();
  });

  it('leaves an instalment unpaid again, fails its debit so it is retried, and breaks a plan now too late', () => {
    const plan = {
      planId: 'PL1',
      acceptedAt: '2026-01-06T15:00:00.000Z',
      total: 250_000,
      interestFrozen: false,
      feeWaived: 0,
      instalments: [
        { dueDate: '2026-02-06', amount: 125_000, paid: 0 },
        { dueDate: '2026-03-06', amount: 125_000, paid: 0 },
      ],
      remindedFor: null,
      autopay: true,
      debits: [
        {
          paymentId: 'PL1-I1',
          instalment: 1,
          amount: 125_000,
          requestedAt: '2026-02-06T06:00:00.000Z',
          retry: false,
          status: 'requested' as const,
        },
      ],
    };
    const debited = apply({ ...open(), plan }, pay(125_000, 'PL1-I1', '2026-02-06T12:00:00Z'), '2026-02-06T12:00:00Z');
    expect(debited.state.plan?.instalments[0]?.paid).toBe(125_000);
    const returned = apply(debited.state, reverse('PL1-I1'), '2026-02-09T12:00:00Z').state;
    expect(returned.plan?.instalments[0]).toMatchObject({ paid: 0, paidOn: null });
    expect(returned.plan?.debits?.[0]).toMatchObject({ status: 'failed', failedAt: '2026-02-09T12:00:00.000Z' });
    const late = apply(debited.state, reverse('PL1-I1'), '2026-02-20T12:00:00Z');
    expect(late.entries.map((e) => e.kind)).toEqual(['payment-reversed', 'ledger', 'plan-broken', 'ledger']);
    expect(late.state).toMatchObject({ plan: null, amountDue: 125_000 });
    expect({ balance: late.state.balance, amountDue: late.state.amountDue }).toEqual(foldLedger(late.state.ledger!));
  });
});
