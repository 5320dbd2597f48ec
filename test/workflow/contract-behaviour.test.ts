// CONTRACT §3, item by item, on the scenarios in test/scenarios, through the real local stack.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { POLICY_PACKS } from '../../policies/built-in-packs';
import { DEFAULT_STRATEGY, type Strategy } from '../../functions/domain/strategy';
import { account, contacts, DAY, entries, localHour, ms, OUR_SCENARIOS, run, loadScenario } from '../support/scenarios';

const file = (name: string) => path.join(OUR_SCENARIOS, `${name}.json`);

describe('§3.1 first contact within 3 days', () => {
  it('reaches every contactable account within 3 days, at local business hours', async () => {
    const scenario = loadScenario(file('contact-hours'));
    const { result } = await run(file('contact-hours'));
    for (const event of scenario.events) {
      const detail = event.detail as { accountId: string; customer: { timezone: string } };
      const first = contacts(account(result.accounts, detail.accountId))[0]!;
      expect(ms(first.at) - ms(event.at)).toBeLessThanOrEqual(3 * DAY);
      expect(localHour(first.at, detail.customer.timezone)).toBeGreaterThanOrEqual(8);
    }
  });
});

describe('§3.2 what every reminder states', () => {
  it('states amount with currency, days past due, penalty rate and pay-by date', async () => {
    const { result } = await run(file('plan-lifecycle'));
    const all = result.accounts.flatMap(contacts);
    expect(all.length).toBeGreaterThan(20);
    for (const c of all) {
      expect(c.text).toMatch(/\d[\d,]*\.\d{2} USD/);
      expect(c.text).toMatch(/\b\d+ days past due/);
      expect(c.text).toContain('29.99%');
      expect(c.text).toMatch(/\b\d{4}-\d{2}-\d{2}\b/);
    }
  });

  it('writes to zh-CN customers in Chinese under the cn pack', async () => {
    const { result } = await run(file('cn-reminders'));
    const z1 = contacts(account(result.accounts, 'Z1'));
    expect(z1.length).toBeGreaterThan(5);
    for (const c of z1) {
      expect(c.text).toMatch(/^(尊敬的持卡人|【重要提醒】|坐席外呼任务)/);
      expect(c.text).toMatch(/逾期\d+天,逾期金额[\d,]+\.\d{2} CNY/);
      expect(c.text).toContain('29.99%');
    }
    expect(result.violations).toEqual([]);
  });
});

describe("§3.2 amounts in the currency's own digits", () => {
  it("states a JPY amount with no decimals and a KWD amount with three, in each customer's language", async () => {
    const { result } = await run(file('currencies'));
    const [jpy] = contacts(account(result.accounts, 'JPY1'));
    const [kwd] = contacts(account(result.accounts, 'KWD1'));
    expect(jpy!.text).toContain('with 12,000 JPY overdue');
    expect(kwd!.text).toContain('逾期金额12.345 KWD');
    expect(result.violations).toEqual([]);
  });
});

describe('§3.3 a curing payment closes the cycle within a day', () => {
  it('closes as paid-in-full when the balance is paid, and sends nothing after', async () => {
    const { result } = await run(file('paid-in-full'));
    const f1 = account(result.accounts, 'F1');
    expect(f1).toMatchObject({
      status: 'closed',
      closeReason: 'paid-in-full',
      closedAt: '2026-01-12T18:00:00.000Z',
      balance: 0,
    });
    expect(contacts(f1).filter((c) => ms(c.at) >= ms(f1.closedAt!))).toEqual([]);
  });
});

describe('§3.4 contact hours and call frequency', () => {
  it('contacts only from 08:00 to before 21:00 in each customer zone', async () => {
    const scenario = loadScenario(file('contact-hours'));
    const zones = new Map(
      scenario.events.map((e) => [(e.detail as any).accountId, (e.detail as any).customer.timezone as string]),
    );
    const { result } = await run(file('contact-hours'));
    for (const a of result.accounts) {
      for (const c of contacts(a)) {
        const hour = localHour(c.at, zones.get(a.accountId)!);
        expect(hour, `${a.accountId} ${c.at}`).toBeGreaterThanOrEqual(8);
        expect(hour, `${a.accountId} ${c.at}`).toBeLessThan(21);
      }
    }
    expect(result.violations).toEqual([]);
  });

  it('never calls within 7 days of a conversation, nor over 7 times in 7 days, calling every day', async () => {
    const callDaily: Strategy = {
      ...DEFAULT_STRATEGY,
      id: 'call-daily',
      reminders: [
        { id: 'daily-call', minDpd: 0, maxDpd: 179, everyDays: 1, channels: ['call'], template: 'reminder-firm' },
      ],
    };
    const { result } = await run(file('call-quiet'), { strategy: callDaily });
    const calls = contacts(account(result.accounts, 'C1')).filter((c) => c.channel === 'call');
    const talked = ms('2026-01-08T16:30:00Z');
    expect(calls.some((c) => ms(c.at) < talked)).toBe(true);
    // The conversation itself is a call made outside the queue (§3.12); no call of ours follows for 7 days.
    expect(calls.filter((c) => ms(c.at) === talked).map((c) => c.template)).toEqual(['call-outside-queue']);
    expect(calls.filter((c) => ms(c.at) > talked && ms(c.at) < talked + 7 * DAY)).toEqual([]);
    expect(calls.some((c) => ms(c.at) >= talked + 7 * DAY)).toBe(true);
    for (const c of calls)
      expect(calls.filter((k) => ms(k.at) <= ms(c.at) && ms(c.at) - ms(k.at) < 7 * DAY).length).toBeLessThanOrEqual(7);
    expect(result.violations).toEqual([]);
  });
});

describe('regional overlays', () => {
  it(
    'never calls or texts a US-MA customer a third time in 7 days (940 CMR 7.04), nor a US-NY one by any ' +
      "channel (6 RCNY 5-77), while a US-NJ customer gets Regulation F's cap",
    async () => {
      const touchDaily: Strategy = {
        ...DEFAULT_STRATEGY,
        id: 'touch-daily',
        reminders: [
          { id: 'daily', minDpd: 0, maxDpd: 179, everyDays: 1, channels: ['call', 'sms'], template: 'reminder-firm' },
        ],
      };
      const { result } = await run(file('us-ma'), { strategy: touchDaily });
      const touches = (id: string) =>
        contacts(account(result.accounts, id)).filter((c) => c.channel === 'call' || c.channel === 'sms');
      const ma = touches('MA1');
      expect(ma.length).toBeGreaterThan(4);
      for (const c of ma)
        expect(ma.filter((k) => ms(k.at) <= ms(c.at) && ms(c.at) - ms(k.at) < 7 * DAY).length).toBeLessThanOrEqual(2);
      const ny = contacts(account(result.accounts, 'NY1'));
      expect(ny.length).toBeGreaterThan(4);
      for (const c of ny)
        expect(ny.filter((k) => ms(k.at) <= ms(c.at) && ms(c.at) - ms(k.at) < 7 * DAY).length).toBeLessThanOrEqual(2);
      // The same strategy without an overlay touches the New Jersey customer far more often.
      expect(touches('NJ1').length).toBeGreaterThan(2 * ma.length);
      expect(result.violations).toEqual([]);
    },
  );
});

describe('§3.5 opt-outs, cease, disputes, bankruptcy and death', () => {
  it('uses no channel after the customer opted out of it', async () => {
    const { result } = await run(file('opt-out'));
    const o1 = contacts(account(result.accounts, 'O1'));
    expect(o1.filter((c) => c.channel === 'sms' && ms(c.at) >= ms('2026-01-06T12:00:00Z'))).toEqual([]);
    expect(o1.filter((c) => c.channel === 'call' && ms(c.at) >= ms('2026-01-07T12:00:00Z'))).toEqual([]);
    expect(o1.filter((c) => c.channel === 'email' && ms(c.at) > ms('2026-01-07T12:00:00Z')).length).toBeGreaterThan(3);
    expect(entries(account(result.accounts, 'O1'), 'opt-out')).toHaveLength(2);
  });

  it('sends nothing at all after cease-communication, and records each blocked attempt', async () => {
    const { result } = await run(file('cease'));
    const q1 = account(result.accounts, 'Q1');
    expect(contacts(q1).filter((c) => ms(c.at) >= ms('2026-01-07T12:00:00Z'))).toEqual([]);
    const blocked = entries(q1, 'contact-blocked');
    expect(blocked.length).toBeGreaterThan(3);
    expect(blocked.every((b) => b.rule === 'us-regf/cease-communication')).toBe(true);
    expect(entries(q1, 'escalated')).toEqual([expect.objectContaining({ level: 1, to: 'senior-collector' })]);
  });

  it('holds all contact while a dispute is open and resumes after it is resolved', async () => {
    const { result } = await run(file('dispute'));
    const d1 = account(result.accounts, 'D1');
    const held = contacts(d1).filter(
      (c) => ms(c.at) >= ms('2026-01-07T12:00:00Z') && ms(c.at) < ms('2026-01-20T12:00:00Z'),
    );
    expect(held).toEqual([]);
    expect(contacts(d1).some((c) => ms(c.at) > ms('2026-01-20T12:00:00Z'))).toBe(true);
    expect(entries(d1, 'dispute-opened')).toHaveLength(1);
    expect(entries(d1, 'dispute-resolved')).toEqual([
      expect.objectContaining({ disputeId: 'DS1', outcome: 'rejected' }),
    ]);
    expect(result.rejected).toEqual([
      { index: 3, detailType: 'DisputeResolved', reason: 'disputeId: no open dispute DS9 on account D1' },
    ]);
  });

  it('stops collection at once for bankrupt or deceased accounts', async () => {
    const { result } = await run(file('bankrupt-deceased'));
    expect(account(result.accounts, 'K1')).toMatchObject({
      closeReason: 'bankrupt',
      closedAt: '2026-01-10T15:00:00.000Z',
    });
    expect(account(result.accounts, 'K2')).toMatchObject({
      closeReason: 'deceased',
      closedAt: '2026-01-05T06:00:00.000Z',
    });
    expect(contacts(account(result.accounts, 'K2'))).toEqual([]);
    expect(account(result.accounts, 'K3')).toMatchObject({
      closeReason: 'deceased',
      closedAt: '2026-01-12T15:00:00.000Z',
    });
  });
});

describe('§3.6 promises to pay', () => {
  it('keeps a promise when payments reach its amount; a full payment also cures', async () => {
    const { result } = await run(file('promise-kept'));
    const p1 = account(result.accounts, 'P1');
    expect(entries(p1, 'ptp-kept')).toEqual([
      expect.objectContaining({ promiseId: 'PR-1', at: '2026-01-14T18:00:00.000Z' }),
    ]);
    expect(p1).toMatchObject({ closeReason: 'cured' });
    const p2 = account(result.accounts, 'P2');
    expect(entries(p2, 'ptp-kept')).toEqual([expect.objectContaining({ promiseId: 'PR-2' })]);
    expect(
      contacts(p2).filter((c) => ms(c.at) > ms('2026-01-07T20:00:00Z') && ms(c.at) < ms('2026-01-13T18:00:00Z')),
    ).toEqual([]);
    expect(contacts(p2).some((c) => ms(c.at) > ms('2026-01-13T18:00:00Z'))).toBe(true);
  });
});

describe('§3.7 plans', () => {
  it('offers a plan by 45 days past due, within the pack limits', async () => {
    const { result } = await run(file('plan-lifecycle'));
    for (const a of result.accounts) {
      const offer = entries(a, 'plan-offered')[0] as unknown as { at: string; terms: { instalments: number }[] };
      expect(ms(offer.at)).toBeLessThan(ms('2026-02-15T06:00:00Z'));
      expect(Math.max(...offer.terms.map((t) => t.instalments))).toBeLessThanOrEqual(
        POLICY_PACKS['us-regf'].maxPlanInstalments,
      );
    }
  });

  it('completes a plan when every instalment is paid, with no reminders but instalment ones meanwhile', async () => {
    const { result } = await run(file('plan-lifecycle'));
    const l1 = account(result.accounts, 'L1');
    expect(l1).toMatchObject({ status: 'closed', closeReason: 'plan-completed', closedAt: '2026-04-28T18:00:00.000Z' });
    const accepted = ms(entries(l1, 'plan-accepted')[0]!.at);
    expect(contacts(l1).filter((c) => ms(c.at) > accepted && c.template !== 'instalment-due')).toEqual([]);
  });

  it('breaks a plan when an instalment is more than 10 days late, and collection resumes', async () => {
    const { result } = await run(file('plan-lifecycle'));
    const l2 = account(result.accounts, 'L2');
    // Second instalment due 2026-04-02; day 11 late starts 2026-04-13 00:00 in Chicago.
    expect(entries(l2, 'plan-broken')).toEqual([
      expect.objectContaining({ at: '2026-04-13T05:00:00.000Z', daysLate: 11 }),
    ]);
    expect(contacts(l2).filter((c) => c.template === 'instalment-due').length).toBeGreaterThanOrEqual(1);
    expect(
      contacts(l2).filter((c) => ms(c.at) > ms('2026-04-13T05:00:00Z') && c.template.startsWith('reminder')).length,
    ).toBeGreaterThan(3);
  });
});

describe('§3.7 plans for a customer reached only by phone (plan-offer-by-45-calls-only)', () => {
  it('offers the plan once, when its call task is made, and never calls more than the pack allows a day', async () => {
    const { result } = await run(file('plan-offer-by-45-calls-only'));
    const k1 = account(result.accounts, 'K1');
    const offers = entries(k1, 'plan-offered');
    expect(offers.length).toBeGreaterThanOrEqual(1);
    // By 45 days past due (2026-02-15 in Chicago), with a month before any new offer.
    expect(ms(offers[0]!.at)).toBeLessThan(ms('2026-02-16T06:00:00Z'));
    for (let i = 1; i < offers.length; i += 1)
      expect(ms(offers[i]!.at) - ms(offers[i - 1]!.at)).toBeGreaterThanOrEqual(30 * DAY);
    const perDay = new Map<string, number>();
    for (const c of contacts(k1)) perDay.set(c.at.slice(0, 10), (perDay.get(c.at.slice(0, 10)) ?? 0) + 1);
    expect(Math.max(...perDay.values())).toBeLessThanOrEqual(1);
    expect(
      contacts(k1)
        .filter((c) => ms(c.at) > ms('2026-01-07T15:05:00Z'))
        .every((c) => c.channel === 'call'),
    ).toBe(true);
    expect(result.violations).toEqual([]);
  });
});

describe('§10.1 delivery as a standard queue delivers', () => {
  it('applies a payment minutes before its cycle opened, and rejects one whose cycle opened too late', async () => {
    const { result } = await run(file('out-of-order-payment'));
    // Held and retried (every 2 minutes, the queue's visibility timeout): applied once the cycle is open, which cures
    // it.
    const q1 = account(result.accounts, 'Q1');
    expect(q1).toMatchObject({
      status: 'closed',
      closeReason: 'cured',
      collected: 12_000,
      closedAt: '2026-01-05T16:06:00.000Z',
    });
    expect(contacts(q1).every((c) => ms(c.at) < ms(q1.closedAt!))).toBe(true);
    // Q2's cycle opened 20 minutes after its payment was sent: past the 15-minute hold, the payment is rejected.
    expect(account(result.accounts, 'Q2')).toMatchObject({ status: 'open', collected: 0 });
    expect(result.rejected).toEqual([
      { index: 1, detailType: 'PaymentPosted', reason: 'accountId: no open collection cycle for Q2' },
    ]);
    expect(result.violations).toEqual([]);
  });
});

describe("§10.2 Step Functions' limits, enforced locally", () => {
  it(
    'keeps a cn account on a 60-instalment plan, paid on time for two years, open and on its plan: each ' +
      'execution hands over within the year',
    async () => {
      const { result, artifacts } = await run(file('plan-60-months'), { store: 'memory' });
      const l60 = account(result.accounts, 'L60');
      expect(l60).toMatchObject({ status: 'open', collected: 2_400_000 });
      expect(entries(l60, 'plan-broken')).toEqual([]);
      expect(artifacts.states.get('L60')?.plan?.planId).toBe('C1-PL1');
      // The local engine fails any execution past 365 days or 25,000 events, as AWS does: none did.
      expect(result.failures).toEqual([]);
      const executions = [...artifacts.stack.engine.executions.values()].filter((e) => e.accountId === 'L60');
      expect(executions.map((e) => e.name)).toEqual(['L60-C1', 'L60-C1-g1', 'L60-C1-g2']);
      for (const e of executions) expect(e.historyEvents).toBeLessThan(25_000);
      const starts = executions.map((e) => Date.parse(e.startedAt));
      for (let i = 1; i < starts.length; i += 1) expect(starts[i]! - starts[i - 1]!).toBeLessThanOrEqual(365 * DAY);
      // Reminders of each instalment went on through the handovers.
      expect(contacts(l60).filter((c) => ms(c.at) > ms('2027-06-01T00:00:00Z')).length).toBeGreaterThan(3);
    },
  );
});

describe('found by generated scenarios (npm run fuzz)', () => {
  it(
    "placed-with-agency-manual-call: a collector's call outside the queue to an account with the agency is " +
      'refused, not recorded',
    async () => {
      const { result } = await run(file('placed-with-agency-manual-call'));
      const g1 = account(result.accounts, 'G1');
      expect(entries(g1, 'placed')).toHaveLength(1);
      expect(contacts(g1)).toEqual([]);
      expect(result.rejected).toEqual([
        { index: 1, detailType: 'CallOutcomeRecorded', reason: expect.stringContaining('us-regf/placed-with-agency') },
      ]);
      expect(result.violations).toEqual([]);
    },
  );

  it(
    'execution-failed-placed-plan-past-365-days: an execution waiting months with the agency still hands over ' +
      'before a year',
    async () => {
      const { result, artifacts } = await run(file('execution-failed-placed-plan-past-365-days'), {
        store: 'memory',
        faultRate: 0.05,
        seed: 42,
      });
      expect(result.failures).toEqual([]);
      expect([...artifacts.stack.engine.executions.keys()].filter((name) => name.startsWith('F1-'))).toEqual([
        'F1-C1',
        'F1-C1-g1',
      ]);
      expect(result.violations).toEqual([]);
    },
  );

  it(
    "promise-pause-promise-during-plan: a promise while a plan runs is refused, so the plan's own reminders " +
      'are no reminder during a promise',
    async () => {
      const { result } = await run(file('promise-pause-promise-during-plan'), {
        store: 'memory',
        faultRate: 0.05,
        seed: 42,
      });
      expect(result.rejected).toEqual([
        {
          index: 3,
          detailType: 'PromiseToPayMade',
          reason: 'promiseId: plan C1-PL1 is running; its instalments fall due on their own dates',
        },
      ]);
      expect(entries(account(result.accounts, 'F1'), 'ptp-made')).toEqual([]);
      expect(result.violations).toEqual([]);
    },
  );

  it('first-contact-by-inbound-call: a call in is the first contact; our calls wait out the quiet week', async () => {
    const { result } = await run(file('first-contact-by-inbound-call'));
    const f3 = account(result.accounts, 'F3');
    expect(entries(f3, 'inbound-call')).toMatchObject([{ at: '2026-01-05T03:16:00.000Z', agentId: 'desk-1' }]);
    const calls = contacts(f3).filter((c) => c.channel === 'call');
    expect(calls[0]?.at).toBe('2026-01-12T13:00:00.000Z');
    expect(result.violations).toEqual([]);
  });

  it(
    'promise-unsettled-second-promise: a second promise while one is open is refused, and the first is ' +
      'kept or broken',
    async () => {
      const { result } = await run(file('promise-unsettled-second-promise'));
      const p2 = account(result.accounts, 'P2');
      expect(entries(p2, 'ptp-made').map((e) => e.promiseId)).toEqual(['PR1']);
      expect(entries(p2, 'ptp-broken').map((e) => e.promiseId)).toEqual(['PR1']);
      expect(result.rejected).toEqual([
        {
          index: 2,
          detailType: 'PromiseToPayMade',
          reason: 'promiseId: promise PR1 (due 2026-01-09) is still open; it is kept or broken first',
        },
      ]);
      expect(result.violations).toEqual([]);
    },
  );
});

describe('§3.8 escalation and charge-off', () => {
  it('climbs the ladder one level at a time, is placed with the agency, charges off at 180 days past due', async () => {
    const { result } = await run(file('ladder'));
    const n1 = account(result.accounts, 'N1');
    // With the agency the account waits for payments, a recall or charge-off: no legal review of our own.
    expect(entries(n1, 'escalated').map((e) => [e.level, e.to])).toEqual([
      [1, 'senior-collector'],
      [2, 'final-notice'],
      [3, 'agency'],
    ]);
    const placed = entries(n1, 'placed');
    expect(placed).toEqual([expect.objectContaining({ agency: 'northwind-recoveries' })]);
    expect(contacts(n1).filter((c) => ms(c.at) >= ms(placed[0]!.at))).toEqual([]);
    // The final-notice level sends the final notice letter (§8), right after the escalation.
    expect(entries(n1, 'letter')).toEqual([
      expect.objectContaining({ template: 'final-notice', documentKey: 'letters/N1/2026-01-FINAL-NOTICE.pdf' }),
    ]);
    expect(ms(entries(n1, 'letter')[0]!.at) - ms(entries(n1, 'escalated')[1]!.at)).toBeLessThan(3_600_000);
    // Due 2026-01-01; day 180 begins 2026-06-30 00:00 in Chicago.
    expect(n1).toMatchObject({ status: 'closed', closeReason: 'charged-off', closedAt: '2026-06-30T05:00:00.000Z' });
    expect(entries(n1, 'plan-offered').length).toBeGreaterThanOrEqual(1);
    expect(result.violations).toEqual([]);
  });
});

describe('duplicate and malformed events', () => {
  it('rejects each bad event with the field and what is wrong, and goes on', async () => {
    const { result } = await run(file('malformed'));
    expect(result.rejected.map((r) => [r.index, r.detailType])).toEqual([
      [1, 'AccountClosed'],
      [2, 'PaymentPosted'],
      [3, 'PaymentPosted'],
      [5, 'PlanAccepted'],
      [6, 'AccountDelinquent'],
      [7, 'PaymentPosted'],
      [8, 'PromiseToPayMade'],
      [9, 'CallOutcomeRecorded'],
      [10, 'PaymentPosted'],
    ]);
    const reasons = Object.fromEntries(result.rejected.map((r) => [r.index, r.reason]));
    expect(reasons[2]).toBe('source: PaymentPosted must come from bank.core, got "collections.customer"');
    expect(reasons[3]).toBe('accountId: no open collection cycle for NOPE');
    expect(reasons[5]).toBe('planId: "latest" but no plan has been offered to account M1 yet');
    expect(reasons[6]).toContain('customer.timezone: expected an IANA time zone');
    expect(reasons[7]).toBe('amount: expected integer > 0 (minor units), got number -5');
    expect(reasons[10]).toBe('currency: account M1 is in USD, payment is in EUR');
    // The duplicate AccountDelinquent (index 4) is not an error: it applies once.
    expect(result.accounts.map((a) => a.accountId)).toEqual(['M1']);
    expect(entries(account(result.accounts, 'M1'), 'payment')).toEqual([]);
  });

  it('applies a duplicated opt-out and call outcome once', async () => {
    const { result } = await run(file('opt-out'));
    expect(entries(account(result.accounts, 'O1'), 'opt-out').map((e) => e.channel)).toEqual(['sms', 'call']);
  });
});
