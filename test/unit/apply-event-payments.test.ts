// Applying inbound events about money: payments, promises to pay, payment plans and settlements, and which collector
// agreed them.
import { describe, expect, it } from 'vitest';
import { applyEvent } from '../../functions/domain/apply-event';
import { planSchedule } from '../../functions/domain/plan-schedule';
import { openOffer } from '../../functions/domain/account';
import { anAccount } from '../support/fixtures';
import { appliedState, now, pay, us } from '../support/apply-event';

describe('applying inbound events', () => {
  it('reduces overdue amount and balance by a payment', () => {
    expect(appliedState(applyEvent(anAccount(), pay(5000), now, us))).toMatchObject({
      amountDue: 7000,
      balance: 245_000,
      collected: 5000,
    });
  });

  it('rejects a payment in another currency', () => {
    expect(
      applyEvent(anAccount(), { ...pay(5000), detail: { ...pay(5000).detail, currency: 'EUR' } }, now, us).kind,
    ).toBe('rejected');
  });

  it('keeps a promise once payments since it reach its amount', () => {
    const promising = anAccount({
      promise: {
        promiseId: 'PR1',
        amount: 12_000,
        dueDate: '2026-01-15',
        madeAt: '2026-01-07T20:00:00Z',
        paidSince: 3000,
      },
    });
    const outcome = applyEvent(promising, pay(9000), now, us);
    expect(outcome.kind === 'applied' && outcome.entries.map((e) => e.kind)).toEqual(['payment', 'ledger', 'ptp-kept']);
    expect(appliedState(outcome)).toMatchObject({ promise: null, history: { promisesKept: 1 } });
  });

  it('rejects a promise dated before today in the customer zone', () => {
    const outcome = applyEvent(
      anAccount(),
      {
        detailType: 'PromiseToPayMade',
        detail: { accountId: 'A1', promiseId: 'PR1', amount: 100, dueDate: '2026-01-08' },
      },
      now,
      us,
    );
    expect(outcome).toEqual({
      kind: 'rejected',
      reason: "dueDate: 2026-01-08 is before today (2026-01-09) in the customer's time zone",
    });
  });

  it('accepts the offered plan over the balance at acceptance, within the pack', () => {
    const offered = anAccount({
      lastOffer: { planId: 'PL1', offeredAt: '2026-01-08T00:00:00Z', balance: 250_000, terms: [] },
    });
    const accept = (instalments: number, planId = 'PL1') =>
      applyEvent(offered, { detailType: 'PlanAccepted', detail: { accountId: 'A1', planId, instalments } }, now, us);
    const state = appliedState(accept(12));
    expect(state.plan?.instalments).toHaveLength(12);
    expect(state.plan?.instalments[0]).toEqual({ dueDate: '2026-02-09', amount: 20_833, paid: 0 });
    expect(state.plan?.instalments.at(-1)?.amount).toBe(250_000 - 20_833 * 11);
    expect(accept(13)).toEqual({ kind: 'rejected', reason: 'instalments: expected 2 to 12 under us-regf, got 13' });
    expect(accept(6, 'PL9').kind).toBe('rejected');
  });

  it(
    "takes a plan a collector offered on the call as offered and accepted, under the next offer's id, from " +
      'collections.agent only',
    () => {
      const account = anAccount({ balance: 240_000 });
      const nextId = `${account.cycleId}-PL${account.history.plansOffered + 1}`;
      const fromAgent = (planId: string, source = 'collections.agent') =>
        applyEvent(
          account,
          { detailType: 'PlanAccepted', detail: { accountId: 'A1', planId, instalments: 6 }, source },
          now,
          us,
        );
      const outcome = fromAgent(nextId);
      expect(outcome.kind === 'applied' && outcome.entries.map((e) => e.kind)).toEqual([
        'plan-offered',
        'plan-accepted',
      ]);
      const state = appliedState(outcome);
      expect(state.plan).toMatchObject({ planId: nextId, total: 240_000 });
      expect(state.plan?.instalments).toHaveLength(6);
      expect(state.lastOffer?.planId).toBe(nextId);
      expect(state.history).toMatchObject({
        plansOffered: account.history.plansOffered + 1,
        plansAccepted: account.history.plansAccepted + 1,
      });
      // A customer cannot accept what nobody offered, nor can a collector name any other id.
      expect(fromAgent(nextId, 'collections.customer')).toMatchObject({
        kind: 'rejected',
        reason: expect.stringContaining('none on offer'),
      });
      expect(fromAgent('OTHER').kind).toBe('rejected');
    },
  );

  it('takes an offer once: after its plan broke it is on offer no more, and a collector agrees the next one', () => {
    const offered = anAccount({
      lastOffer: { planId: 'PL1', offeredAt: '2026-01-08T00:00:00Z', balance: 250_000, terms: [] },
      history: { ...anAccount().history, plansOffered: 1 },
    });
    const taken = appliedState(
      applyEvent(
        offered,
        {
          detailType: 'PlanAccepted',
          detail: { accountId: 'A1', planId: 'PL1', instalments: 6 },
          source: 'collections.customer',
        },
        now,
        us,
      ),
    );
    expect(taken.lastOffer).toMatchObject({ planId: 'PL1', acceptedAt: now.toISOString() });
    expect(openOffer(taken)).toBeNull();
    // The plan broke: no plan runs, and the offer it came from is not open again.
    const broken = { ...taken, plan: null };
    expect(openOffer(broken)).toBeNull();
    const again = applyEvent(
      broken,
      {
        detailType: 'PlanAccepted',
        detail: { accountId: 'A1', planId: 'PL1', instalments: 6 },
        source: 'collections.customer',
      },
      now,
      us,
    );
    expect(again).toMatchObject({ kind: 'rejected', reason: expect.stringContaining('none on offer') });
    const onCall = applyEvent(
      broken,
      {
        detailType: 'PlanAccepted',
        detail: { accountId: 'A1', planId: '2026-01-PL2', instalments: 6 },
        source: 'collections.agent',
      },
      now,
      us,
    );
    expect(onCall.kind === 'applied' && onCall.entries.map((e) => e.kind)).toEqual(['plan-offered', 'plan-accepted']);
  });

  it('counts a payment toward the oldest unpaid instalment', () => {
    const plan = {
      planId: 'PL1',
      acceptedAt: '',
      total: 900,
      interestFrozen: true,
      feeWaived: 0,
      instalments: planSchedule(900, 3, '2026-01-01'),
      remindedFor: null,
    };
    expect(
      appliedState(applyEvent(anAccount({ plan }), pay(450), now, us)).plan?.instalments.map((i) => i.paid),
    ).toEqual([300, 150, 0]);
  });

  it('refuses a promise dated on or after the charge-off day, which could never be kept', () => {
    // A pack whose promises may fall a year ahead: only the charge-off day bounds them.
    const yearAhead = { ...us, promise: { maxDays: 365, minShareBps: 1000 } };
    const promise = (dueDate: string) =>
      applyEvent(
        anAccount(),
        { detailType: 'PromiseToPayMade', detail: { accountId: 'A1', promiseId: 'PR9', amount: 12_000, dueDate } },
        now,
        yearAhead,
      );
    expect(promise('2026-06-30')).toEqual({
      kind: 'rejected',
      reason: 'dueDate: 2026-06-30 is after 2026-06-29, the last day before charge-off at 180 days past due',
    });
    expect(promise('2026-06-29').kind).toBe('applied');
  });

  it("bounds a promise by what is owed and by the pack's promise rule, wherever it comes from", () => {
    // us-regf: 30 days ahead at most, 10% of the overdue amount (12,000) at least; the balance is 250,000.
    const promise = (amount: number, dueDate = '2026-01-20', source = 'collections.customer') =>
      applyEvent(
        anAccount(),
        { detailType: 'PromiseToPayMade', detail: { accountId: 'A1', promiseId: 'PR9', amount, dueDate }, source },
        now,
        us,
      );
    expect(promise(1e12)).toEqual({
      kind: 'rejected',
      reason: 'amount: 1000000000000 is more than the balance owed, 250000',
    });
    expect(promise(250_001, '2026-01-20', 'collections.agent').kind).toBe('rejected');
    expect(promise(250_000).kind).toBe('applied');
    expect(promise(1)).toEqual({
      kind: 'rejected',
      reason: 'amount: 1 is less than 1200, the 10% of the overdue amount a promise covers at least under us-regf',
    });
    expect(promise(1_200).kind).toBe('applied');
    // Five months ahead would pause reminders for five months.
    expect(promise(12_000, '2026-06-01')).toEqual({
      kind: 'rejected',
      reason: 'dueDate: 2026-06-01 is after 2026-02-08, 30 days ahead at most under us-regf',
    });
    expect(promise(12_000, '2026-02-08').kind).toBe('applied');
  });

  it("refuses, where it is applied, a collector's settlement beyond their limit that no supervisor agreed", () => {
    // Balance 250,000: a collector alone may go down to 187,500 (25% off), a supervisor to 150,000 (40%).
    const settle = (amount: number, extra: Record<string, unknown> = {}) =>
      applyEvent(
        anAccount({ balance: 250_000 }),
        {
          detailType: 'SettlementAccepted',
          detail: { accountId: 'A1', settlementId: '2026-01-ST1', amount, ...extra },
          source: 'collections.agent',
        },
        now,
        us,
      );
    expect(settle(150_000)).toEqual({
      kind: 'rejected',
      reason:
        "agentRole: 150000 is below 187500, beyond a collector's limit of 2500 bps off the balance, and no " +
        'supervisor agreed it',
    });
    expect(settle(150_000, { agentId: 'agent-7', agentRole: 'collector' }).kind).toBe('rejected');
    expect(settle(187_500).kind).toBe('applied');
    // Beyond the pack's own floor it is the amount that is wrong, whoever agreed it.
    expect(settle(149_999, { agentRole: 'supervisor' })).toMatchObject({ kind: 'rejected', reason: /^amount: / });
    const agreed = settle(150_000, { agentId: 'sup-1', agentRole: 'supervisor' });
    expect(agreed.kind === 'applied' && agreed.entries).toEqual([
      expect.objectContaining({ kind: 'settlement-offered', agentId: 'sup-1' }),
      expect.objectContaining({
        kind: 'settlement-accepted',
        amount: 150_000,
        agentId: 'sup-1',
        agentRole: 'supervisor',
      }),
    ]);
  });

  it("records which collector took a promise, a plan or a reason, and takes a collector's id from no one else", () => {
    const promise = (source: string) =>
      applyEvent(
        anAccount(),
        {
          detailType: 'PromiseToPayMade',
          detail: { accountId: 'A1', promiseId: 'PR9', amount: 12_000, dueDate: '2026-01-20', agentId: 'agent-2' },
          source,
        },
        now,
        us,
      );
    const taken = promise('collections.agent');
    expect(taken.kind === 'applied' && taken.entries).toEqual([
      expect.objectContaining({ kind: 'ptp-made', promiseId: 'PR9', agentId: 'agent-2' }),
    ]);
    expect(promise('collections.customer')).toEqual({
      kind: 'rejected',
      reason: "agentId: only a collector's event (collections.agent) names one",
    });
    const reason = applyEvent(
      anAccount(),
      {
        detailType: 'DelinquencyReasonRecorded',
        detail: { accountId: 'A1', reasonId: 'R1', reason: 'job-loss', agentId: 'agent-2' },
        source: 'collections.agent',
      },
      now,
      us,
    );
    expect(reason.kind === 'applied' && reason.entries).toEqual([
      expect.objectContaining({ kind: 'reason', agentId: 'agent-2' }),
    ]);
  });
});
