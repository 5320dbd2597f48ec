import { describe, expect, it } from 'vitest';
import { applyEvent, type Outcome } from '../../functions/domain/apply-event';
import { planSchedule } from '../../functions/domain/plan-schedule';
import { POLICY_PACKS } from '../../policies/built-in-packs';
import { openOffer, type AccountState } from '../../functions/domain/account';
import { anAccount, at, delinquent } from '../support/fixtures';
import type { DelinquencyReason } from '../../functions/domain/inbound-events';

const us = POLICY_PACKS['us-regf'];
const now = at('2026-01-09T15:00:00Z');
const appliedState = (outcome: Outcome): AccountState => {
  if (outcome.kind !== 'applied')
    throw new Error(`expected applied, got ${outcome.kind}: ${'reason' in outcome ? outcome.reason : ''}`);
  return outcome.state;
};
const pay = (amount: number, paymentId = 'P1') =>
  ({
    detailType: 'PaymentPosted',
    detail: { accountId: 'A1', paymentId, amount, currency: 'USD', postedAt: '2026-01-09T15:00:00Z' },
  }) as const;

describe('applying inbound events', () => {
  it('opens a cycle with the PII split off into the profile', () => {
    const outcome = applyEvent(null, delinquent(), at('2026-01-05T06:00:00Z'), us);
    expect(outcome).toMatchObject({
      kind: 'applied',
      opensCycle: true,
      profile: { name: 'Ana Diaz', email: 'ana@example.com', phone: '+13125550100' },
    });
    const state = appliedState(outcome);
    expect(state).toMatchObject({
      status: 'open',
      amountDue: 12_000,
      bucket: 'B1',
      reachable: ['email', 'sms', 'call'],
    });
    expect(JSON.stringify(state)).not.toMatch(/Ana|example\.com|\+1312/);
  });

  it('treats a second AccountDelinquent for the same cycle as a duplicate', () => {
    expect(applyEvent(anAccount(), delinquent(), now, us).kind).toBe('duplicate');
  });

  it('rejects a new cycle while another is open, and starts it once the old one closed', () => {
    expect(applyEvent(anAccount(), delinquent({ cycleId: '2026-02' }), now, us)).toEqual({
      kind: 'rejected',
      reason: 'cycleId: account A1 already has open cycle 2026-01',
    });
    expect(
      appliedState(
        applyEvent(anAccount({ status: 'closed', version: 9 }), delinquent({ cycleId: '2026-02' }), now, us),
      ),
    ).toMatchObject({ cycleId: '2026-02', version: 9 });
  });

  it('rejects events for an account with no open cycle', () => {
    expect(applyEvent(null, pay(100), now, us)).toEqual({
      kind: 'rejected',
      reason: 'accountId: no open collection cycle for A1',
    });
  });

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

  it('opens and resolves disputes once each', () => {
    const raised = appliedState(
      applyEvent(
        anAccount(),
        { detailType: 'DisputeRaised', detail: { accountId: 'A1', disputeId: 'D1', reason: 'not mine' } },
        now,
        us,
      ),
    );
    expect(raised.openDisputes).toEqual(['D1']);
    const resolve = {
      detailType: 'DisputeResolved',
      detail: { accountId: 'A1', disputeId: 'D1', outcome: 'rejected' },
    } as const;
    const resolved = appliedState(applyEvent(raised, resolve, now, us));
    expect(resolved).toMatchObject({ openDisputes: [], resolvedDisputes: ['D1'] });
    expect(applyEvent(resolved, resolve, now, us).kind).toBe('duplicate');
    expect(applyEvent(anAccount(), resolve, now, us)).toEqual({
      kind: 'rejected',
      reason: 'disputeId: no open dispute D1 on account A1',
    });
  });

  it('records opt-outs and cease once', () => {
    const optOut = { detailType: 'ChannelOptOut', detail: { accountId: 'A1', channel: 'sms' } } as const;
    const once = appliedState(applyEvent(anAccount(), optOut, now, us));
    expect(once.optOuts).toEqual(['sms']);
    expect(applyEvent(once, optOut, now, us).kind).toBe('duplicate');
    const cease = { detailType: 'CeaseCommunication', detail: { accountId: 'A1' } } as const;
    expect(applyEvent(appliedState(applyEvent(anAccount(), cease, now, us)), cease, now, us).kind).toBe('duplicate');
  });

  it('remembers a conversation for the call quiet period', () => {
    const talked = appliedState(
      applyEvent(
        anAccount(),
        { detailType: 'CallOutcomeRecorded', detail: { accountId: 'A1', callId: 'C1', outcome: 'right-party' } },
        now,
        us,
      ),
    );
    expect(talked.history).toMatchObject({ rightPartyContacts: 1, lastRightPartyAt: now.toISOString() });
  });

  it('refuses a promise dated on or after the charge-off day, which could never be kept', () => {
    const promise = (dueDate: string) =>
      applyEvent(
        anAccount(),
        { detailType: 'PromiseToPayMade', detail: { accountId: 'A1', promiseId: 'PR9', amount: 12_000, dueDate } },
        now,
        us,
      );
    expect(promise('2026-06-30')).toEqual({
      kind: 'rejected',
      reason: 'dueDate: 2026-06-30 is after 2026-06-29, the last day before charge-off at 180 days past due',
    });
    expect(promise('2026-06-29').kind).toBe('applied');
  });

  it('merges flags and new charges from the bank', () => {
    const updated = appliedState(
      applyEvent(
        anAccount(),
        { detailType: 'AccountUpdated', detail: { accountId: 'A1', amountDue: 15_900, flags: { hardship: true } } },
        now,
        us,
      ),
    );
    expect(updated).toMatchObject({ amountDue: 15_900, overdue: 15_900, flags: { hardship: true, bankrupt: false } });
  });

  it(
    'writes only the contact points an update names: a new email keeps the phone, and every channel ' +
      'stays reachable',
    () => {
      const outcome = applyEvent(
        anAccount(),
        { detailType: 'AccountUpdated', detail: { accountId: 'A1', customer: { email: 'new@example.com' } } },
        now,
        us,
      );
      expect(outcome).toMatchObject({
        kind: 'applied',
        profile: { email: 'new@example.com' },
        state: { reachable: ['email', 'sms', 'call'] },
      });
      expect(outcome.kind === 'applied' && outcome.profile).toEqual({ email: 'new@example.com' });
      // A phone for a customer who had only an email adds texts and calls.
      const emailOnly = anAccount({ reachable: ['email'] });
      const phoned = applyEvent(
        emailOnly,
        { detailType: 'AccountUpdated', detail: { accountId: 'A1', customer: { phone: '+13125550111' } } },
        now,
        us,
      );
      expect(phoned).toMatchObject({
        kind: 'applied',
        profile: { phone: '+13125550111' },
        state: { reachable: ['email', 'sms', 'call'] },
      });
      // Flags alone touch no contact point.
      expect(
        applyEvent(
          anAccount(),
          { detailType: 'AccountUpdated', detail: { accountId: 'A1', flags: { hardship: true } } },
          now,
          us,
        ),
      ).not.toHaveProperty('profile');
    },
  );

  it('refuses an update leaving more due than the balance, naming the field sent, and changes nothing', () => {
    const account = anAccount();
    const update = (detail: Record<string, unknown>) =>
      applyEvent(account, { detailType: 'AccountUpdated', detail: { accountId: 'A1', ...detail } }, now, us);
    expect(update({ amountDue: account.balance + 1 })).toEqual({
      kind: 'rejected',
      reason: `amountDue: the amount due ${account.balance + 1} would be more than the balance ${account.balance}`,
    });
    expect(update({ balance: account.amountDue - 1 })).toEqual({
      kind: 'rejected',
      reason: `balance: the amount due ${account.amountDue} would be more than the balance ${account.amountDue - 1}`,
    });
    expect(update({ balance: 500, amountDue: 500 }).kind).toBe('applied');
  });
});

describe('why the customer is late (docs/contract.md §10.6)', () => {
  const reason = (reasonId: string, why: DelinquencyReason) =>
    ({
      detailType: 'DelinquencyReasonRecorded',
      detail: { accountId: 'A1', reasonId, reason: why, note: 'lost my job in May' },
    }) as const;

  it('keeps the latest reason on the state and the record, never the note, and takes a repeat once', () => {
    const first = applyEvent(anAccount(), reason('R1', 'job-loss'), now, us);
    expect(first).toMatchObject({
      kind: 'applied',
      state: { reason: { reasonId: 'R1', reason: 'job-loss', at: now.toISOString() } },
      entries: [{ kind: 'reason', at: now.toISOString(), reasonId: 'R1', reason: 'job-loss' }],
    });
    expect(JSON.stringify(first)).not.toContain('May');
    const state = appliedState(first);
    expect(applyEvent(state, reason('R1', 'job-loss'), now, us).kind).toBe('duplicate');
    expect(appliedState(applyEvent(state, reason('R2', 'illness'), now, us)).reason?.reason).toBe('illness');
  });

  it('opens a dispute for fraud or a disputed debt, under the reason id', () => {
    for (const why of ['fraud', 'dispute'] as const) {
      const outcome = applyEvent(anAccount(), reason('R3', why), now, us);
      expect(appliedState(outcome).openDisputes).toEqual(['R3']);
      expect(outcome.kind === 'applied' && outcome.entries.map((e) => e.kind)).toEqual(['reason', 'dispute-opened']);
    }
    expect(appliedState(applyEvent(anAccount(), reason('R4', 'forgot'), now, us)).openDisputes).toEqual([]);
  });
});
