// `npm start`'s command line: clear errors for bad input, and champion vs challenger side by side.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_STRATEGY } from '../../functions/domain/strategy';

const root = path.resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(path.join(tmpdir(), 'simulate-cli-'));
const simulate = (...args: string[]) =>
  spawnSync(process.execPath, [path.join(root, 'node_modules/tsx/dist/cli.mjs'), path.join(root, 'workflows/cli/simulate.ts'), ...args], { cwd: root, encoding: 'utf8', timeout: 180_000 });

describe('npm start', () => {
  it('refuses a bad option with the reason', () => {
    const run = simulate('--accounts', '0');
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('--accounts: expected an integer from 1 to 100000, got 0');
    expect(simulate('--policy', 'eu').stderr).toContain('--policy: expected one of us-regf, cn, got eu');
  });

  it('refuses a challenger strategy that does not validate, naming the field', () => {
    const file = path.join(dir, 'bad-strategy.json');
    writeFileSync(file, JSON.stringify({ ...DEFAULT_STRATEGY, reminders: [{ ...DEFAULT_STRATEGY.reminders[0], channels: ['fax'] }] }));
    const run = simulate('--strategy', file);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('reminders.0.channels.0: expected one of email, sms, call');
  });

  it('compares champion and challenger on the same portfolio and writes the report', () => {
    const file = path.join(dir, 'challenger.json');
    writeFileSync(file, JSON.stringify({ ...DEFAULT_STRATEGY, id: 'sms-first', reminders: DEFAULT_STRATEGY.reminders.map((r) => ({ ...r, channels: ['sms', 'email', 'call'] })) }));
    const out = path.join(dir, 'out');
    const run = simulate('--accounts', '6', '--days', '40', '--seed', '3', '--out', out, '--strategy', file);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/KPI\s+champion\s+sms-first/);
    expect(run.stdout).toMatch(/policy violations \(must be 0\)\s+0\s+0/);
    expect(run.stdout).toContain('champion: day 40/40');
    for (const f of ['report.html', 'kpis.json', 'accounts-champion.csv', 'accounts-sms-first.csv']) expect(existsSync(path.join(out, f))).toBe(true);
  });
});
