// The live portfolio report (CONTRACT §8) agrees with the record: a portfolio built through the local stack
// (DynamoDB Local, the real index queries and per-day items), every figure recomputed from the accounts'
// own records and states.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RecordEntry } from '../../functions/domain/record';
import { POLICY_PACKS } from '../../functions/domain/built-in-packs';
import { buildPortfolioReport, renderReportCsv, renderReportHtml, type PortfolioReport } from '../../functions/reports/portfolio-report';
import { runSimulation, type SimulationRun } from '../../workflows/simulation/run-simulation';
import { dynamoEndpoint } from '../support/dynamo';

const AS_OF = '2026-03-10';
let run: SimulationRun;
let report: PortfolioReport;
let table: { endpoint: string; name: string };

beforeAll(async () => {
  run = await runSimulation({
    accounts: 30, days: 65, pack: POLICY_PACKS['us-regf'], seed: 8, store: 'dynamodb-local', dynamoEndpoint: await dynamoEndpoint(),
    inspect: async (stack) => {
      report = await buildPortfolioReport(stack.store, AS_OF);
      table = { endpoint: await dynamoEndpoint(), name: stack.tableName! };
    },
  });
}, 240_000);

const entries = () => run.accounts.flatMap((a) => a.record.map((e) => ({ ...e, currency: a.state.currency }) as RecordEntry & { currency: string }));
const inMonth = (month: string) => entries().filter((e) => e.at.startsWith(month));
const count = (list: RecordEntry[], test: (e: RecordEntry) => boolean) => list.filter(test).length;
const tallyBy = <T extends RecordEntry>(list: T[], key: (e: T) => string) => list.reduce<Record<string, number>>((t, e) => ({ ...t, [key(e)]: (t[key(e)] ?? 0) + 1 }), {});

describe('npm run report', () => {
  it('counts the open and closed portfolio as the accounts\' states say', () => {
    const open = run.accounts.filter((a) => a.state.status === 'open');
    expect(report.open.accounts).toBe(open.length);
    expect(report.open.byBucket).toEqual(tallyBy(open.map((a) => ({ kind: 'x', at: '', bucket: a.state.bucket }) as never), (e: { bucket: string }) => e.bucket));
    expect(report.open.onPlan).toBe(open.filter((a) => a.state.plan).length);
    expect(report.closed.byReason).toEqual(tallyBy(run.accounts.filter((a) => a.state.status === 'closed').map((a) => ({ reason: a.state.closeReason }) as never), (e: { reason: string }) => e.reason));
    expect(report.closed.accounts + report.open.accounts).toBe(30);
  });

  it('adds up collections, promises, plans, escalations, contacts, blocks and dials as the records do', () => {
    const march = inMonth('2026-03');
    const payments = (list: typeof march) => list.filter((e): e is Extract<RecordEntry, { kind: 'payment' }> & { currency: string } => e.kind === 'payment');
    expect(report.collected.monthToDate).toEqual({ USD: payments(march).reduce((s, e) => s + e.amount, 0) });
    const day = payments(march).filter((e) => e.at.startsWith(AS_OF));
    expect(report.collected.day).toEqual(day.length ? { USD: day.reduce((s, e) => s + e.amount, 0) } : {});
    expect(report.payments).toEqual({ day: day.length, monthToDate: payments(march).length });
    expect(report.promises).toEqual({
      made: count(march, (e) => e.kind === 'ptp-made'), kept: count(march, (e) => e.kind === 'ptp-kept'),
      broken: count(march, (e) => e.kind === 'ptp-broken') - count(march, (e) => e.kind === 'ptp-kept' && Boolean(e.late)),
    });
    expect(report.plans).toMatchObject({
      offered: count(march, (e) => e.kind === 'plan-offered'), accepted: count(march, (e) => e.kind === 'plan-accepted'),
      broken: count(march, (e) => e.kind === 'plan-broken'), completed: count(march, (e) => e.kind === 'closed' && e.reason === 'plan-completed'),
    });
    expect(report.escalations).toEqual(tallyBy(march.filter((e) => e.kind === 'escalated'), (e) => (e as { to: string }).to));
    expect(report.letters).toEqual(tallyBy(march.filter((e) => e.kind === 'letter'), (e) => (e as { template: string }).template));
    expect(report.contacts).toEqual(tallyBy(march.filter((e) => e.kind === 'contact'), (e) => (e as { channel: string }).channel));
    expect(report.failedContacts).toEqual(tallyBy(march.filter((e) => e.kind === 'contact-failed'), (e) => (e as { channel: string }).channel));
    expect(report.placements).toEqual({ placed: count(march, (e) => e.kind === 'placed'), recalled: count(march, (e) => e.kind === 'recalled') });
    expect(report.reAged).toBe(count(march, (e) => e.kind === 're-aged'));
    expect(report.blocked).toEqual(tallyBy(march.filter((e) => e.kind === 'contact-blocked'), (e) => (e as { rule: string }).rule));
    const dials = march.filter((e): e is Extract<RecordEntry, { kind: 'call-outcome' }> & { currency: string } => e.kind === 'call-outcome');
    expect(dials.length).toBeGreaterThan(10);
    expect(report.collectors.map((c) => [c.agentId, c.dials, c.rightParty])).toEqual(
      Object.entries(tallyBy(dials, (e) => e.agentId ?? 'unknown')).sort(([a], [b]) => a.localeCompare(b))
        .map(([agent, n]) => [agent, n, dials.filter((e) => (e.agentId ?? 'unknown') === agent && e.outcome === 'right-party').length]),
    );
    expect(report.payments.monthToDate).toBeGreaterThan(2);
  });

  it('rolls buckets this month against last as the records crossed them', () => {
    for (const [month, rates] of [['2026-03', report.rollRates.month], ['2026-02', report.rollRates.lastMonth]] as const) {
      const entered = tallyBy(inMonth(month).filter((e) => e.kind === 'bucket'), (e) => (e as { to: string }).to);
      for (const rate of rates) expect({ ...rate, month }).toMatchObject({ entered: entered[rate.from] ?? 0, rolled: entered[rate.to] ?? 0, month });
    }
    expect(report.rollRates.lastMonth.some((r) => r.rate !== null) && report.rollRates.month.some((r) => r.rate !== null)).toBe(true);
  });

  it('writes JSON, CSV and HTML from the command line against the live table, with no PII', () => {
    const out = mkdtempSync(path.join(tmpdir(), 'report-'));
    const root = path.resolve(import.meta.dirname, '../..');
    const cli = spawnSync(process.execPath, [path.join(root, 'node_modules/tsx/dist/cli.mjs'), path.join(root, 'workflows/cli/report.ts'), '--endpoint', table.endpoint, '--table', table.name, '--date', AS_OF, '--out', out], { cwd: root, encoding: 'utf8', timeout: 60_000 });
    expect(cli.stderr).toBe('');
    expect(cli.status).toBe(0);
    // The table outlived the run: the command line reads the same figures.
    expect(JSON.parse(readFileSync(path.join(out, 'portfolio.json'), 'utf8'))).toEqual(JSON.parse(JSON.stringify(report)));
    expect(readFileSync(path.join(out, 'portfolio.csv'), 'utf8')).toBe(renderReportCsv(report));
    const html = readFileSync(path.join(out, 'portfolio.html'), 'utf8');
    expect(html).toBe(renderReportHtml(report));
    expect(html).toContain('<svg');
    expect(existsSync(path.join(out, 'portfolio.html'))).toBe(true);
    expect(html).not.toMatch(/Synthetic Customer|@example|\+1312/);
  });
});
