// One worker thread of a sharded simulation: runs its shard on its own local stack, passes the rows of
// finished accounts up in batches as it goes, and posts the shard's result.
import { parentPort, workerData } from 'node:worker_threads';
import type { AccountRow } from './account-row';
import { checkDefinition, trustDefinition } from '../../twin/engine';
import { dropStackTracesUnlessTraced, type SimulationOptions } from './run-simulation';
import { runShard, type Shard } from './run-shard';

const { options, shard, checksDefinition } = workerData as {
  options: Omit<SimulationOptions, 'onProgress' | 'onAccount'>;
  shard: Shard;
  /** This worker checks the workflow's ASL; its siblings take it as checked (a bad one fails the run either way). */
  checksDefinition?: boolean;
};

dropStackTracesUnlessTraced(options);
if (options.workflow) (checksDefinition ? checkDefinition : trustDefinition)(options.workflow);

/** Rows go up in batches: one message per account would cost more than the account's row. */
const BATCH = 200;
let rows: AccountRow[] = [];
const flush = () => {
  if (rows.length > 0) parentPort!.postMessage({ type: 'accounts', rows });
  rows = [];
};

runShard(
  {
    ...options,
    onProgress: (progress) => {
      flush();
      parentPort!.postMessage({ type: 'progress', progress });
    },
    onAccount: (row) => {
      rows.push(row);
      if (rows.length >= BATCH) flush();
    },
  },
  shard,
)
  .then((run) => {
    flush();
    parentPort!.postMessage({ type: 'done', run });
  })
  .catch((error: Error) => parentPort!.postMessage({ type: 'failed', error: error.stack ?? error.message }));
