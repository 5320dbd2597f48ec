// docs/contract.md §3.1–3.5 on the real local stack: first contact, what a reminder states, cure, hours, caps, stops.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_STRATEGY, type Strategy } from '../../functions/domain/strategy';
import {
  account,
  contacts,
  DAY,
  entries,
  localHour,
  ms,
  OUR_SCENARIOS,
  run as runOn,
  loadScenario,
} from '../support/scenarios';
import type { RunOptions } from '../../workflows/tools/scenario/run-scenario';

const file = (name: string) => path.join(OUR_SCENARIOS, `${name}.json`);
/**
 * On the in-process store, proven the same as DynamoDB's by the store contract tests: these rules are the workflow's,
 * and the example scenarios, the lifecycle and robustness tests take the DynamoDB Local path.
 */
const run = (name: string, options: RunOptions = {}) => runOn(name, { store: 'memory', ...options });

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
