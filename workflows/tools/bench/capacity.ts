// The capacity model: the load a simulated portfolio put on what AWS limits, scaled to a bank's size and
// set against the default quotas, to say which binds first.
//
// A simulation is a cohort: its accounts all go past due in its first two days. A bank's 1,000,000 delinquent accounts
// are a stock that changes every day, accounts coming in as others leave, so the steady day carries, for each thing
// counted, `stock × (its count per account) / (the days an account stays open)`. Within the day, the load falls as
// the run's pooled minute-of-day profile says (its busiest minute); within the minute, as its pooled second-of-minute
// profile says (every wake at hh:mm:00, or spread). The cohort's own busiest day, scaled, is the worst case: the
// whole stock going past due in two days.
import { LOAD_METRICS, type LoadMetric, type LoadTimeline } from '../../twin/load-timeline';

/** Default quotas of a large region (us-east-1), as documented; the token buckets as burst and refill a second. */
export const DEFAULT_QUOTAS = {
  lambdaConcurrency: 1000,
  stateTransitions: { burst: 5000, perSecond: 1500 },
  sendTaskSuccess: { burst: 3000, perSecond: 500 },
  /** Write units a second one partition takes; a DAILY# shard is one item, so one partition. */
  partitionWriteUnits: 1000,
} as const;

/** What the model assumes of AWS that a local run cannot measure. */
export interface CapacityAssumptions {
  /** Mean warm duration of an invocation, seconds (a few DynamoDB requests and at most one send). */
  invocationSeconds: number;
  /** Write units one DAILY# update costs: 2, as it is written in a transaction. */
  writeUnitsPerDailyUpdate: number;
}
export const DEFAULT_ASSUMPTIONS: CapacityAssumptions = { invocationSeconds: 0.25, writeUnitsPerDailyUpdate: 2 };

export interface LoadShape {
  /** Count over the whole run. */
  total: number;
  /** The busiest UTC day's count. */
  busiestDay: number;
  /** The busiest minute of the day's share of the day (pooled over every day). */
  minuteShare: number;
  /** The busiest second of the minute's share of the minute (pooled): 1/60 if spread evenly, 1 if all at :00. */
  secondShare: number;
}

const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);
const share = (values: readonly number[]) => (sum(values) === 0 ? 0 : Math.max(...values) / sum(values));

export const shapeOf = (load: LoadTimeline, metric: LoadMetric): LoadShape => ({
  total: sum(Object.values(load.byDay[metric])),
  busiestDay: Math.max(0, ...Object.values(load.byDay[metric])),
  minuteShare: share(load.byMinuteOfDay[metric]),
  secondShare: share(load.bySecondOfMinute[metric]),
});

export interface CapacityRow {
  measure: string;
  /** At the stock's steady state: the busiest second, and the busiest minute's mean a second. */
  peakSecond: number;
  minuteMeanPerSecond: number;
  /** The same if the whole stock went past due within two days, as the simulated cohort did. */
  cohortPeakSecond: number;
  quota: string;
  /** Share of the quota the steady state needs at its peak (1 = at the limit). */
  use: number;
  cohortUse: number;
  /** What to raise or reshape when it binds. */
  remedy: string;
}

export interface CapacityModel {
  accounts: number;
  /** The stock modelled (1,000,000 delinquent accounts). */
  stock: number;
  meanOpenDays: number;
  assumptions: CapacityAssumptions;
  rows: CapacityRow[];
  /** The row whose quota the steady state comes closest to (or beyond), and the stock at which it would bind. */
  bindsFirst: { measure: string; atStock: number };
  shapes: Record<LoadMetric, LoadShape>;
}

/** Use of a token bucket: the busiest second against the burst, the busiest minute's mean against the refill. */
const bucketUse = (peakSecond: number, minuteMean: number, bucket: { burst: number; perSecond: number }) =>
  Math.max(peakSecond / bucket.burst, minuteMean / bucket.perSecond);

/**
 * The capacity table for `stock` delinquent accounts from a simulation of `accounts` accounts that stayed open
 * `meanOpenDays` on average.
 */
export const capacityModel = (
  load: LoadTimeline,
  { accounts, meanOpenDays, stock = 1_000_000 }: { accounts: number; meanOpenDays: number; stock?: number },
  assumptions: CapacityAssumptions = DEFAULT_ASSUMPTIONS,
): CapacityModel => {
  const shapes = Object.fromEntries(LOAD_METRICS.map((m) => [m, shapeOf(load, m)])) as Record<LoadMetric, LoadShape>;
  /** Peak second and busiest minute's mean a second, steady and cohort, for a metric. */
  const peaks = (metric: LoadMetric) => {
    const s = shapes[metric];
    const steadyDay = (stock * s.total) / accounts / Math.max(1, meanOpenDays);
    const cohortDay = (stock * s.busiestDay) / accounts;
    const minute = (day: number) => day * s.minuteShare;
    return {
      peakSecond: minute(steadyDay) * s.secondShare,
      minuteMeanPerSecond: minute(steadyDay) / 60,
      cohortPeakSecond: minute(cohortDay) * s.secondShare,
      cohortMinuteMean: minute(cohortDay) / 60,
    };
  };
  const { invocationSeconds, writeUnitsPerDailyUpdate } = assumptions;
  const q = DEFAULT_QUOTAS;
  const lambda = peaks('invocations');
  const transitions = peaks('transitions');
  const callbacks = peaks('taskCallbacks');
  const daily = peaks('dailyWrites');
  // The hottest person's busiest second: a person's load is their own, so it does not grow with the stock.
  const personPeak = Math.max(
    0,
    ...Object.entries(load.personSecondWrites ?? {})
      .filter(([, times]) => times > 0)
      .map(([writes]) => Number(writes)),
  );
  // The busiest shard's share of DAILY# writes (1/8 if the account hash spreads them evenly).
  const shardShare = share(Object.values(load.dailyShards));
  const rows: CapacityRow[] = [
    {
      measure: 'Lambda concurrency',
      // Little's law: arrivals a second × seconds each.
      peakSecond: lambda.peakSecond * invocationSeconds,
      minuteMeanPerSecond: lambda.minuteMeanPerSecond * invocationSeconds,
      cohortPeakSecond: lambda.cohortPeakSecond * invocationSeconds,
      quota: `${q.lambdaConcurrency} concurrent (account)`,
      use: (lambda.peakSecond * invocationSeconds) / q.lambdaConcurrency,
      cohortUse: (lambda.cohortPeakSecond * invocationSeconds) / q.lambdaConcurrency,
      remedy: 'ask for more concurrency (a quota increase), or spread wakes over the seconds of the minute',
    },
    {
      measure: 'Step Functions state transitions /s',
      peakSecond: transitions.peakSecond,
      minuteMeanPerSecond: transitions.minuteMeanPerSecond,
      cohortPeakSecond: transitions.cohortPeakSecond,
      quota: `${q.stateTransitions.burst} burst, ${q.stateTransitions.perSecond}/s refill`,
      use: bucketUse(transitions.peakSecond, transitions.minuteMeanPerSecond, q.stateTransitions),
      cohortUse: bucketUse(transitions.cohortPeakSecond, transitions.cohortMinuteMean, q.stateTransitions),
      remedy: 'raise the StateTransition quota, or fewer states per loop (Diagnose and the step in one task)',
    },
    {
      measure: 'SendTaskSuccess /s',
      peakSecond: callbacks.peakSecond,
      minuteMeanPerSecond: callbacks.minuteMeanPerSecond,
      cohortPeakSecond: callbacks.cohortPeakSecond,
      quota: `${q.sendTaskSuccess.burst} burst, ${q.sendTaskSuccess.perSecond}/s refill`,
      use: bucketUse(callbacks.peakSecond, callbacks.minuteMeanPerSecond, q.sendTaskSuccess),
      cohortUse: bucketUse(callbacks.cohortPeakSecond, callbacks.cohortMinuteMean, q.sendTaskSuccess),
      remedy: "raise the quota; inbound events are the burst, paced by the intake's batch size and concurrency",
    },
    {
      measure: 'writes per DAILY# shard /s',
      peakSecond: daily.peakSecond * shardShare,
      minuteMeanPerSecond: daily.minuteMeanPerSecond * shardShare,
      cohortPeakSecond: daily.cohortPeakSecond * shardShare,
      quota: `${q.partitionWriteUnits} write units/s a partition (${writeUnitsPerDailyUpdate} per update)`,
      use: (daily.peakSecond * shardShare * writeUnitsPerDailyUpdate) / q.partitionWriteUnits,
      cohortUse: (daily.cohortPeakSecond * shardShare * writeUnitsPerDailyUpdate) / q.partitionWriteUnits,
      remedy: 'more shards (DAILY_FIGURES.shards; the report sums them)',
    },
    {
      measure: 'writes per PERSON# partition /s',
      peakSecond: personPeak,
      minuteMeanPerSecond: personPeak / 60,
      cohortPeakSecond: personPeak,
      quota: `${q.partitionWriteUnits} write units/s a partition (1 per ledger update)`,
      use: personPeak / q.partitionWriteUnits,
      cohortUse: personPeak / q.partitionWriteUnits,
      remedy: "none needed: a person's ledger takes a few writes a day, each its own customer's",
    },
  ];
  const first = rows.reduce((a, b) => (b.use > a.use ? b : a));
  return {
    accounts,
    stock,
    meanOpenDays,
    assumptions,
    rows,
    bindsFirst: { measure: first.measure, atStock: first.use > 0 ? stock / first.use : Infinity },
    shapes,
  };
};
