// `npm start`'s command line: clear errors for bad input, and champion vs challenger side by side.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_STRATEGY } from '../../functions/domain/strategy';
import { generatePortfolio } from '../../workflows/tools/simulation/portfolio';

const root = path.resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(path.join(tmpdir(), 'simulate-cli-'));
const simulate = (...args: string[]) =>
  spawnSync(
    process.execPath,
    [path.join(root, 'node_modules/tsx/dist/cli.mjs'), path.join(root, 'workflows/tools/cli/simulate.ts'), ...args],
    { cwd: root, encoding: 'utf8', timeout: 180_000 },
  );

describe('npm start', () => {
  it('refuses a bad option with the reason', () => {
    const run = simulate('--accounts', '0');
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('--accounts: expected an integer from 1 to 100000, got 0');
    expect(simulate('--policy', 'eu').stderr).toContain(
      '--policy: expected one of us-regf, cn (or a pack file), got eu',
    );
  });

  it('refuses a challenger strategy that does not validate, naming the field', () => {
    const file = path.join(dir, 'bad-strategy.json');
    writeFileSync(
      file,
      JSON.stringify({ ...DEFAULT_STRATEGY, reminders: [{ ...DEFAULT_STRATEGY.reminders[0], channels: ['fax'] }] }),
    );
    const run = simulate('--strategy', file);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('reminders.0.channels.0: expected one of email, sms, call');
  });

  it('compares champion and challenger on the same portfolio and writes the report', () => {
    const file = path.join(dir, 'challenger.json');
    writeFileSync(
      file,
      JSON.stringify({
        ...DEFAULT_STRATEGY,
        id: 'sms-first',
        reminders: DEFAULT_STRATEGY.reminders.map((r) => ({ ...r, channels: ['sms', 'email', 'call'] })),
      }),
    );
    const out = path.join(dir, 'out');
    const trace = path.join(dir, 'trace');
    const run = simulate(
      '--accounts',
      '6',
      '--days',
      '40',
      '--seed',
      '3',
      '--out',
      out,
      '--strategy',
      file,
      '--trace',
      trace,
    );
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/KPI\s+champion\s+sms-first/);
    expect(run.stdout).toMatch(/policy violations \(must be 0\)\s+0\s+0/);
    expect(run.stdout).toContain('champion: day 40/40');
    for (const f of ['report.html', 'kpis.json', 'accounts-champion.csv', 'accounts-sms-first.csv'])
      expect(existsSync(path.join(out, f))).toBe(true);
    expect(run.stdout).toMatch(/champion: 0 faults injected · record and deliveries agree/);

    // The trace holds every execution input and history, log line and event out: none names a customer.
    const pii = generatePortfolio({ accounts: 6, country: 'US', start: new Date('2026-01-05T00:00:00Z'), seed: 3 })
      .flatMap(
        ({
          event: {
            detail: { customer },
          },
        }) => [customer.name, customer.email, customer.phone],
      )
      .filter((v): v is string => Boolean(v));
    expect(pii.length).toBeGreaterThan(12);
    for (const label of ['champion', 'sms-first']) {
      const files = readdirSync(path.join(trace, label));
      expect(files.sort()).toEqual(['events-out.jsonl', 'executions.jsonl', 'logs.jsonl']);
      const text = files.map((f) => readFileSync(path.join(trace, label, f), 'utf8')).join('\n');
      expect(text).toContain('"CollectionStarted"');
      expect(text).toContain('"Diagnose"');
      for (const value of pii) expect(text.includes(value), value).toBe(false);
    }
  });

  it('writes the same accounts.csv, in account order, whatever the number of worker threads', () => {
    const csvOf = (workers: string) => {
      const out = path.join(dir, `workers-${workers}`);
      const run = simulate('--accounts', '8', '--days', '30', '--seed', '4', '--workers', workers, '--out', out);
      expect(run.status, run.stderr).toBe(0);
      return readFileSync(path.join(out, 'accounts.csv'), 'utf8');
    };
    const one = csvOf('1');
    const ids = one
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => line.split(',')[0]);
    expect(ids).toHaveLength(8);
    expect(ids).toEqual([...ids].sort());
    expect(csvOf('2')).toBe(one);
  });
});
