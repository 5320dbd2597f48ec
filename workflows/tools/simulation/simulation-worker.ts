// One worker thread of a sharded simulation: runs its shard on its own local stack, passes the rows of
// finished accounts up in batches as it goes, and posts the shard's result.
import { parentPort, workerData } from 'node:worker_threads';
import type { AccountRow } from './account-row';
import { trustDefinition } from '../../twin/engine';
import { dropStackTracesUnlessTraced, runShard, type Shard, type SimulationOptions } from './run-simulation';

const { options, shard, definitionChecked } = workerData as {
  options: Omit<SimulationOptions, 'onProgress' | 'onAccount'>;
  shard: Shard;
  /** The parent checked the workflow's ASL before handing it over. */
  definitionChecked?: boolean;
};

dropStackTracesUnlessTraced(options);
if (definitionChecked && options.workflow) trustDefinition(options.workflow);

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
