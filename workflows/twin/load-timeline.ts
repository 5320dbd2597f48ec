// When, in virtual time, a local run loads what AWS limits: Lambda invocations, state transitions, task callbacks
// (SendTaskSuccess), writes to the report's DAILY# shard items and to the people's PERSON# partitions. Kept small
// whatever the run's length (by day, by minute of the UTC day and by second of the minute, all runs pooled), so worker
// threads add theirs up, and read by the capacity model (workflows/tools/bench/capacity.ts).

export const LOAD_METRICS = ['invocations', 'transitions', 'taskCallbacks', 'dailyWrites', 'personWrites'] as const;
export type LoadMetric = (typeof LOAD_METRICS)[number];

export interface LoadTimeline {
  /** Counts by UTC date (YYYY-MM-DD). */
  byDay: Record<LoadMetric, Record<string, number>>;
  /** Counts by minute of the UTC day (1,440), every day pooled: where in the day the load falls. */
  byMinuteOfDay: Record<LoadMetric, number[]>;
  /** Counts by second of the minute (60), pooled: how much of a minute's load lands in one second. */
  bySecondOfMinute: Record<LoadMetric, number[]>;
  /** DAILY# writes by shard (its sort key): how evenly the shards share them. */
  dailyShards: Record<string, number>;
  /**
   * Writes to one PERSON# partition within one virtual second, as a histogram: how often a person's partition took
   * its n-th write in a second (the largest n is the hottest person's second). Absent in loads before people.
   */
  personSecondWrites?: Record<string, number>;
}

const perMetric = <T>(make: () => T): Record<LoadMetric, T> =>
  Object.fromEntries(LOAD_METRICS.map((m) => [m, make()])) as Record<LoadMetric, T>;

export const emptyLoad = (): LoadTimeline => ({
  byDay: perMetric(() => ({})),
  byMinuteOfDay: perMetric(() => Array.from({ length: 1440 }, () => 0)),
  bySecondOfMinute: perMetric(() => Array.from({ length: 60 }, () => 0)),
  dailyShards: {},
  personSecondWrites: {},
});

/** The UTC date of the day last counted in, by its number: the virtual clock counts a day's load before the next. */
let lastDay = { number: Number.NaN, date: '' };

const utcDate = (at: number): string => {
  const number = Math.floor(at / 86_400_000);
  if (number !== lastDay.number) lastDay = { number, date: new Date(at).toISOString().slice(0, 10) };
  return lastDay.date;
};

/** Each load's count of the current second's writes per PERSON# partition (not part of the load: it is summed). */
const personSeconds = new WeakMap<LoadTimeline, Map<string, { second: number; writes: number }>>();

/** Counts writes to PERSON# partitions (the person's ledger, facts and splits) at virtual time `at`. */
export const notePersonWrites = (load: LoadTimeline, partitions: readonly string[], at: number): void => {
  const seconds = personSeconds.get(load) ?? new Map<string, { second: number; writes: number }>();
  personSeconds.set(load, seconds);
  const second = Math.floor(at / 1000);
  for (const pk of partitions) {
    if (!pk.startsWith('PERSON#')) continue;
    noteLoad(load, 'personWrites', at);
    const last = seconds.get(pk);
    const writes = last?.second === second ? last.writes + 1 : 1;
    seconds.set(pk, { second, writes });
    const histogram = (load.personSecondWrites ??= {});
    histogram[writes] = (histogram[writes] ?? 0) + 1;
  }
};

/** Counts one `metric` at virtual time `at` (epoch ms). */
export const noteLoad = (load: LoadTimeline, metric: LoadMetric, at: number): void => {
  const day = utcDate(at);
  const days = load.byDay[metric];
  days[day] = (days[day] ?? 0) + 1;
  const secondOfDay = Math.floor((((at % 86_400_000) + 86_400_000) % 86_400_000) / 1000);
  load.byMinuteOfDay[metric][Math.floor(secondOfDay / 60)]! += 1;
  load.bySecondOfMinute[metric][secondOfDay % 60]! += 1;
};

/** Counts writes to DAILY# shard items (by their sort keys) at virtual time `at`. */
export const noteDailyWrites = (load: LoadTimeline, shards: readonly string[], at: number): void => {
  for (const shard of shards) {
    noteLoad(load, 'dailyWrites', at);
    load.dailyShards[shard] = (load.dailyShards[shard] ?? 0) + 1;
  }
};
