// The scenario runner's command line (docs/contract.md §4): exit codes, reasons, the JSON result and traces.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXAMPLE_SCENARIOS } from '../support/scenarios';

const root = path.resolve(import.meta.dirname, '../..');
const scenarioCli = (...args: string[]) =>
  spawnSync(
    process.execPath,
    [path.join(root, 'node_modules/tsx/dist/cli.mjs'), path.join(root, 'workflows/tools/cli/scenario.ts'), ...args],
    { cwd: root, encoding: 'utf8', timeout: 120_000 },
  );
const dir = mkdtempSync(path.join(tmpdir(), 'scenario-cli-'));
const write = (name: string, content: unknown) => {
  const file = path.join(dir, name);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
};

describe('npm run scenario', () => {
  it('exits non-zero with the reason for an event outside [start, until)', () => {
    const file = write('late.json', {
      policy: 'us-regf',
      start: '2026-01-05T00:00:00Z',
      until: '2026-01-06T00:00:00Z',
      events: [{ at: '2026-01-07T00:00:00Z', source: 'bank.core', detailType: 'X', detail: {} }],
    });
    const run = scenarioCli(file);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('events.0.at: 2026-01-07T00:00:00Z is outside [start, until)');
  });

  it('exits non-zero for an unknown policy, naming the field', () => {
    const run = scenarioCli(
      write('policy.json', { policy: 'eu', start: '2026-01-05T00:00:00Z', until: '2026-01-06T00:00:00Z', events: [] }),
    );
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('policy: expected one of us-regf, cn');
  });

  it('refuses an invalid --policy-file with the field and the reason, before running', () => {
    const pack = JSON.parse(readFileSync(path.join(root, 'policies/us-regf.json'), 'utf8'));
    const scenario = write('empty.json', {
      policy: 'us-regf',
      start: '2026-01-05T00:00:00Z',
      until: '2026-01-06T00:00:00Z',
      events: [],
    });
    const run = scenarioCli(scenario, '--policy-file', write('bad-pack.json', { ...pack, planOptions: [3, 6, 36] }));
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('bad-pack.json: planOptions.2: 36 is more than maxPlanInstalments (12)');
  });

  it('exits non-zero for a file that is not JSON or cannot be read', () => {
    expect(scenarioCli(write('broken.json', '{ nope')).stderr).toContain('not valid JSON');
    const missing = scenarioCli(path.join(dir, 'missing.json'));
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('cannot read scenario');
  });

  it('refuses a bad --faults rate before running', () => {
    const run = scenarioCli(path.join(EXAMPLE_SCENARIOS, 'cure.json'), '--faults', '2');
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('--faults: expected a rate from 0 up to 1, got 2');
  });

  it('runs a scenario: summary on stdout, the JSON result and a per-account trace', () => {
    const out = path.join(dir, 'out/result.json');
    const trace = path.join(dir, 'trace');
    const run = scenarioCli(path.join(EXAMPLE_SCENARIOS, 'cure.json'), '--json', out, '--trace', trace, '--seed', '4');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('A1 (cycle 2026-01): closed cured');
    const result = JSON.parse(readFileSync(out, 'utf8'));
    expect(Object.keys(result)).toEqual(
      expect.arrayContaining(['policy', 'start', 'until', 'accounts', 'rejected', 'kpis']),
    );
    expect(result.accounts[0]).toMatchObject({
      accountId: 'A1',
      cycleId: '2026-01',
      status: 'closed',
      closeReason: 'cured',
      collected: 12000,
      balance: 238000,
    });
    expect(result.kpis).toMatchObject({ accounts: 1, cured: 1, collected: 12000, overdue: 12000, violations: 0 });
    expect(readdirSync(path.join(trace, 'A1')).sort()).toEqual(['executions.json', 'logs.jsonl']);
    const traced =
      readFileSync(path.join(trace, 'A1/executions.json'), 'utf8') +
      readFileSync(path.join(trace, 'logs.jsonl'), 'utf8');
    expect(traced).toContain('"accountId": "A1"');
    expect(traced).not.toContain('Ana Diaz');
    expect(traced).not.toContain('ana@example.com');
  });
});
