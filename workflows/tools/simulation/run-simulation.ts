// Runs a synthetic portfolio through the local stack on the virtual clock: the synthesized state machine,
// the deployed handlers, in-process adapters or DynamoDB Local and local SES, with simulated customers.
// Accounts never interact, so a run can be sharded across worker threads and merged: same seed, same
// outcome per account, whatever the number of workers. Results stream: each account is read once when it
// finishes, adds its share to the KPI tally and its row to accounts.csv, and is let go, so a run's memory
// follows the accounts still open rather than every record ever written.
import { Worker } from 'node:worker_threads';
import type { AccountRow } from './account-row';
import { portfolioOfShard, takeBatch } from './people';
import { runBatch, runStart } from './run-batch';
import { DEFAULT_BATCH_SIZE, type Progress, type SimulationOptions, type SimulationRun } from './simulation-options';
import { combineProgress, mergeRuns } from './merge-runs';
import { joinShardTraces, ShardTrace } from './simulation-trace';

export { DEFAULT_BATCH_SIZE, type Progress, type SimulationOptions, type SimulationRun } from './simulation-options';
export type { SimulatedAccount } from './simulated-account';
export { combineProgress, mergeRuns } from './merge-runs';

/** Which accounts a worker runs: those whose index modulo `of` is `index` (round robin spreads the profiles). */
export interface Shard {
  index: number;
  of: number;
}

/**
 * The Step Functions interpreter's JSONPath library (jsonpath-plus) throws an Error to hand back every
 * scalar result, and V8 collects a stack for each: about a tenth of a run's CPU. A thread that runs a
 * simulation with no trace keeps no stacks, so its errors carry their message alone; `--trace` keeps them.
 */
export const dropStackTracesUnlessTraced = (options: Pick<SimulationOptions, 'trace'>): void => {
  if (!options.trace) Error.stackTraceLimit = 0;
};

export const runSimulation = async (options: SimulationOptions): Promise<SimulationRun> => {
  // One team works one queue: a limited team runs every account in one thread.
  const workers = options.agents ? 1 : Math.max(1, Math.min(options.workers ?? 1, options.accounts));
  return workers === 1 ? runShard(options, { index: 0, of: 1 }) : runInWorkers(options, workers);
};

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
      // Taken off the queue, so a finished batch's customers are let go with its stack.
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

type FromWorker =
  | { type: 'progress'; progress: Progress }
  | { type: 'accounts'; rows: AccountRow[] }
  | { type: 'done'; run: SimulationRun }
  | { type: 'failed'; error: string };

/** Shards the portfolio across worker threads, each with its own stack, and merges what they return. */
const runInWorkers = async (options: SimulationOptions, workers: number): Promise<SimulationRun> => {
  const started = performance.now();
  const { onProgress, onAccount, inspect: _inspect, ...rest } = options;
  const latest: (Progress | undefined)[] = Array.from({ length: workers }, () => undefined);
  const runs = await Promise.all(
    Array.from(
      { length: workers },
      (_, index) =>
        new Promise<SimulationRun>((resolve, reject) => {
          // Workers load TypeScript through tsx, as every script here does.
          const worker = new Worker(new URL('./simulation-worker.ts', import.meta.url), {
            workerData: { options: rest, shard: { index, of: workers } },
            execArgv: ['--import', 'tsx'],
          });
          worker.on('message', (message: FromWorker) => {
            if (message.type === 'progress') {
              latest[index] = message.progress;
              if (onProgress && latest.every(Boolean)) onProgress(combineProgress(latest as Progress[]));
            } else if (message.type === 'accounts') {
              if (onAccount) for (const row of message.rows) onAccount(row);
            } else if (message.type === 'done') {
              resolve(message.run);
              void worker.terminate();
            } else {
              reject(new Error(`simulation worker ${index}: ${message.error}`));
            }
          });
          worker.on('error', reject);
          worker.on('exit', (code) => {
            if (code !== 0) reject(new Error(`simulation worker ${index} exited with ${code}`));
          });
        }),
    ),
  );
  if (options.trace) await joinShardTraces(options.trace, workers);
  return mergeRuns(runs, options.accounts, (performance.now() - started) / 1000);
};
