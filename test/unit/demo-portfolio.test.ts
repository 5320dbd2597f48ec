// The demo portfolio of `npm run serve`: spread over the lifecycle and over zones so that a collector has calls to
// make at whatever hour the service is launched.
import { describe, expect, it } from 'vitest';
import { daysPastDue } from '../../functions/domain/days-past-due';
import { localParts } from '../../functions/domain/zoned-time';
import { demoPortfolio } from '../../workflows/tools/cli/demo-portfolio';

const HOUR = 3_600_000;

describe('the demo portfolio', () => {
  for (const country of ['US', 'CN']) {
    it(`${country}: at every hour of the day its callable customers live where it is daytime, and have a phone`, () => {
      for (let h = 0; h < 24; h += 1) {
        const start = new Date(Date.parse('2026-12-03T00:20:00Z') + h * HOUR);
        const callable = demoPortfolio({ accounts: 10, country, start, seed: 1 }).filter((a) => a.callable);
        expect(callable.length).toBeGreaterThanOrEqual(4);
        for (const {
          event: { detail },
        } of callable) {
          const { hour } = localParts(start, detail.customer.timezone);
          expect(
            hour,
            `${detail.accountId} in ${detail.customer.timezone} at ${start.toISOString()}`,
          ).toBeGreaterThanOrEqual(9);
          expect(hour).toBeLessThan(19);
          expect(detail.customer.phone).toMatch(/^\+\d{8,15}$/);
        }
      }
    });
  }

  it('spreads ten accounts over the lifecycle, each stage at its days past due on launch day', () => {
    const start = new Date('2026-12-03T15:00:00Z');
    const demo = demoPortfolio({ accounts: 10, country: 'US', start, seed: 3 });
    const dpd = (i: number) =>
      daysPastDue(demo[i]!.event.detail.dueDate, start, demo[i]!.event.detail.customer.timezone);
    expect(demo.map((a) => a.stage)).toEqual(
      expect.arrayContaining([
        'B2, a call due',
        'B3, a call due',
        'B4, a call due',
        'with the agency',
        'on a plan',
        'a promise falling due today',
        'just past due',
      ]),
    );
    for (let i = 0; i < demo.length; i += 1) {
      const bucket = demo[i]!.stage.match(/^B(\d)/)?.[1];
      if (bucket) expect(Math.floor(dpd(i) / 30), demo[i]!.stage).toBe(Number(bucket) - 1);
    }
    expect(dpd(demo.findIndex((a) => a.stage === 'with the agency'))).toBeGreaterThanOrEqual(120);
    // Every account's delinquency arrives before launch; the customers' follow-ups between it and launch.
    for (const a of demo) {
      expect(a.delinquentAt).toBeLessThan(start.getTime());
      for (const f of a.followUps) expect(f.at).toBeGreaterThan(a.delinquentAt);
      for (const f of a.followUps) expect(f.at).toBeLessThan(start.getTime());
    }
    expect(demo.flatMap((a) => a.followUps.map((f) => f.action))).toEqual(
      expect.arrayContaining(['promise-due-today', 'plan-accepted', 'sms-opt-out']),
    );
  });

  it('holds people with two cards (docs/contract.md §11.1): one customer, one phone and zone, due together', () => {
    const start = new Date('2026-12-03T07:30:00Z');
    const demo = demoPortfolio({ accounts: 20, country: 'US', start, seed: 1 });
    const people = new Map<string, typeof demo>();
    for (const a of demo) {
      const id = a.event.detail.customer.customerId;
      if (id) people.set(id, [...(people.get(id) ?? []), a]);
    }
    expect([...people.values()].map((cards) => cards.length)).toEqual([2, 2]);
    for (const [first, second] of people.values()) {
      expect(second!.event.detail.customer).toEqual(first!.event.detail.customer);
      expect(second!.event.detail.dueDate).toBe(first!.event.detail.dueDate);
      expect([first!.callable, second!.callable]).toEqual([true, true]);
    }
  });

  it('is the same for the same options', () => {
    const options = { accounts: 25, country: 'CN', start: new Date('2026-12-03T03:00:00Z'), seed: 7 };
    expect(demoPortfolio(options)).toEqual(demoPortfolio(options));
  });
});
