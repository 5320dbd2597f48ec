import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, addMonths, daysBetween, instantAt, isTimeZone, localParts } from '../../functions/domain/zoned-time';

describe('zoned time', () => {
  it('reads the local date and hour in the customer zone', () => {
    expect(localParts(new Date('2026-01-05T06:00:00Z'), 'America/Chicago')).toMatchObject({
      date: '2026-01-05',
      hour: 0,
    });
    expect(localParts(new Date('2026-01-05T05:59:00Z'), 'America/Chicago')).toMatchObject({
      date: '2026-01-04',
      hour: 23,
    });
  });

  it('finds 08:00 local on both sides of the spring-forward change (America/Chicago, 2026-03-08)', () => {
    expect(instantAt('2026-03-07', 8, 0, 'America/Chicago').toISOString()).toBe('2026-03-07T14:00:00.000Z');
    expect(instantAt('2026-03-08', 8, 0, 'America/Chicago').toISOString()).toBe('2026-03-08T13:00:00.000Z');
  });

  it('moves a wall time inside the spring-forward gap forward by the gap', () => {
    expect(instantAt('2026-03-08', 2, 30, 'America/Chicago').toISOString()).toBe('2026-03-08T08:30:00.000Z');
  });

  it('takes the first of a repeated fall-back wall time (2026-11-01 01:30 Chicago)', () => {
    expect(instantAt('2026-11-01', 1, 30, 'America/Chicago').toISOString()).toBe('2026-11-01T06:30:00.000Z');
  });

  it('handles zones at the date line: Kiritimati (+14) and Pago Pago (-11)', () => {
    const instant = new Date('2026-01-01T10:30:00Z');
    expect(localParts(instant, 'Pacific/Kiritimati').date).toBe('2026-01-02');
    expect(localParts(instant, 'Pacific/Pago_Pago').date).toBe('2025-12-31');
    expect(instantAt('2026-01-02', 0, 0, 'Pacific/Kiritimati').toISOString()).toBe('2026-01-01T10:00:00.000Z');
  });

  it('counts days across a leap day', () => {
    expect(daysBetween('2028-02-28', '2028-03-01')).toBe(2);
    expect(daysBetween('2027-02-28', '2027-03-01')).toBe(1);
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
  });

  it('adds months clamping to the last day of shorter months', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2028-01-31', 1)).toBe('2028-02-29');
    expect(addMonths('2026-11-15', 3)).toBe('2027-02-15');
  });

  it('recognises IANA zones and rejects made-up ones', () => {
    expect(isTimeZone('Asia/Shanghai')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
  });
});

describe('the cached wall clock (property)', () => {
  const ZONES = [
    'America/Chicago',
    'America/New_York',
    'Asia/Shanghai',
    'Australia/Lord_Howe',
    'America/St_Johns',
    'Asia/Kathmandu',
    'Pacific/Chatham',
    'Europe/London',
    'UTC',
  ];
  const intl = (zone: string, at: Date) => {
    const p: Record<string, string> = {};
    for (const { type, value } of new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    }).formatToParts(at))
      p[type] = value;
    return {
      date: `${p.year}-${p.month}-${p.day}`,
      hour: Number(p.hour),
      minute: Number(p.minute),
      second: Number(p.second),
    };
  };

  it('reads what Intl reads, for any instant in any zone, across DST changes and odd offsets', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ZONES),
        fc.integer({ min: Date.parse('2025-01-01T00:00:00Z'), max: Date.parse('2028-12-31T00:00:00Z') }),
        (zone, ms) => {
          expect(localParts(new Date(ms), zone)).toEqual(intl(zone, new Date(ms)));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('reads what Intl reads on both sides of a transition', () => {
    // Chicago springs forward at 08:00Z on 2026-03-08; Lord Howe moves half an hour at 15:00Z on 2026-04-04.
    for (const [zone, at] of [
      ['America/Chicago', '2026-03-08T08:00:00Z'],
      ['Australia/Lord_Howe', '2026-04-04T15:00:00Z'],
    ] as const) {
      for (const delta of [-60_000, -1000, 0, 1000, 60_000]) {
        const instant = new Date(Date.parse(at) + delta);
        expect(localParts(instant, zone), `${zone} ${instant.toISOString()}`).toEqual(intl(zone, instant));
      }
    }
  });
});

describe('the cached wall clock on transition days', () => {
  // The UTC days on which zones the packs' portfolios use change their clocks, and two that change off the hour.
  const TRANSITION_DAYS = [
    ['America/New_York', '2026-03-08'],
    ['America/New_York', '2026-11-01'],
    ['America/Chicago', '2026-03-08'],
    ['America/Los_Angeles', '2026-03-08'],
    ['America/Anchorage', '2026-11-01'],
    ['America/St_Johns', '2026-03-08'],
    ['Australia/Lord_Howe', '2026-04-04'],
  ] as const;
  const formats = new Map<string, Intl.DateTimeFormat>();
  /** The zone's offset at `ms` as Intl reads it, in milliseconds. */
  const intlOffset = (zone: string, ms: number) => {
    if (!formats.has(zone))
      formats.set(
        zone,
        new Intl.DateTimeFormat('en-US', {
          timeZone: zone,
          hourCycle: 'h23',
          year: 'numeric',
          month: '2-digit',
          day: '2-digit',
          hour: '2-digit',
          minute: '2-digit',
          second: '2-digit',
        }),
      );
    const p = formats.get(zone)!.formatToParts(new Date(ms));
    const v = (t: string) => Number(p.find((x) => x.type === t)!.value);
    return (
      Date.UTC(v('year'), v('month') - 1, v('day'), v('hour'), v('minute'), v('second')) - Math.floor(ms / 1000) * 1000
    );
  };

  it('reads what Intl reads at every minute of the day, second by second around the change', () => {
    expect(TRANSITION_DAYS.length).toBeGreaterThan(0);
    for (const [zone, day] of TRANSITION_DAYS) {
      const start = Date.parse(`${day}T00:00:00Z`);
      const offsets = new Set<number>();
      for (let ms = start; ms < start + 86_400_000; ms += 60_000) {
        const offset = intlOffset(zone, ms);
        offsets.add(offset);
        const wall = localParts(new Date(ms), zone);
        const expected = localParts(new Date(ms + offset), 'UTC');
        expect(wall, `${zone} ${new Date(ms).toISOString()}`).toEqual(expected);
        if (offset !== intlOffset(zone, ms + 60_000)) {
          for (let s = ms; s <= ms + 60_000; s += 500) {
            const instant = new Date(s);
            expect(localParts(instant, zone), `${zone} ${instant.toISOString()}`).toEqual(
              localParts(new Date(Math.floor(s / 1000) * 1000 + intlOffset(zone, s)), 'UTC'),
            );
          }
        }
      }
      expect(offsets.size, `${zone} changes its clock on ${day}`).toBe(2);
    }
  });

  it('finds every quarter hour of a transition day: the first of a repeated time, a skipped one moved on', () => {
    for (const [zone, day] of TRANSITION_DAYS) {
      const checked = { exists: 0, skipped: 0 };
      for (let minutes = 0; minutes < 24 * 60; minutes += 15) {
        const [hour, minute] = [Math.floor(minutes / 60), minutes % 60];
        const at = instantAt(day, hour, minute, zone).getTime();
        const wall = Date.parse(`${day}T00:00:00Z`) + minutes * 60_000;
        const reads = (ms: number) => ms + intlOffset(zone, ms) === wall;
        if (reads(at)) {
          checked.exists += 1;
          // No earlier instant within the largest change (an hour) reads the same wall time.
          for (let earlier = at - 3_600_000; earlier < at; earlier += 60_000) expect(reads(earlier)).toBe(false);
        } else {
          checked.skipped += 1;
          // In the gap: the wall time read with the offset from before the change.
          expect(at, `${zone} ${day} ${hour}:${minute}`).toBe(wall - intlOffset(zone, at - 86_400_000));
        }
      }
      expect(checked.exists).toBeGreaterThan(90);
    }
  });
});
