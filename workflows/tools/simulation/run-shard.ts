// One shard of a portfolio simulation, run in this thread in batches (run-batch.ts): what a worker runs, and what
// runSimulation runs itself with one worker.
import { generatePortfolio } from './portfolio';
import { mergeRuns } from './merge-runs';
import { runBatch, runStart } from './run-batch';
import { DEFAULT_BATCH_SIZE, type SimulationOptions, type SimulationRun } from './simulation-options';

/** Which accounts a worker runs: those whose index modulo `of` is `index` (round robin spreads the profiles). */
export interface Shard {
  index: number;
  of: number;
}

/** Runs one shard of the portfolio in this thread, in batches of `batchSize` accounts, one after another. */
export const runShard = async (options: SimulationOptions, shard: Shard): Promise<SimulationRun> => {
  const started = performance.now();
  const start = runStart(options);
  const queue = generatePortfolio({
    accounts: options.accounts,
    country: options.pack.country,
    start,
    seed: options.seed,
  }).filter((account) => account.index % shard.of === shard.index);
  const accounts = queue.length;
  const size = options.agents ? accounts : Math.max(1, options.batchSize ?? DEFAULT_BATCH_SIZE);
  const batches = Math.max(1, Math.ceil(accounts / size));
  const runs: SimulationRun[] = [];
  let closedBefore = 0;
  for (let batch = 1; batch <= batches; batch += 1) {
    // Taken off the queue, so a finished batch's customers are let go with its stack.
    const portfolio = queue.splice(0, size);
    const done = (batch - 1) * size;
    const run = await runBatch(options, portfolio, (p) =>
      options.onProgress?.({
        ...p,
        accountDays: done * options.days + p.accountDays,
        totalAccountDays: accounts * options.days,
        closed: closedBefore + p.closed,
        accounts,
        batch,
        batches,
      }),
    );
    closedBefore += run.tally.accounts - (run.tally.outcomes.open ?? 0);
    runs.push(run);
  }
  return runs.length === 1 ? runs[0]! : mergeRuns(runs, options.accounts, (performance.now() - started) / 1000);
};
