// The capacity model read with plain load timelines: a herd at one second binds where the same load spread does not.
import { describe, expect, it } from 'vitest';
import { capacityModel, DEFAULT_QUOTAS } from '../../workflows/tools/bench/capacity';
import {
  emptyLoad,
  noteDailyWrites,
  noteLoad,
  notePersonWrites,
  type LoadMetric,
} from '../../workflows/twin/load-timeline';

const DAY = 86_400_000;
const start = Date.parse('2026-01-05T00:00:00Z');
/** 1,000 accounts over 30 days, each waking once a day at `at(account, day)` with 3 invocations and 10 transitions. */
const loadOf = (at: (account: number, day: number) => number) => {
  const load = emptyLoad();
  const note = (metric: LoadMetric, times: number, when: number) => {
    for (let i = 0; i < times; i += 1) noteLoad(load, metric, when);
  };
  for (let day = 0; day < 30; day += 1)
    for (let account = 0; account < 1000; account += 1) {
      const when = at(account, day);
      note('invocations', 3, when);
      note('transitions', 10, when);
      noteDailyWrites(load, [`SHARD#0${account % 8}`], when);
    }
  return load;
};
const model = (at: (account: number, day: number) => number) =>
  capacityModel(loadOf(at), { accounts: 1000, meanOpenDays: 30 });
const row = (m: ReturnType<typeof model>, measure: string) => m.rows.find((r) => r.measure.startsWith(measure))!;

describe('the capacity model', () => {
  it('scales a steady day to the stock: the busiest second of a herd at 13:00:00 is the whole day', () => {
    const herd = model((_, day) => start + day * DAY + 13 * 3_600_000);
    // 1,000,000 accounts wake once a day, all in one second: 3,000,000 invocations then, a quarter second each.
    expect(row(herd, 'Lambda').peakSecond).toBeCloseTo(3_000_000 * 0.25, 6);
    expect(row(herd, 'Lambda').use).toBeCloseTo(750, 6);
    expect(row(herd, 'Step Functions').peakSecond).toBeCloseTo(10_000_000, 6);
    // The cohort's busiest day is a steady day here: every account is open every day.
    expect(row(herd, 'Lambda').cohortPeakSecond).toBeCloseTo(row(herd, 'Lambda').peakSecond, 6);
    // Eight shards share the writes evenly, two write units each.
    expect(row(herd, 'writes per DAILY#').peakSecond).toBeCloseTo(1_000_000 / 8, 6);
    expect(row(herd, 'writes per DAILY#').use).toBeCloseTo(
      ((1_000_000 / 8) * 2) / DEFAULT_QUOTAS.partitionWriteUnits,
      6,
    );
    expect(herd.bindsFirst.measure).toBe('Step Functions state transitions /s');
  });

  it('finds the same day spread over 12 hours, minute and second, far inside the quotas', () => {
    // Account i at second i × 43 of the 12 hours from 08:00: every second of the minute, every minute of the span.
    const spread = model((account, day) => start + day * DAY + 8 * 3_600_000 + ((account * 43) % 43_200) * 1000);
    const herd = model((_, day) => start + day * DAY + 13 * 3_600_000);
    expect(row(spread, 'Lambda').peakSecond).toBeLessThan(row(herd, 'Lambda').peakSecond / 10_000);
    for (const r of spread.rows) expect(r.use).toBeLessThan(1);
    expect(spread.bindsFirst.atStock).toBeGreaterThan(1_000_000);
  });

  it('counts only the days an account stays open: the same load over fewer open days is a busier steady day', () => {
    const load = loadOf((account, day) => start + day * DAY + 8 * 3_600_000 + ((account * 43) % 43_200) * 1000);
    const long = capacityModel(load, { accounts: 1000, meanOpenDays: 60 });
    const short = capacityModel(load, { accounts: 1000, meanOpenDays: 30 });
    expect(row(short, 'Lambda').peakSecond).toBeCloseTo(2 * row(long, 'Lambda').peakSecond, 6);
  });

  it("counts the person's ledger: its hottest second is one person's own, whatever the stock", () => {
    const load = loadOf((account, day) => start + day * DAY + account * 1000);
    const at = start + 13 * 3_600_000;
    // One person's three accounts take their places in the same second; another person's once, a second later.
    notePersonWrites(load, ['PERSON#C1'], at);
    notePersonWrites(load, ['PERSON#C1'], at + 10);
    notePersonWrites(load, ['PERSON#C1', 'ACCOUNT#A1'], at + 20);
    notePersonWrites(load, ['PERSON#C2'], at + 1000);
    const m = capacityModel(load, { accounts: 1000, meanOpenDays: 30 });
    expect(m.shapes.personWrites.total).toBe(4);
    expect(row(m, 'writes per PERSON# partition')).toMatchObject({
      peakSecond: 3,
      use: 3 / DEFAULT_QUOTAS.partitionWriteUnits,
    });
  });
});
