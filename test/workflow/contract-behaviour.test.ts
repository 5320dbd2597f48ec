// docs/contract.md §3.6 onward, item by item, on the scenarios in test/scenarios, through the real local stack
// (§3.1–3.5: contract-contact.test.ts).
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { POLICY_PACKS } from '../../policies/built-in-packs';
import { account, contacts, DAY, entries, ms, OUR_SCENARIOS, run as runOn } from '../support/scenarios';
import type { RunOptions } from '../../workflows/tools/scenario/run-scenario';

const file = (name: string) => path.join(OUR_SCENARIOS, `${name}.json`);
/**
 * On the in-process store, proven the same as DynamoDB's by the store contract tests: these rules are the workflow's,
 * and the example scenarios, the lifecycle and robustness tests take the DynamoDB Local path.
 */
const run = (name: string, options: RunOptions = {}) => runOn(name, { store: 'memory', ...options });

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
    // Second instalment due 2026-04-02; day 11 late starts 2026-04-13 00:00 in Chicago, acted on at L2's own moment
    // in that day's first hour (00:22:42; docs/contract.md §10.5).
    expect(entries(l2, 'plan-broken')).toEqual([
      expect.objectContaining({ at: '2026-04-13T05:22:42.000Z', daysLate: 11 }),
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
    'plan-offer-by-45-dispute-ends-after-deadline: an account that arrives at 44 days past due disputed is ' +
      'offered its plan once the dispute ends, and the checker allows it the days it had',
    async () => {
      const { result } = await run(file('plan-offer-by-45-dispute-ends-after-deadline'), {
        faultRate: 0.05,
        seed: 31_337,
      });
      const f1 = account(result.accounts, 'F1');
      const resolved = entries(f1, 'dispute-resolved')[0]!;
      const offer = entries(f1, 'plan-offered')[0]!;
      expect(ms(offer.at)).toBeGreaterThan(ms(resolved.at));
      expect(ms(offer.at) - ms(resolved.at)).toBeLessThan(DAY);
      expect(result.violations).toEqual([]);
    },
  );

  it(
    "placed-with-agency-manual-call: a collector's call outside the queue to an account with the agency is " +
      'refused, not recorded',
    async () => {
      const { result } = await run(file('placed-with-agency-manual-call'));
      const g1 = account(result.accounts, 'G1');
      const [placed] = entries(g1, 'placed');
      // Nothing after placement; before it, the plan and the settlement that go ahead of the agency (§3.16).
      expect(contacts(g1).filter((c) => ms(c.at) >= ms(placed!.at))).toEqual([]);
      expect(contacts(g1).map((c) => c.template)).toEqual(['plan-offer', 'settlement-offer']);
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
    // At the account's own time (docs/contract.md §10.5): the hour it called in (22:16 in New York, so the window's
    // last).
    expect(calls[0]?.at).toBe('2026-01-13T01:26:35.000Z');
    expect(result.violations).toEqual([]);
  });

  it(
    'plan-offer-by-45-owed-on-arrival: an account at 39 days past due, calls only, is offered its plan at once, ' +
      "not at its own time after a conversation's quiet week has shut the calls",
    async () => {
      const { result } = await run(file('plan-offer-by-45-owed-on-arrival'));
      const f1 = account(result.accounts, 'F1');
      // It arrives at 00:01Z (11:01 in Sydney); the collector's conversation at 00:02Z starts the quiet week.
      expect(entries(f1, 'plan-offered')).toMatchObject([{ at: '2026-01-05T00:01:00.000Z' }]);
      expect(result.violations).toEqual([]);
    },
  );

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
    // Due 2026-01-01; day 180 begins 2026-06-30 00:00 in Chicago (N1 wakes at 00:22:41, its own moment of the hour).
    expect(n1).toMatchObject({ status: 'closed', closeReason: 'charged-off', closedAt: '2026-06-30T05:22:41.000Z' });
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
