// `npm start -- --trace` streams (docs/simulation.md): the trace reaches its files while the run goes, and no
// execution's history stays in memory once it has ended and been written (nor on the engine's records at all), so a
// trace is as long as the run makes it and the run's memory is not.
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { POLICY_PACKS } from '../../policies/built-in-packs';
import { runSimulation } from '../../workflows/tools/simulation/run-simulation';
import { TRACE_FILES } from '../../workflows/tools/simulation/simulation-trace';

const onDisk = (dir: string) => TRACE_FILES.reduce((bytes, name) => bytes + statSync(path.join(dir, name)).size, 0);

describe('a traced simulation', () => {
  it("writes its trace while it runs, and lets each ended execution's history go once written", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'simulation-trace-'));
    /** Bytes of trace on disk each time an account's cycle closed while the run went on. */
    const midRun: number[] = [];
    /** History events each execution's record held when its batch ended. */
    const held: number[] = [];
    const run = await runSimulation({
      accounts: 30,
      days: 60,
      pack: POLICY_PACKS['us-regf'],
      seed: 3,
      store: 'memory',
      trace: dir,
      onAccount: (row) => {
        if (row.status === 'closed') midRun.push(onDisk(dir));
      },
      inspect: async (stack) => {
        for (const e of stack.engine.executions.values()) held.push(e.history.length);
      },
    });
    expect(run.violations).toEqual([]);
    expect(midRun.length).toBeGreaterThan(1);
    // On disk before the run ended, and more after.
    expect(Math.max(...midRun)).toBeGreaterThan(0);
    expect(onDisk(dir)).toBeGreaterThan(Math.max(...midRun));
    // Nothing of the trace in the run's answer, and no history on the records: each went to the file as its execution
    // ended.
    expect(run).not.toHaveProperty('trace');
    expect(held).toHaveLength(run.usage.executions);
    expect(held.every((n) => n === 0)).toBe(true);
    const executions = readFileSync(path.join(dir, 'executions.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { name: string; status: string; history: { type: string }[] });
    expect(executions).toHaveLength(run.usage.executions);
    for (const e of executions) {
      expect(e.history[0]?.type, e.name).toBe('ExecutionStarted');
      expect(e.history.at(-1)?.type, e.name).toMatch(/^Execution(Succeeded|Failed|Aborted)$/);
      expect(e.status, e.name).not.toBe('running');
    }
    const logs = readFileSync(path.join(dir, 'logs.jsonl'), 'utf8').trim().split('\n');
    expect(logs.length).toBeGreaterThan(run.usage.executions);
    expect(readFileSync(path.join(dir, 'events-out.jsonl'), 'utf8')).toContain('"CollectionStarted"');
  }, 120_000);
});
