import { describe, expect, it } from 'vitest';
import { nextStep, pendingPausedBy, type Playbook } from '../../functions/domain/next-step';
import { planSchedule } from '../../functions/domain/plan-schedule';
import { POLICY_PACKS } from '../../policies/built-in-packs';
import { DEFAULT_STRATEGY } from '../../functions/domain/strategy';
import { settleDeadlines } from '../../functions/domain/transitions';
import { attemptContact, callTaskCreated, contactFailed } from '../../functions/domain/contact-attempt';
import { anAccount, at } from '../support/fixtures';

const us: Playbook = { pack: POLICY_PACKS['us-regf'], strategy: DEFAULT_STRATEGY };
const noonChicago = at('2026-01-06T18:00:00Z');
// A1's own time of day for contact is 16:47 in Chicago (contact-time.ts): 22:47Z in winter.
const afternoonChicago = at('2026-01-06T23:00:00Z');

describe('next step', () => {
  it('reminds at once when a new account is contactable past its own time of day', () => {
    expect(nextStep(anAccount(), afternoonChicago, us)).toMatchObject({
      action: 'remind',
      channel: 'email',
      template: 'reminder-gentle',
      rule: 'champion/b1-gentle',
    });
  });

  it('waits for its own time of day (docs/contract.md §10.5) when the account opens at night or in the morning', () => {
    const step = nextStep(anAccount(), at('2026-01-05T06:00:00Z'), us);
    expect(step).toMatchObject({ action: 'wait', notBefore: '2026-01-05T22:47:04.000Z', rule: 'champion/b1-gentle' });
    expect(step.waitSeconds).toBe(16 * 3600 + 47 * 60 + 4);
    expect(nextStep(anAccount(), noonChicago, us)).toMatchObject({ notBefore: '2026-01-06T22:47:04.000Z' });
    // Spoken to at 10:15 once, the customer is contacted at 10 from then on.
    const talked = anAccount({ history: { lastRightPartyAt: '2026-01-05T16:15:00.000Z' } });
    expect(nextStep(talked, at('2026-01-06T06:00:00Z'), us)).toMatchObject({ notBefore: '2026-01-06T16:47:04.000Z' });
  });

  it('rotates channels after the last one used and waits out the cadence', () => {
    const reminded = anAccount({
      history: {
        lastReminderAt: '2026-01-06T22:47:00.000Z',
        recentContacts: [{ at: '2026-01-06T22:47:00.000Z', channel: 'email' }],
      },
    });
    expect(nextStep(reminded, at('2026-01-07T18:00:00Z'), us)).toMatchObject({
      action: 'wait',
      notBefore: '2026-01-09T22:47:04.000Z',
    });
    expect(nextStep(reminded, at('2026-01-09T22:47:04Z'), us)).toMatchObject({ action: 'remind', channel: 'sms' });
  });

  it(
    'goes on to the next channel after a call task nobody dialled or a send that failed, instead of ' +
      'trying it again',
    () => {
      const texted = anAccount({
        history: {
          lastReminderAt: '2026-01-09T23:00:00.000Z',
          recentContacts: [{ at: '2026-01-09T23:00:00.000Z', channel: 'sms' }],
        },
      });
      const turn = at('2026-01-12T23:00:00Z');
      expect(nextStep(texted, turn, us)).toMatchObject({ action: 'remind', channel: 'call' });
      const attempt = attemptContact(texted, 'call', 'reminder-gentle', turn, us);
      if (attempt.kind !== 'contact') throw new Error(`expected a contact, got ${attempt.kind}`);
      // The task expires at 21:00 in Chicago, undialled: no contact, so the last contact is still the SMS.
      const expired = settleDeadlines(
        callTaskCreated(texted, attempt.pending, turn, us.pack).state,
        at('2026-01-13T03:00:00Z'),
        us.pack,
      ).state;
      expect(expired).toMatchObject({ callTask: null, history: { contacts: 0, failedSends: 1 } });
      expect(nextStep(expired, at('2026-01-15T23:00:00Z'), us)).toMatchObject({ action: 'remind', channel: 'email' });

      const emailed = attemptContact(expired, 'email', 'reminder-gentle', at('2026-01-15T23:00:00Z'), us);
      if (emailed.kind !== 'contact') throw new Error(`expected a contact, got ${emailed.kind}`);
      const bounced = contactFailed(expired, emailed.pending, 'bounced', at('2026-01-15T23:00:00Z')).state;
      expect(nextStep(bounced, at('2026-01-18T23:00:00Z'), us)).toMatchObject({ action: 'remind', channel: 'sms' });
    },
  );

  it.each([
    ['cured', anAccount({ amountDue: 0 })],
    ['paid-in-full', anAccount({ amountDue: 0, balance: 0 })],
    ['bankrupt', anAccount({ flags: { bankrupt: true, deceased: false, hardship: false } })],
    ['deceased', anAccount({ flags: { bankrupt: false, deceased: true, hardship: false } })],
  ])('closes as %s', (reason, account) => {
    expect(nextStep(account, noonChicago, us)).toMatchObject({ action: 'close', reason });
  });

  it('does not close a plan account as cured: the plan runs to completion', () => {
    const plan = {
      planId: 'PL1',
      acceptedAt: '2026-02-01T00:00:00Z',
      total: 250_000,
      interestFrozen: true,
      feeWaived: 0,
      instalments: planSchedule(250_000, 6, '2026-02-01'),
      remindedFor: null,
    };
    expect(nextStep(anAccount({ amountDue: 0, plan }), at('2026-02-10T18:00:00Z'), us).action).not.toBe('close');
    const paid = { ...plan, instalments: plan.instalments.map((i) => ({ ...i, paid: i.amount })) };
    expect(nextStep(anAccount({ amountDue: 0, plan: paid }), at('2026-02-10T18:00:00Z'), us)).toMatchObject({
      action: 'close',
      reason: 'plan-completed',
    });
  });

  it('keeps quiet while a promise runs, until the day after its due date', () => {
    const promising = anAccount({
      promise: {
        promiseId: 'PR1',
        amount: 12_000,
        dueDate: '2026-01-15',
        madeAt: '2026-01-07T20:00:00Z',
        paidSince: 0,
      },
    });
    expect(nextStep(promising, at('2026-01-08T18:00:00Z'), us)).toMatchObject({
      action: 'wait',
      // The day after the due date, at A1's own moment in that day's first hour (docs/contract.md §10.5).
      notBefore: '2026-01-16T06:13:58.000Z',
      rule: 'promise-due',
    });
  });

  it('breaks an unpaid promise at its deadline and resumes reminders', () => {
    const promising = anAccount({
      promise: {
        promiseId: 'PR1',
        amount: 12_000,
        dueDate: '2026-01-15',
        madeAt: '2026-01-07T20:00:00Z',
        paidSince: 3000,
      },
    });
    const settled = settleDeadlines(promising, at('2026-01-16T06:00:00Z'), us.pack);
    expect(settled.entries).toEqual([
      { kind: 'ptp-broken', at: '2026-01-16T06:00:00.000Z', promiseId: 'PR1', paid: 3000 },
    ]);
    expect(settled.state.promise).toBeNull();
    expect(nextStep(settled.state, at('2026-01-16T14:00:00Z'), us)).toMatchObject({
      action: 'wait',
      notBefore: '2026-01-16T22:47:04.000Z',
    });
    expect(nextStep(settled.state, at('2026-01-16T22:47:04Z'), us).action).toBe('remind');
  });

  it('offers a plan from 30 days past due for cooperative accounts', () => {
    const reminded = anAccount({ history: { lastReminderAt: '2026-01-30T15:00:00.000Z' } });
    expect(nextStep(reminded, at('2026-01-31T23:00:00Z'), us)).toMatchObject({
      action: 'offer-plan',
      channel: 'email',
    });
  });

  it('offers a plan early when hardship is flagged', () => {
    const hardship = anAccount({
      flags: { bankrupt: false, deceased: false, hardship: true },
      history: { lastReminderAt: '2026-01-06T15:00:00.000Z' },
    });
    expect(nextStep(hardship, at('2026-01-07T23:00:00Z'), us).action).toBe('offer-plan');
  });

  describe('why the customer is late (docs/contract.md §3.15)', () => {
    const reason = (kind: 'job-loss' | 'forgot' | 'other', when: string) => ({
      reasonId: 'R1',
      reason: kind,
      at: when,
    });
    // 2026-03-03 10:00 in Chicago: 61 days past due, plans offered long ago, reminded yesterday.
    const morning = at('2026-03-03T16:00:00Z');
    const base = {
      escalationLevel: 1,
      history: { lastReminderAt: '2026-03-02T15:00:00.000Z', plansOffered: 2 },
      lastOffer: { planId: '2026-01-PL2', offeredAt: '2026-02-10T15:00:00.000Z', balance: 1, terms: [] },
    };

    it('offers a hardship plan at once, past the offer cap, with the longest term and interest frozen', () => {
      const account = anAccount({ ...base, reason: reason('job-loss', '2026-03-03T15:00:00.000Z') });
      expect(nextStep(account, morning, us)).toMatchObject({ action: 'offer-plan', rule: 'us-regf/hardship-plan' });
      const attempt = attemptContact(account, 'email', 'plan-offer', morning, us);
      if (attempt.kind !== 'contact') throw new Error(`expected a contact, got ${attempt.kind}`);
      expect(attempt.pending.offer?.terms).toContainEqual(
        expect.objectContaining({ instalments: 12, interestFrozen: true, feeWaived: 3900 }),
      );
      // Without the reason the cap holds: no offer.
      expect(nextStep(anAccount(base), morning, us).action).not.toBe('offer-plan');
    });

    it('holds escalation beyond senior-collector while the hardship plan is on offer', () => {
      const offered = anAccount({
        ...base,
        reason: reason('job-loss', '2026-03-03T15:00:00.000Z'),
        lastOffer: { planId: '2026-01-PL3', offeredAt: '2026-03-03T16:00:00.000Z', balance: 1, terms: [] },
        history: { lastReminderAt: '2026-03-03T16:00:00.000Z', plansOffered: 3 },
      });
      const day90 = at('2026-04-01T15:00:00Z');
      expect(nextStep(offered, day90, us).action).not.toBe('escalate');
      // An offer made before the reason holds nothing; neither does a reason that is no hardship.
      const earlier = { ...offered, lastOffer: { ...offered.lastOffer!, offeredAt: '2026-03-01T16:00:00.000Z' } };
      expect(nextStep({ ...earlier, reason: reason('other', '2026-03-03T15:00:00.000Z') }, day90, us)).toMatchObject({
        action: 'escalate',
        to: 'final-notice',
      });
      expect(nextStep({ ...offered, reason: reason('other', '2026-03-03T15:00:00.000Z') }, day90, us)).toMatchObject({
        action: 'escalate',
        to: 'final-notice',
      });
    });

    it('reminds a customer who forgot at once, by email or SMS, once per reason', () => {
      const forgot = anAccount({ ...base, reason: reason('forgot', '2026-03-03T15:30:00.000Z') });
      expect(nextStep(forgot, morning, us)).toMatchObject({ action: 'remind', rule: 'champion/reason-forgot' });
      expect(['email', 'sms']).toContain((nextStep(forgot, morning, us) as { channel: string }).channel);
      const reminded = { ...forgot, history: { ...forgot.history, lastReminderAt: '2026-03-03T16:00:00.000Z' } };
      expect(nextStep(reminded, at('2026-03-03T16:05:00Z'), us)).toMatchObject({ action: 'wait' });
    });
  });

  it('escalates at 60 days past due and one level at a time', () => {
    const quiet = {
      history: { lastReminderAt: '2026-03-02T15:00:00.000Z' },
      lastOffer: { planId: 'P', offeredAt: '2026-03-01T00:00:00Z', balance: 1, terms: [] },
    };
    expect(nextStep(anAccount(quiet), at('2026-03-02T15:00:00Z'), us)).toMatchObject({
      action: 'escalate',
      level: 1,
      to: 'senior-collector',
    });
    expect(nextStep(anAccount({ ...quiet, escalationLevel: 1 }), at('2026-04-05T15:00:00Z'), us)).toMatchObject({
      action: 'escalate',
      level: 2,
      to: 'final-notice',
    });
  });

  it('escalates before it charges off an account never escalated, then charges off at 180', () => {
    const never = anAccount({ plan: null, ceased: true });
    const day180 = at('2026-06-30T05:00:00Z');
    expect(
      nextStep(
        {
          ...never,
          escalationLevel: 0,
          promise: { promiseId: 'X', amount: 1, dueDate: '2026-07-30', madeAt: '', paidSince: 0 },
        },
        day180,
        us,
      ),
    ).toMatchObject({ action: 'escalate', level: 1 });
    expect(nextStep({ ...never, escalationLevel: 2 }, day180, us)).toMatchObject({
      action: 'close',
      reason: 'charged-off',
    });
    expect(nextStep({ ...never, escalationLevel: 2 }, at('2026-06-30T04:59:00Z'), us).action).not.toBe('close');
  });

  it('records a blocked reminder when every channel is stopped', () => {
    expect(nextStep(anAccount({ ceased: true }), noonChicago, us)).toMatchObject({
      action: 'remind',
      rule: 'us-regf/cease-communication',
    });
  });

  it('never waits less than a minute', () => {
    const step = nextStep(anAccount(), at('2026-01-05T13:59:30Z'), us);
    expect(step.waitSeconds).toBeGreaterThanOrEqual(60);
  });
});

describe('a pending message asked again before it goes (pendingPausedBy)', () => {
  const plan = {
    planId: 'PL1',
    acceptedAt: '2026-02-01T00:00:00Z',
    total: 250_000,
    interestFrozen: true,
    feeWaived: 0,
    instalments: planSchedule(250_000, 6, '2026-02-01'),
    remindedFor: null,
  };
  const promise = {
    promiseId: 'P1',
    amount: 12_000,
    dueDate: '2026-01-10',
    madeAt: '2026-01-06T15:00:00Z',
    paidSince: 0,
  };
  const settlement = (acceptedAt: string | null) => ({
    settlementId: '2026-01-ST1',
    amount: 150_000,
    offeredAt: '2026-05-01T13:00:00.000Z',
    validUntil: '2026-05-15',
    acceptedAt,
    paidSince: 0,
  });
  const reminder = { template: 'reminder-firm', remindedFor: null };

  it('holds a reminder back while a promise, a plan or an accepted settlement pauses reminders', () => {
    expect(pendingPausedBy(anAccount(), reminder)).toBeNull();
    expect(pendingPausedBy(anAccount({ promise }), reminder)).toBe('paused-by-promise');
    expect(pendingPausedBy(anAccount({ plan }), reminder)).toBe('paused-by-plan');
    expect(pendingPausedBy(anAccount({ settlement: settlement('2026-05-02T13:00:00.000Z') }), reminder)).toBe(
      'paused-by-settlement',
    );
    // An offer not yet accepted pauses nothing.
    expect(pendingPausedBy(anAccount({ settlement: settlement(null) }), reminder)).toBeNull();
  });

  it('holds an instalment reminder back while the bank debits it, or once it is paid or the plan ended', () => {
    const due = { template: 'instalment-due', remindedFor: '2026-03-01' };
    expect(pendingPausedBy(anAccount({ plan }), due)).toBeNull();
    expect(pendingPausedBy(anAccount({ plan: { ...plan, autopay: true } }), due)).toBe('paused-by-debit');
    const paid = { ...plan, instalments: plan.instalments.map((i, n) => (n === 0 ? { ...i, paid: i.amount } : i)) };
    expect(pendingPausedBy(anAccount({ plan: paid }), due)).toBe('instalment-paid');
    expect(pendingPausedBy(anAccount(), due)).toBe('plan-ended');
  });

  it('holds offers back once a plan runs, or a settlement is already on the account', () => {
    const offer = { template: 'plan-offer', remindedFor: null };
    expect(pendingPausedBy(anAccount({ promise }), offer)).toBeNull();
    expect(pendingPausedBy(anAccount({ plan }), offer)).toBe('paused-by-plan');
    const settle = { template: 'settlement-offer', remindedFor: null };
    expect(pendingPausedBy(anAccount({ escalationLevel: 2 }), settle)).toBeNull();
    expect(pendingPausedBy(anAccount({ promise }), settle)).toBe('paused-by-promise');
    expect(pendingPausedBy(anAccount({ settlement: settlement('2026-05-01T20:00:00.000Z') }), settle)).toBe(
      'paused-by-settlement',
    );
    expect(pendingPausedBy(anAccount(), { template: 'courtesy', remindedFor: null })).toBeNull();
  });
});

describe('plan offers and promises', () => {
  const promise = {
    promiseId: 'PR1',
    amount: 12_000,
    dueDate: '2026-02-28',
    madeAt: '2026-01-20T15:00:00Z',
    paidSince: 0,
  };

  it('holds a first offer during a promise until the day before the 45-day deadline', () => {
    const promising = anAccount({ promise, history: { lastReminderAt: '2026-01-20T15:00:00.000Z' } });
    expect(nextStep(promising, at('2026-02-01T18:00:00Z'), us)).toMatchObject({
      action: 'wait',
      rule: 'champion/plan-offer',
      notBefore: '2026-02-14T22:47:04.000Z',
    });
    // Day 44 starts at 2026-02-14 00:00 Chicago; the offer goes out at the account's own time, 16:47:04 local.
    expect(nextStep(promising, at('2026-02-14T22:47:04Z'), us)).toMatchObject({ action: 'offer-plan' });
  });

  it('does not re-offer during a promise once an offer was made', () => {
    const offered = anAccount({
      promise,
      lastOffer: { planId: 'P1', offeredAt: '2026-01-31T15:00:00Z', balance: 1, terms: [] },
      history: { plansOffered: 1 },
    });
    expect(nextStep(offered, at('2026-03-10T18:00:00Z'), us).action).not.toBe('offer-plan');
  });
});

describe('closing a completed plan', () => {
  it('closes as plan-completed even though the last instalment cleared the balance', () => {
    const instalments = planSchedule(900, 3, '2026-02-01').map((i) => ({ ...i, paid: i.amount }));
    const plan = {
      planId: 'PL1',
      acceptedAt: '2026-02-01T00:00:00Z',
      total: 900,
      interestFrozen: true,
      feeWaived: 0,
      instalments,
      remindedFor: null,
    };
    expect(nextStep(anAccount({ balance: 0, amountDue: 0, plan }), at('2026-05-02T18:00:00Z'), us)).toMatchObject({
      action: 'close',
      reason: 'plan-completed',
    });
  });
});
