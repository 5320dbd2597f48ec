// An account's own time of day for contact (docs/contract.md §10.5).
import { describe, expect, it } from 'vitest';
import { ownClock, ownContactTime, spreadDayStart } from '../../functions/domain/contact-time';
import { localParts } from '../../functions/domain/zoned-time';
import { POLICY_PACKS } from '../../policies/built-in-packs';
import { anAccount, at } from '../support/fixtures';

const us = POLICY_PACKS['us-regf'];
const cn = POLICY_PACKS.cn;

describe("an account's own time of day", () => {
  it('is drawn from its id, the same every time, within the allowed hours of either pack', () => {
    for (const pack of [us, cn]) {
      for (let i = 0; i < 500; i += 1) {
        const account = anAccount({ accountId: `ACC-${i}` });
        const own = ownContactTime(account, pack);
        expect(own).toEqual(ownContactTime(account, pack));
        expect(own.hour).toBeGreaterThanOrEqual(pack.contactHours.fromHour);
        expect(own.hour).toBeLessThan(pack.contactHours.untilHour);
        expect(own.minute).toBeGreaterThanOrEqual(0);
        expect(own.minute).toBeLessThan(60);
      }
    }
  });

  it('spreads 10,000 accounts over every allowed hour, none with more than a tenth of them', () => {
    const byHour = new Map<number, number>();
    for (let i = 0; i < 10_000; i += 1) {
      const { hour } = ownContactTime(anAccount({ accountId: `${(i * 7919).toString(36).toUpperCase()}-${i}` }), us);
      byHour.set(hour, (byHour.get(hour) ?? 0) + 1);
    }
    const { fromHour, untilHour } = us.contactHours;
    expect([...byHour.keys()].sort((a, b) => a - b)).toEqual(
      Array.from({ length: untilHour - fromHour }, (_, i) => fromHour + i),
    );
    expect(Math.max(...byHour.values())).toBeLessThan(1_000);
  });

  it('is the local hour of the last right-party contact, kept within the allowed hours', () => {
    const talked = (at: string) => anAccount({ history: { lastRightPartyAt: at } });
    // 10:15 in Chicago (CST).
    expect(ownContactTime(talked('2026-01-05T16:15:00Z'), us).hour).toBe(10);
    // An inbound call at 06:30 local counts as the window's first hour, one at 22:10 as its last.
    expect(ownContactTime(talked('2026-01-05T12:30:00Z'), us).hour).toBe(8);
    expect(ownContactTime(talked('2026-01-06T04:10:00Z'), us).hour).toBe(20);
  });

  it('puts a contact due earlier in the day off to that time, and never one due later to the next day', () => {
    const account = anAccount();
    const { atOwnTime } = ownClock(account, { hour: 16, minute: 47, second: 4 });
    expect(new Date(atOwnTime(Date.parse('2026-01-05T06:00:00Z'))).toISOString()).toBe('2026-01-05T22:47:04.000Z');
    const late = Date.parse('2026-01-05T23:30:00Z');
    expect(atOwnTime(late)).toBe(late);
    // The day clocks go forward in Chicago: still 16:47 local.
    const spring = atOwnTime(Date.parse('2026-03-08T07:00:00Z'));
    expect(localParts(new Date(spring), 'America/Chicago')).toMatchObject({ date: '2026-03-08', hour: 16, minute: 47 });
    expect(at('2026-03-08T21:47:04Z').getTime()).toBe(spring);
  });

  it("moves a wake-up at a local day's start to the account's own second in its first hour, and nothing else", () => {
    const midnight = Date.parse('2026-01-16T06:00:00Z'); // 00:00 in Chicago
    const seconds = new Map<number, number>();
    for (let i = 0; i < 10_000; i += 1) {
      const moved = spreadDayStart(anAccount({ accountId: `ACC-${i}` }), midnight);
      expect(moved - midnight).toBeGreaterThanOrEqual(0);
      expect(moved - midnight).toBeLessThan(3_600_000);
      seconds.set(moved - midnight, (seconds.get(moved - midnight) ?? 0) + 1);
    }
    // 10,000 accounts over 3,600 seconds: as evenly as chance spreads them (about 3,380 seconds taken), none crowded.
    expect(seconds.size).toBeGreaterThan(3_300);
    expect(Math.max(...seconds.values())).toBeLessThan(15);
    const account = anAccount();
    expect(spreadDayStart(account, midnight)).toBe(spreadDayStart(account, midnight));
    // Midnight in Shanghai is not midnight in Chicago; a minute past is not the day's start.
    expect(spreadDayStart(account, Date.parse('2026-01-15T16:00:00Z'))).toBe(Date.parse('2026-01-15T16:00:00Z'));
    expect(spreadDayStart(account, midnight + 60_000)).toBe(midnight + 60_000);
  });
});
