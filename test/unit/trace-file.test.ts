// Trace files as a run writes them (--trace): on disk a chunk at a time while the run goes, never whole in memory;
// the shards' parts joined in shard order.
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { TraceFile } from '../../workflows/tools/scenario/trace-file';
import type { ExecutionRecord } from '../../workflows/twin/execution-limits';
import { joinShardTraces, ShardTrace, TRACE_FILES } from '../../workflows/tools/simulation/simulation-trace';

const folder = () => mkdtempSync(path.join(tmpdir(), 'trace-file-'));

describe('a trace file', () => {
  it('puts each chunk on disk as it fills, before the file is closed', () => {
    const file = path.join(folder(), 'deep', 'logs.jsonl');
    // A chunk of 100 characters; each line is 36.
    const trace = new TraceFile(file, 'lines', 100);
    const line = (n: number) => ({ message: `line ${String(n).padStart(3, '0')}`, pad: 'xxxx' });
    expect(`${JSON.stringify(line(1))}\n`).toHaveLength(36);
    trace.write(line(1));
    trace.write(line(2));
    expect(statSync(file).size).toBe(0);
    trace.write(line(3));
    // Three lines reach the chunk: written out, and nothing is held.
    expect(statSync(file).size).toBe(108);
    trace.write(line(4));
    expect(statSync(file).size).toBe(108);
    trace.close();
    expect(readFileSync(file, 'utf8')).toBe([1, 2, 3, 4].map((n) => `${JSON.stringify(line(n))}\n`).join(''));
    expect(() => trace.write(line(5))).toThrow(/written after it was closed/);
  });

  it('starts a file left by an earlier run again empty', () => {
    const file = path.join(folder(), 'events-out.jsonl');
    writeFileSync(file, 'left over\n');
    const trace = new TraceFile(file);
    trace.write({ detailType: 'CycleClosed' });
    trace.close();
    expect(readFileSync(file, 'utf8')).toBe('{"detailType":"CycleClosed"}\n');
  });

  it('lays out an array as JSON.stringify(values, null, 2) does, a value at a time, an empty one too', () => {
    const values = [
      { name: 'A1-C1', input: { accountId: 'A1', loop: 0 }, history: [{ type: 'ExecutionStarted' }] },
      { name: 'A1-C1-g1', history: [], note: 'a line\nbreak, escaped' },
    ];
    const dir = folder();
    const file = path.join(dir, 'executions.json');
    const trace = new TraceFile(file, 'array', 10);
    for (const value of values) trace.write(value);
    trace.close();
    expect(readFileSync(file, 'utf8')).toBe(JSON.stringify(values, null, 2));
    const empty = new TraceFile(path.join(dir, 'none.json'), 'array');
    empty.close();
    expect(readFileSync(path.join(dir, 'none.json'), 'utf8')).toBe('[]');
  });
});

describe("a shard's trace", () => {
  it("writes an ended execution's line as JSON.stringify writes the record, its history held until then", () => {
    const dir = folder();
    const trace = new ShardTrace(dir, { index: 0, of: 1 });
    const record: ExecutionRecord = {
      name: 'A1-C1',
      accountId: 'A1',
      input: { accountId: 'A1', cycleId: 'C1', loop: 0, generation: 0 },
      startedAt: '2026-01-05T06:00:00.000Z',
      status: 'running',
      history: [],
      historyEvents: 0,
    };
    const events = [
      { type: 'ExecutionStarted', input: record.input, virtualTime: '2026-01-05T06:00:00.000Z' },
      // A `$` in a history (a JSONPath in an error's cause) stays as it is.
      { type: 'ExecutionFailed', Cause: 'Invalid path $.step.closed: $& $1', virtualTime: '2026-01-05T06:00:01.000Z' },
    ];
    for (const event of events) expect(trace.historyEvent(record, event)).toBe(JSON.stringify(event));
    Object.assign(record, { status: 'failed', historyEvents: 4, error: 'States.Runtime: $.step.closed' });
    trace.execution(record);
    // Once written, the history is let go: the record written again has none.
    trace.execution(record);
    trace.close();
    const lines = readFileSync(path.join(dir, 'executions.jsonl'), 'utf8').split('\n');
    expect(lines).toEqual([JSON.stringify({ ...record, history: events }), JSON.stringify(record), '']);
  });
});

describe("the shards' traces", () => {
  it('are joined in shard order into one file each, and the parts go', async () => {
    const dir = folder();
    for (const name of TRACE_FILES)
      for (const index of [0, 1, 2]) writeFileSync(path.join(dir, `${name}.part-${index}`), `${name} ${index}\n`);
    await joinShardTraces(dir, 3);
    expect(readdirSync(dir).sort()).toEqual([...TRACE_FILES].sort());
    for (const name of TRACE_FILES)
      expect(readFileSync(path.join(dir, name), 'utf8')).toBe(`${name} 0\n${name} 1\n${name} 2\n`);
  });

  it('are the files themselves when one shard wrote them', async () => {
    const dir = folder();
    writeFileSync(path.join(dir, 'logs.jsonl'), '{}\n');
    await joinShardTraces(dir, 1);
    expect(readdirSync(dir)).toEqual(['logs.jsonl']);
    expect(existsSync(path.join(dir, 'logs.jsonl.part-0'))).toBe(false);
  });
});
