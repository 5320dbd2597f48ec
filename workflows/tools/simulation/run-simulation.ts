// Runs a synthetic portfolio through the local stack on the virtual clock: the synthesized state machine,
// the deployed handlers, in-process adapters or DynamoDB Local and local SES, with simulated customers.
// Accounts never interact, so a run can be sharded across worker threads and merged: same seed, same
// outcome per account, whatever the number of workers. Results stream: each account is read once when it
// finishes, adds its share to the KPI tally and its row to accounts.csv, and is let go, so a run's memory
// follows the accounts still open rather than every record ever written.
import { Worker } from 'node:worker_threads';
import type { AccountRow } from './account-row';
import { generatePortfolio } from './portfolio';
import { runBatch, runStart } from './run-batch';
import { DEFAULT_BATCH_SIZE, type Progress, type SimulationOptions, type SimulationRun } from './simulation-options';
import { combineProgress, mergeRuns } from './merge-runs';
import { workerBundle } from './worker-bundle';
import { loadWorkflow } from '../../twin/synthesized-workflow';
import { checkDefinition } from '../../twin/engine';

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
export const dropStackTracesUnlessTraced = (options: Pick<SimulationOptions, 'keepHistory'>): void => {
  if (!options.keepHistory) Error.stackTraceLimit = 0;
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

type FromWorker =
  | { type: 'progress'; progress: Progress }
  | { type: 'accounts'; rows: AccountRow[] }
  | { type: 'done'; run: SimulationRun }
  | { type: 'failed'; error: string };

/** Shards the portfolio across worker threads, each with its own stack, and merges what they return. */
const runInWorkers = async (options: SimulationOptions, workers: number): Promise<SimulationRun> => {
  const started = performance.now();
  const { onProgress, onAccount, inspect: _inspect, ...rest } = options;
  // The workers run a bundle, which cannot synthesize the workflow: this thread hands it to them, its ASL checked once
  // here while esbuild builds the bundle rather than in every worker.
  const bundle = workerBundle();
  const workflow = rest.workflow ?? (await loadWorkflow(options.pack));
  checkDefinition(workflow);
  const script = await bundle;
  const latest: (Progress | undefined)[] = Array.from({ length: workers }, () => undefined);
  const runs = await Promise.all(
    Array.from(
      { length: workers },
      (_, index) =>
        new Promise<SimulationRun>((resolve, reject) => {
          const worker = new Worker(script, {
            workerData: { options: { ...rest, workflow }, shard: { index, of: workers }, definitionChecked: true },
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
  return mergeRuns(runs, options.accounts, (performance.now() - started) / 1000);
};
