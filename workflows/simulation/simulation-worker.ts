// One worker thread of a sharded simulation: runs its shard on its own local stack and posts the result.
import { parentPort, workerData } from 'node:worker_threads';
import { runShard, type Shard, type SimulationOptions } from './run-simulation';

const { options, shard } = workerData as { options: Omit<SimulationOptions, 'onProgress'>; shard: Shard };

runShard({ ...options, onProgress: (progress) => parentPort!.postMessage({ type: 'progress', progress }) }, shard)
  .then((run) => parentPort!.postMessage({ type: 'done', run }))
  .catch((error: Error) => parentPort!.postMessage({ type: 'failed', error: error.stack ?? error.message }));
