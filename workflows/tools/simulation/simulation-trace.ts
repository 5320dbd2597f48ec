// The simulation's trace (--trace <dir>), written as the run goes: `executions.jsonl` (inputs and full histories,
// each execution as it ends), `logs.jsonl` and `events-out.jsonl`. A shard writes its own part of each file, so no
// thread holds another's lines; the parts are joined in shard order at the end, so a seed and a number of workers
// give the same files, as they did when the trace was gathered whole and written at the end. Only the histories of
// executions still running are held, as JSON text (a few times smaller than the objects), until each one ends.
import { createReadStream, createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { HistoryEvent } from '../../twin/engine';
import type { ExecutionRecord } from '../../twin/execution-limits';
import type { OutboundEvent } from '../../twin/outputs';
import type { LogLine } from '../../twin/recorders';
import { TraceFile, type TraceSink } from '../scenario/trace-file';

export const TRACE_FILES = ['executions.jsonl', 'logs.jsonl', 'events-out.jsonl'] as const;
type TraceFileName = (typeof TRACE_FILES)[number];

/** Which shard writes, of how many (run-simulation.ts's Shard). */
interface ShardOf {
  index: number;
  of: number;
}

/** Where a shard writes a file: the file itself when it is the only shard, its part otherwise. */
const partOf = (dir: string, name: TraceFileName, shard: ShardOf): string =>
  path.join(dir, shard.of === 1 ? name : `${name}.part-${shard.index}`);

/** Stands for an execution's history in its line, until the history is put there (no record's string holds a NUL). */
const HISTORY_MARK = '\u0000history';

/** One shard's trace: its files stay open across its batches, one after another. */
export class ShardTrace implements TraceSink {
  private readonly files: Record<TraceFileName, TraceFile>;
  /** The history of each execution still running, an event's JSON a string. */
  private readonly histories = new Map<ExecutionRecord, string[]>();

  constructor(dir: string, shard: ShardOf, chunkLength?: number) {
    const open = (name: TraceFileName) => new TraceFile(partOf(dir, name, shard), 'lines', chunkLength);
    this.files = {
      'executions.jsonl': open('executions.jsonl'),
      'logs.jsonl': open('logs.jsonl'),
      'events-out.jsonl': open('events-out.jsonl'),
    };
  }

  log(line: LogLine): void {
    this.files['logs.jsonl'].write(line);
  }

  eventOut(event: OutboundEvent): void {
    this.files['events-out.jsonl'].write(event);
  }

  /** Holds an event of a running execution's history; returns its JSON, for whoever looks through it. */
  historyEvent(record: ExecutionRecord, event: HistoryEvent): string {
    const json = JSON.stringify(event);
    const history = this.histories.get(record);
    if (history) history.push(json);
    else this.histories.set(record, [json]);
    return json;
  }

  /** The ended execution's line, as JSON.stringify writes the record with its history; the history is let go. */
  execution(record: ExecutionRecord): void {
    const history = this.histories.get(record) ?? [];
    this.histories.delete(record);
    const line = JSON.stringify(record, function (this: unknown, key: string, value: unknown) {
      return this === record && key === 'history' ? HISTORY_MARK : value;
    });
    // A function, so that a `$` in the history is not read as a replacement pattern.
    this.files['executions.jsonl'].writeJson(
      line.replace(JSON.stringify(HISTORY_MARK), () => `[${history.join(',')}]`),
    );
  }

  close(): void {
    for (const file of Object.values(this.files)) file.close();
  }
}

/** The shards' parts joined into each trace file, in shard order, a stream at a time; the parts then go. */
export const joinShardTraces = async (dir: string, shards: number): Promise<void> => {
  if (shards === 1) return;
  for (const name of TRACE_FILES) {
    const out = createWriteStream(path.join(dir, name));
    for (let index = 0; index < shards; index += 1)
      await pipeline(createReadStream(partOf(dir, name, { index, of: shards })), out, { end: false });
    await new Promise<void>((resolve, reject) =>
      out.end((error?: Error | null) => (error ? reject(error) : resolve())),
    );
    for (let index = 0; index < shards; index += 1) await rm(partOf(dir, name, { index, of: shards }));
  }
};

/** The trace files of a run traced into `dir`. */
export const traceFiles = (dir: string): string[] => TRACE_FILES.map((name) => path.join(dir, name));
