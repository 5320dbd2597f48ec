// One shard of a portfolio simulation, run in this thread in batches (run-batch.ts): what a worker runs, and what
// runSimulation runs itself with one worker.
import { portfolioOfShard, takeBatch } from './people';
import { mergeRuns } from './merge-runs';
import { runBatch, runStart } from './run-batch';
import { DEFAULT_BATCH_SIZE, type SimulationOptions, type SimulationRun } from './simulation-options';
import { ShardTrace } from './simulation-trace';

/** Which accounts a worker runs: those whose index modulo `of` is `index` (round robin spreads the profiles). */
export interface Shard {
  index: number;
  of: number;
}

/** Runs one shard of the portfolio in this thread, in batches of `batchSize` accounts, one after another. */
export const runShard = async (options: SimulationOptions, shard: Shard): Promise<SimulationRun> => {
  const started = performance.now();
  const start = runStart(options);
  const queue = portfolioOfShard(options, start, shard);
  const accounts = queue.length;
  const size = options.agents ? accounts : Math.max(1, options.batchSize ?? DEFAULT_BATCH_SIZE);
  const batches = Math.max(1, Math.ceil(accounts / size));
  const runs: SimulationRun[] = [];
  let closedBefore = 0;
  // One trace for the shard, open across its batches: each writes on as it goes.
  const trace = options.trace ? new ShardTrace(options.trace, shard) : undefined;
  try {
    for (let batch = 1; batch <= batches; batch += 1) {
      // Taken off the queue with the rest of its last person, so a finished batch's customers are let go with its
      // stack.
      const portfolio = takeBatch(queue, size);
      const done = (batch - 1) * size;
      const run = await runBatch(
        options,
        portfolio,
        (p) =>
          options.onProgress?.({
            ...p,
            accountDays: done * options.days + p.accountDays,
            totalAccountDays: accounts * options.days,
            closed: closedBefore + p.closed,
            accounts,
            batch,
            batches,
          }),
        trace,
      );
      closedBefore += run.tally.accounts - (run.tally.outcomes.open ?? 0);
      runs.push(run);
    }
  } finally {
    trace?.close();
  }
  return runs.length === 1 ? runs[0]! : mergeRuns(runs, options.accounts, (performance.now() - started) / 1000);
};
