// Runs a synthetic portfolio through the local stack on the virtual clock: the synthesized state machine,
// the deployed handlers, in-process adapters or DynamoDB Local and local SES, with simulated customers.
// Accounts never interact, so a run can be sharded across worker threads and merged: same seed, same
// outcome per account, whatever the number of workers. Results stream: each account is read once when it
// finishes, adds its share to the KPI tally and its row to accounts.csv, and is let go, so a run's memory
// follows the accounts still open rather than every record ever written.
import { Worker } from 'node:worker_threads';
import type { AccountRow } from './account-row';
import { joinShardTraces } from './simulation-trace';
import type { Progress, SimulationOptions, SimulationRun } from './simulation-options';
import { combineProgress, mergeRuns } from './merge-runs';
import { workerBundle } from './worker-bundle';
import { loadWorkflow } from '../../twin/synthesized-workflow';

export { DEFAULT_BATCH_SIZE, type Progress, type SimulationOptions, type SimulationRun } from './simulation-options';
export type { SimulatedAccount } from './simulated-account';
export { combineProgress, mergeRuns } from './merge-runs';

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
  if (workers > 1) return runInWorkers(options, workers);
  // Loaded only to run here: with workers, this thread never loads the stack (about 2 s of start-up).
  const { runShard } = await import('./run-shard');
  return runShard(options, { index: 0, of: 1 });
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
  // The workers run a bundle, which cannot synthesize the workflow: this thread hands it to them. The first checks its
  // ASL, the others take it as checked: checked once, in a thread that loads the interpreter anyway.
  const [script, workflow] = await Promise.all([workerBundle(), rest.workflow ?? loadWorkflow(options.pack)]);
  const latest: (Progress | undefined)[] = Array.from({ length: workers }, () => undefined);
  const runs = await Promise.all(
    Array.from(
      { length: workers },
      (_, index) =>
        new Promise<SimulationRun>((resolve, reject) => {
          const worker = new Worker(script, {
            workerData: {
              options: { ...rest, workflow },
              shard: { index, of: workers },
              checksDefinition: index === 0,
            },
            // Not this thread's: its tsx would put every module the bundle imports through its hooks.
            execArgv: [],
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
