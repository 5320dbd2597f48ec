// A trace file written as the run goes (--trace): each value appended as it comes and the text put on disk a chunk
// at a time, so a trace never stands whole in memory. One string of a large run's trace passes V8's limit on a
// string's length ("RangeError: Invalid string length"), and an array of it holds the run's every history.
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ExecutionRecord } from '../../twin/execution-limits';
import type { OutboundEvent } from '../../twin/outputs';
import type { LogLine } from '../../twin/recorders';

/** What a trace takes as the run goes: each log line and event out as it is written, each execution as it ends. */
export interface TraceSink {
  log(line: LogLine): void;
  eventOut(event: OutboundEvent): void;
  execution(record: ExecutionRecord): void;
}

/**
 * How much text (in characters) is held before it goes to disk. Writes are synchronous: the listeners that feed a
 * trace are, and a write that waits for the disk is what keeps memory bounded when the run outpaces the disk.
 */
export const TRACE_CHUNK_LENGTH = 64 * 1024;

/**
 * `lines`: JSON Lines, a value a line. `array`: one JSON array laid out as `JSON.stringify(values, null, 2)` lays it
 * out, a value at a time.
 */
export type TraceFormat = 'lines' | 'array';

export class TraceFile {
  private pending: string[] = [];
  private pendingLength = 0;
  private values = 0;
  private closed = false;

  constructor(
    readonly file: string,
    private readonly format: TraceFormat = 'lines',
    private readonly chunkLength = TRACE_CHUNK_LENGTH,
  ) {
    mkdirSync(path.dirname(file), { recursive: true });
    // Appended to from here on: a file left by an earlier run starts again empty.
    writeFileSync(file, '');
  }

  write(value: unknown): void {
    this.writeJson(this.format === 'lines' ? JSON.stringify(value) : JSON.stringify(value, null, 2));
  }

  /** A value already written as JSON (as `write` would write it: on one line for `lines`, indented for `array`). */
  writeJson(json: string): void {
    if (this.closed) throw new Error(`trace file ${this.file}: written after it was closed`);
    this.append(this.format === 'lines' ? `${json}\n` : this.element(json));
    this.values += 1;
  }

  /** Puts what is held on disk. */
  flush(): void {
    if (this.pendingLength === 0) return;
    const text = this.pending.join('');
    this.pending = [];
    this.pendingLength = 0;
    appendFileSync(this.file, text);
  }

  close(): void {
    if (this.closed) return;
    if (this.format === 'array') this.append(this.values === 0 ? '[]' : '\n]');
    this.flush();
    this.closed = true;
  }

  private append(text: string): void {
    this.pending.push(text);
    this.pendingLength += text.length;
    if (this.pendingLength >= this.chunkLength) this.flush();
  }

  /** An array element as JSON.stringify(array, null, 2) writes it (no string in JSON holds a raw line break). */
  private element(json: string): string {
    const indented = json.replace(/^/gm, '  ');
    return `${this.values === 0 ? '[\n' : ',\n'}${indented}`;
  }
}
