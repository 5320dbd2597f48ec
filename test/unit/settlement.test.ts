// Settlements (docs/contract.md §3.16) and the negotiation KPIs, on plain values: the sum offered, who may agree what,
// payments toward it, the lapse, the close with its write-off; and the figures a manager reads from the record.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { AccountState } from '../../functions/domain/account';
import { applyEvent } from '../../functions/domain/apply-event';
import {
  discountBpsOf,
  discountedAmount,
  lapseSettlement,
  newSettlement,
  offeredDiscountBps,
} from '../../functions/domain/settlement';
import { nextStep, type Playbook } from '../../functions/domain/next-step';
import type { RecordEntry } from '../../functions/domain/record';
import { DEFAULT_STRATEGY, StrategySchema } from '../../functions/domain/strategy';
import { close } from '../../functions/domain/transitions';
import { POLICY_PACKS } from '../../policies/built-in-packs';
import { computeKpis, tallyAccounts } from '../../workflows/tools/simulation/kpis';
import type { SimulationRun } from '../../workflows/tools/simulation/run-simulation';
import { anAccount, at } from '../support/fixtures';

const us = POLICY_PACKS['us-regf'];
const playbook: Playbook = { pack: us, strategy: DEFAULT_STRATEGY };
// 2026-05-01 08:00 in Chicago: 120 days past due a due date of 2026-01-01.
const day120 = at('2026-05-01T13:00:00Z');
const offered = { ...anAccount({ escalationLevel: 2 }), settlement: newSettlement(anAccount(), day120, us) };

describe('settlements (docs/contract.md §3.16)', () => {
  it("offers the balance less the discount, rounded up to the minor unit, valid the pack's days", () => {
    expect(discountedAmount(250_001, 4000)).toBe(150_001); // 150,000.6 rounds up
    expect(newSettlement(anAccount(), day120, us)).toMatchObject({
      settlementId: '2026-01-ST1',
      amount: 150_000,
      validUntil: '2026-05-15',
      acceptedAt: null,
    });
    // A challenger's smaller discount, never beyond the pack's.
    expect(offeredDiscountBps(us, { settlementDiscountBps: 2000 })).toBe(2000);
    expect(offeredDiscountBps(us, { settlementDiscountBps: 6000 })).toBe(4000);
    const example = StrategySchema.parse(
      JSON.parse(readFileSync('examples/strategies/settle-at-20-percent-off.json', 'utf8')),
    );
    expect(newSettlement(anAccount(), day120, us, undefined, example).amount).toBe(200_000);
  });

  it('is offered from fromDpd, once, by the first channel contact allows', () => {
    const quiet = anAccount({
      escalationLevel: 2,
      history: { lastReminderAt: '2026-04-30T13:00:00.000Z', plansOffered: 3 },
    });
    // At the account's own time of day (A1: 16:47:04 in Chicago).
    const ownTime = at('2026-05-01T21:47:04Z');
    expect(nextStep(quiet, day120, playbook)).toMatchObject({ action: 'wait', notBefore: ownTime.toISOString() });
    expect(nextStep(quiet, ownTime, playbook)).toMatchObject({ action: 'remind', template: 'settlement-offer' });
    expect(nextStep(quiet, at('2026-04-30T13:00:00Z'), playbook)).not.toMatchObject({ template: 'settlement-offer' });
    const once = { ...quiet, history: { ...quiet.history, settlementsOffered: 1 } };
    expect(nextStep(once, ownTime, playbook)).not.toMatchObject({ template: 'settlement-offer' });
  });

  it("is accepted only as offered; a collector's sum is held to the pack's floor", () => {
    const accept = (detail: Record<string, unknown>, source = 'collections.customer') =>
      applyEvent(
        offered,
        { detailType: 'SettlementAccepted', detail: { accountId: 'A1', ...detail }, source } as never,
        at('2026-05-02T15:00:00Z'),
        us,
      );
    expect(accept({ settlementId: '2026-01-ST1' }).kind).toBe('applied');
    expect(accept({ settlementId: '2026-01-ST9' })).toMatchObject({
      kind: 'rejected',
      reason: expect.stringMatching(/^settlementId:/),
    });
    expect(accept({ settlementId: 'X', amount: 149_999 }, 'collections.agent')).toMatchObject({
      kind: 'rejected',
      reason: expect.stringMatching(/^amount: expected 150000 to 250000/),
    });
    expect(accept({ settlementId: 'X', amount: 150_000 })).toMatchObject({
      kind: 'rejected',
      reason: expect.stringMatching(/^amount:/),
    });
    expect(accept({ settlementId: '2026-01-ST2', amount: 187_500 }, 'collections.agent')).toMatchObject({
      kind: 'applied',
      state: { settlement: { settlementId: '2026-01-ST2', amount: 187_500 } },
    });
  });

  it('holds a collector to the floor shown, to the minor unit: rounding never beats the limit check', () => {
    // 2,500.01 USD: 25% off is 1,875.0075, so the collector's floor is 1,875.01 (rounded up).
    const limit = us.settlement.collectorMaxDiscountBps;
    expect(discountedAmount(250_001, limit)).toBe(187_501);
    expect(discountBpsOf(250_001, 187_501)).toBe(limit);
    expect(discountBpsOf(250_001, 187_500)).toBeGreaterThan(limit);
    // At every balance and limit, a sum is within the limit exactly when it is at or above the floor.
    let checked = 0;
    for (let balance = 1; balance <= 3_000; balance += 7)
      for (const bps of [1, 2000, 2500, 3333, 4000, 9999]) {
        const floor = discountedAmount(balance, bps);
        expect([discountBpsOf(balance, floor) <= bps, discountBpsOf(balance, floor - 1) <= bps]).toEqual([true, false]);
        checked += 1;
      }
    expect(checked).toBeGreaterThan(2_000);
    expect(discountBpsOf(250_000, 250_000)).toBe(0);
  });

  it('lapses after its last day unpaid; paid in time it closes as settled and writes off the rest', () => {
    expect(lapseSettlement(offered, at('2026-05-16T04:59:00Z')).entries).toEqual([]);
    expect(lapseSettlement(offered, at('2026-05-16T05:00:00Z'))).toMatchObject({
      state: { settlement: null },
      entries: [{ kind: 'settlement-lapsed', settlementId: '2026-01-ST1', paid: 0 }],
    });
    const paid = {
      ...offered,
      balance: 100_000,
      settlement: { ...offered.settlement, acceptedAt: 'x', paidSince: 150_000 },
    };
    expect(nextStep(paid, at('2026-05-06T15:00:00Z'), playbook)).toMatchObject({ action: 'close', reason: 'settled' });
    expect(close(paid, 'settled', at('2026-05-06T15:00:00Z'))).toMatchObject({
      state: { balance: 0, closeReason: 'settled' },
      entries: [
        { kind: 'ledger', entry: { kind: 'written-off', amount: -100_000, balance: 0, amountDue: 0 } },
        { kind: 'closed' },
        { kind: 'written-off', amount: 100_000, currency: 'USD', reason: 'settlement' },
      ],
    });
  });
});

describe('a settlement paid through its own pay link, never accepted (docs/contract.md §11.2.20)', () => {
  // 2,500.00 USD less 40%: 1,500.00 offered on day 120, paid in full through the link on 2026-05-06, no Accept.
  const payLink = (state: AccountState, postedAt = '2026-05-06T15:00:00.000Z') => {
    const paid = applyEvent(
      state,
      {
        detailType: 'PaymentPosted',
        source: 'bank.core',
        detail: { accountId: 'A1', paymentId: 'P-LINK', amount: 150_000, currency: 'USD', postedAt },
      },
      at('2026-05-06T15:00:00Z'),
      us,
    );
    if (paid.kind !== 'applied') throw new Error(paid.kind);
    return paid.state;
  };

  it('closes as settled, not cured, when the sum also clears the overdue amount (1,200.00 overdue)', () => {
    const paid = payLink({ ...offered, amountDue: 120_000 });
    expect([paid.amountDue, paid.balance, paid.settlement?.acceptedAt]).toEqual([0, 100_000, null]);
    expect(nextStep(paid, at('2026-05-06T15:00:00Z'), playbook)).toMatchObject({ action: 'close', reason: 'settled' });
  });

  it('closes as settled where the sum leaves some of the overdue amount (1,750.00 overdue), and never lapses', () => {
    const paid = payLink({ ...offered, amountDue: 175_000 });
    expect(paid.amountDue).toBe(25_000);
    expect(nextStep(paid, at('2026-05-06T15:00:00Z'), playbook)).toMatchObject({ action: 'close', reason: 'settled' });
    expect(lapseSettlement(paid, at('2026-05-16T05:00:00Z')).entries).toEqual([]);
  });

  it('does not settle on a payment short of the sum, or one posted before the offer was made', () => {
    const short = { ...offered, amountDue: 175_000, settlement: { ...offered.settlement, paidSince: 149_999 } };
    expect(nextStep(short, at('2026-05-06T15:00:00Z'), playbook)).not.toMatchObject({ action: 'close' });
    const before = payLink({ ...offered, amountDue: 175_000 }, '2026-05-01T12:00:00.000Z');
    expect(before.settlement?.paidSince).toBe(0);
    expect(nextStep(before, at('2026-05-06T15:00:00Z'), playbook)).not.toMatchObject({ action: 'close' });
  });
});

describe("a collector's settlement is dated when the collector records it (docs/contract.md §11.2.20)", () => {
  // 1,875.00 agreed on the phone at 15:00 in Chicago; the customer pays it on the call two minutes later.
  const recorded = '2026-05-01T20:00:00.000Z';
  const paidOnCall = '2026-05-01T20:02:00.000Z';
  const due = anAccount({ escalationLevel: 2 });
  const agree = (state: AccountState, detail: Record<string, unknown> = {}, arrives = '2026-05-01T20:05:00Z') =>
    applyEvent(
      state,
      {
        detailType: 'SettlementAccepted',
        source: 'collections.agent',
        detail: { accountId: 'A1', settlementId: '2026-01-ST1', amount: 187_500, agreedAt: recorded, ...detail },
      } as never,
      at(arrives),
      us,
    );
  const pay = (state: AccountState, arrives: string) => {
    const paid = applyEvent(
      state,
      {
        detailType: 'PaymentPosted',
        source: 'bank.core',
        detail: { accountId: 'A1', paymentId: 'P-CALL', amount: 187_500, currency: 'USD', postedAt: paidOnCall },
      },
      at(arrives),
      us,
    );
    if (paid.kind !== 'applied') throw new Error(paid.kind);
    return paid.state;
  };

  it('counts a payment taken on the call that the intake applies after the settlement', () => {
    const agreed = agree(due);
    if (agreed.kind !== 'applied') throw new Error(agreed.kind);
    expect(agreed.state.settlement).toMatchObject({ offeredAt: recorded, acceptedAt: recorded });
    expect(agreed.entries.map((e) => [e.kind, e.at])).toEqual([
      ['settlement-offered', recorded],
      ['settlement-accepted', recorded],
    ]);
    const paid = pay(agreed.state, '2026-05-01T20:06:00Z');
    expect(paid.settlement?.paidSince).toBe(187_500);
    expect(nextStep(paid, at('2026-05-01T20:06:00Z'), playbook)).toMatchObject({ action: 'close', reason: 'settled' });
  });

  it('applies the settlement, not the dead-letter queue, when the intake applied that payment first', () => {
    const paidFirst = pay(due, '2026-05-01T20:03:00Z');
    expect(paidFirst.balance).toBe(62_500);
    const agreed = agree(paidFirst);
    expect(agreed).toMatchObject({
      kind: 'applied',
      state: { settlement: { settlementId: '2026-01-ST1', amount: 187_500, paidSince: 187_500 } },
    });
    if (agreed.kind !== 'applied') throw new Error(agreed.kind);
    expect(nextStep(agreed.state, at('2026-05-01T20:05:00Z'), playbook)).toMatchObject({
      action: 'close',
      reason: 'settled',
    });
    // A payment posted before the collector recorded the settlement is no payment toward it: the floor is the pack's.
    const before = agree(paidFirst, { agreedAt: '2026-05-01T20:02:30Z' });
    expect(before).toMatchObject({
      kind: 'rejected',
      reason: expect.stringMatching(/^amount: expected 37500 to 62500/),
    });
  });

  it('is never dated after it arrived, and carries agreedAt only with an amount', () => {
    const early = agree(due, { agreedAt: '2026-05-02T00:00:00.000Z' });
    expect(early).toMatchObject({ state: { settlement: { offeredAt: '2026-05-01T20:05:00.000Z' } } });
    expect(agree(due, { amount: undefined })).toMatchObject({
      kind: 'rejected',
      reason: expect.stringMatching(/^agreedAt:/),
    });
  });
});

describe('negotiation KPIs', () => {
  it('counts reasons by share, settlements, the write-off, autopay and failed debits from the record', () => {
    const frame = { start: new Date('2026-01-05T00:00:00Z'), until: new Date('2026-07-05T00:00:00Z'), days: 181 };
    const entry = (e: Record<string, unknown>) => ({ at: '2026-05-01T13:00:00.000Z', ...e }) as RecordEntry;
    const settledAccount = {
      profile: 'non-payer' as const,
      state: anAccount({
        closeReason: 'settled',
        status: 'closed',
        collected: 150_000,
        reason: { reasonId: 'R', reason: 'over-indebted', at: '' },
      }),
      record: [
        entry({ kind: 'started', amountDue: 12_000, balance: 250_000 }),
        entry({ kind: 'settlement-offered', settlementId: 'S', amount: 150_000, currency: 'USD', validUntil: 'x' }),
        entry({ kind: 'settlement-accepted', settlementId: 'S', amount: 150_000 }),
        entry({ kind: 'written-off', amount: 100_000, currency: 'USD', reason: 'settlement' }),
      ],
    };
    const autopayAccount = {
      profile: 'plan-taker' as const,
      state: anAccount({ accountId: 'A2', reason: { reasonId: 'R', reason: 'forgot', at: '' } }),
      record: [
        entry({ kind: 'started', amountDue: 12_000, balance: 250_000 }),
        entry({ kind: 'plan-accepted', planId: 'P', instalments: 3, monthlyAmount: 1, autopay: true }),
        entry({
          kind: 'debit-requested',
          planId: 'P',
          instalment: 1,
          paymentId: 'P-I1',
          amount: 1,
          currency: 'USD',
          dueDate: 'x',
        }),
        entry({ kind: 'payment-failed', paymentId: 'P-I1', amount: 1, reason: 'x' }),
        entry({
          kind: 'debit-requested',
          planId: 'P',
          instalment: 1,
          paymentId: 'P-I1-R1',
          amount: 1,
          currency: 'USD',
          dueDate: 'x',
        }),
      ],
    };
    const usage = {
      invocations: {},
      handlerMs: {},
      dynamo: {},
      dynamoByHandler: {},
      dynamoUnits: { read: 0, write: 0 },
      messages: { email: 0, sms: 0 },
    };
    const kpis = computeKpis({
      tally: tallyAccounts([settledAccount, autopayAccount], frame),
      violations: [],
      collectors: undefined,
      usage: usage as unknown as SimulationRun['usage'],
    });
    expect(kpis.negotiation).toEqual({
      reasons: { 'over-indebted': 1, forgot: 1 },
      reasonShares: { 'over-indebted': 0.5, forgot: 0.5 },
      settlementsOffered: 1,
      settlementsAccepted: 1,
      settled: 1,
      settlementsLapsed: 0,
      writtenOff: 100_000,
      recoveryNetOfWriteOff: (150_000 - 100_000) / 500_000,
      autopayShare: 1,
      debitsRequested: 2,
      debitFailureRate: 0.5,
    });
  });
});
