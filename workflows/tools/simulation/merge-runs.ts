// A run sharded across worker threads, put back together: its results and its progress as one.
import { addUp } from './add-up';
import type { Progress, SimulationRun } from './simulation-options';

/** One run from the shards' runs: tallies, usage and checks added up, kept accounts back in portfolio order. */
export const mergeRuns = (runs: SimulationRun[], accounts: number, seconds: number): SimulationRun => {
  const [first, ...others] = runs;
  if (!first) throw new Error('mergeRuns: no shard ran');
  const order = (id: string) => Number(id.replace(/\D/g, ''));
  const sum = <T extends object>(pick: (r: SimulationRun) => T): T =>
    others.reduce((total, r) => addUp(total, pick(r)), structuredClone(pick(first)));
  return {
    options: { ...first.options, accounts },
    tally: sum((r) => r.tally),
    ...(first.people ? { people: sum((r) => r.people!) } : {}),
    accounts: runs.flatMap((r) => r.accounts).sort((a, b) => order(a.state.accountId) - order(b.state.accountId)),
    violations: runs.flatMap((r) => r.violations),
    usage: sum((r) => r.usage),
    consistency: sum((r) => r.consistency),
    seconds,
  };
};

/** The progress of the shards as one: their sums, and the batch and day of the one furthest behind. */
export const combineProgress = (parts: Progress[]): Progress => {
  const behind = parts.reduce((a, b) => (b.batch < a.batch || (b.batch === a.batch && b.day < a.day) ? b : a));
  const total = (pick: (p: Progress) => number) => parts.reduce((n, p) => n + pick(p), 0);
  return {
    accountDays: total((p) => p.accountDays),
    totalAccountDays: total((p) => p.totalAccountDays),
    closed: total((p) => p.closed),
    accounts: total((p) => p.accounts),
    batch: behind.batch,
    batches: Math.max(...parts.map((p) => p.batches)),
    day: behind.day,
    days: behind.days,
  };
};
