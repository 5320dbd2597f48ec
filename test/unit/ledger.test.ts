// The ledger (docs/contract.md §3.19): every change to the balance or the amount due is an entry, the state is always
// the fold of its entries, and the close rules read the fold.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AccountState } from '../../functions/domain/account';
import { applyEvent, type Outcome } from '../../functions/domain/apply-event';
import type { InboundEvent } from '../../functions/domain/inbound-events';
import { foldLedger, positionOf } from '../../functions/domain/ledger';
import { nextStep } from '../../functions/domain/next-step';
import type { RecordEntry } from '../../functions/domain/record';
import { close, settleDeadlines } from '../../functions/domain/transitions';
import { POLICY_PACKS } from '../../policies/built-in-packs';
import { DEFAULT_STRATEGY } from '../../functions/domain/strategy';
import { at, delinquent } from '../support/fixtures';

const us = POLICY_PACKS['us-regf'];
const playbook = { pack: us, strategy: DEFAULT_STRATEGY };
const opened = at('2026-01-05T06:00:00Z');
const now = at('2026-01-09T15:00:00Z');

const applied = (outcome: Outcome) => {
  if (outcome.kind !== 'applied') throw new Error(`${outcome.kind}: ${outcome.reason}`);
  return outcome;
};
/** 2,500.00 USD owed, 120.00 of it overdue, opened on 2026-01-05. */
const open = () => applied(applyEvent(null, delinquent(), opened, us)).state;
const pay = (amount: number, paymentId = 'P1'): InboundEvent => ({
  detailType: 'PaymentPosted',
  detail: { accountId: 'A1', paymentId, amount, currency: 'USD', postedAt: now.toISOString() },
});
const update = (detail: { balance?: number; amountDue?: number }): InboundEvent => ({
  detailType: 'AccountUpdated',
  detail: { accountId: 'A1', ...detail },
});
const ledgerOf = (entries: RecordEntry[]) => entries.flatMap((e) => (e.kind === 'ledger' ? [e.entry] : []));
const figures = (s: AccountState) => ({ balance: s.balance, amountDue: s.amountDue });

describe('the ledger (docs/contract.md §3.19)', () => {
  it('opens with the opening balance, in the state and in the record', () => {
    const outcome = applied(applyEvent(null, delinquent(), opened, us));
    const entry = { at: opened.toISOString(), kind: 'opened', amount: 250_000, balance: 250_000, amountDue: 12_000 };
    expect(outcome.state.ledger).toEqual([entry]);
    expect(ledgerOf(outcome.entries)).toEqual([entry]);
  });

  it('books a payment as it moves the balance, and the amount due after it', () => {
    const paid = applied(applyEvent(open(), pay(20_000), now, us));
    expect(ledgerOf(paid.entries)).toEqual([
      { at: now.toISOString(), kind: 'payment', amount: -20_000, balance: 230_000, amountDue: 0, paymentId: 'P1' },
    ]);
    expect(figures(paid.state)).toEqual({ balance: 230_000, amountDue: 0 });
  });

  it('books what a payment brings beyond the balance as excess, never as a balance below 0', () => {
    const paid = applied(applyEvent(open(), pay(260_000), now, us));
    expect(ledgerOf(paid.entries)).toEqual([expect.objectContaining({ amount: -250_000, balance: 0, excess: 10_000 })]);
    expect(paid.state.collected).toBe(260_000);
  });

  it('books the bank’s update as one entry where it changes a figure, and none where it changes nothing', () => {
    const updated = applied(applyEvent(open(), update({ balance: 254_100, amountDue: 16_100 }), now, us));
    expect(ledgerOf(updated.entries)).toEqual([
      { at: now.toISOString(), kind: 'updated', amount: 4_100, balance: 254_100, amountDue: 16_100 },
    ]);
    expect(ledgerOf(applied(applyEvent(open(), update({ amountDue: 12_000 }), now, us)).entries)).toEqual([]);
  });

  it('writes off the rest when a settlement closes the cycle, and states the balance charged off', () => {
    const paid = applied(applyEvent(open(), pay(150_000), now, us)).state;
    expect(ledgerOf(close(paid, 'settled', now).entries)).toEqual([
      { at: now.toISOString(), kind: 'written-off', amount: -100_000, balance: 0, amountDue: 0 },
    ]);
    // Charged off, the balance stays owed (recovery collects it): the entry states it and moves nothing.
    expect(ledgerOf(close(open(), 'charged-off', now).entries)).toEqual([
      { at: now.toISOString(), kind: 'charged-off', amount: 0, balance: 250_000, amountDue: 12_000 },
    ]);
  });

  it('makes the instalments due and unpaid due again when a plan is broken', () => {
    const onPlan: AccountState = {
      ...open(),
      amountDue: 0,
      ledger: [
        ...open().ledger!,
        { at: now.toISOString(), kind: 'updated', amount: 0, balance: 250_000, amountDue: 0 },
      ],
      plan: {
        planId: 'PL1',
        acceptedAt: '2026-01-06T15:00:00.000Z',
        total: 250_000,
        interestFrozen: false,
        feeWaived: 0,
        instalments: [{ dueDate: '2026-02-06', amount: 125_000, paid: 0 }],
        remindedFor: null,
      },
    };
    const broken = settleDeadlines(onPlan, at('2026-02-20T15:00:00Z'), us);
    expect(ledgerOf(broken.entries)).toEqual([
      expect.objectContaining({ kind: 'updated', amount: 0, amountDue: 125_000, cause: 'plan-broken' }),
    ]);
    expect(figures(broken.state)).toEqual(foldLedger(broken.state.ledger!));
  });

  it('closes on what the ledger adds up to, not on a figure beside it', () => {
    const owing = { ...open(), amountDue: 0 };
    expect(positionOf(owing)).toEqual({ balance: 250_000, amountDue: 12_000 });
    expect(nextStep(owing, now, playbook)).not.toMatchObject({ action: 'close' });
    const paid = applied(applyEvent(open(), pay(12_000), now, us)).state;
    expect(nextStep(paid, now, playbook)).toMatchObject({ action: 'close', reason: 'cured' });
  });

  it('always equals the fold of its entries, whatever the bank and the customer send', () => {
    const event = fc.oneof(
      fc.integer({ min: 1, max: 300_000 }).map((amount) => ({ pay: amount })),
      fc
        .record({ balance: fc.integer({ min: 0, max: 400_000 }), due: fc.integer({ min: 0, max: 400_000 }) })
        .map(({ balance, due }) => ({ balance, amountDue: Math.min(due, balance) })),
    );
    fc.assert(
      fc.property(fc.array(event, { maxLength: 12 }), (events) => {
        let state = open();
        events.forEach((e, i) => {
          const outcome = applyEvent(state, 'pay' in e ? pay(e.pay, `P${i}`) : update(e), now, us);
          if (outcome.kind === 'applied') state = outcome.state;
          expect(figures(state)).toEqual(foldLedger(state.ledger!));
          // The opening balance plus the sum of the entries after it.
          const [first, ...rest] = state.ledger!;
          expect(state.balance).toBe(first!.balance + rest.reduce((sum, x) => sum + x.amount, 0));
        });
      }),
      { numRuns: 200 },
    );
  });
});
