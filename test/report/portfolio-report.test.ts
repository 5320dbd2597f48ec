// The live portfolio report (docs/contract.md §8) agrees with the record: a portfolio built through the local stack
// (in-process adapters, proven against DynamoDB by the same store contract), every figure recomputed from
// the accounts' own records and states; then the command line against a DynamoDB Local table.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RecordEntry } from '../../functions/domain/record';
import { POLICY_PACKS } from '../../policies/built-in-packs';
import {
  buildPortfolioReport,
  renderReportCsv,
  renderReportHtml,
  type PortfolioReport,
} from '../../functions/reporting/portfolio-report';
import { runSimulation, type SimulationRun } from '../../workflows/tools/simulation/run-simulation';
import { dynamoEndpoint } from '../support/dynamo';
import { localTable } from '../support/local-table';
import { at, delinquent } from '../support/fixtures';
import { DynamoAccountStore } from '../../functions/adapters/aws/dynamodb-account-store';
import { applyEvent } from '../../functions/domain/apply-event';
import { escalate } from '../../functions/domain/transitions';

const AS_OF = '2026-03-10';
let run: SimulationRun;
let report: PortfolioReport;
/** January's report: the month customers first hear from us and say why they are late. */
let january: PortfolioReport;

beforeAll(async () => {
  run = await runSimulation({
    accounts: 60,
    days: 65,
    pack: POLICY_PACKS['us-regf'],
    seed: 8,
    store: 'memory',
    agents: 2,
    keepRecords: true,
    inspect: async (stack) => {
      report = await buildPortfolioReport(stack.store, AS_OF);
      january = await buildPortfolioReport(stack.store, '2026-01-31');
    },
  });
}, 240_000);

const entries = () =>
  run.accounts.flatMap((a) =>
    a.record.map((e) => ({ ...e, currency: a.state.currency }) as RecordEntry & { currency: string }),
  );
const inMonth = (month: string) => entries().filter((e) => e.at.startsWith(month));
const count = (list: RecordEntry[], test: (e: RecordEntry) => boolean) => list.filter(test).length;
const tally = (values: string[]) =>
  values.reduce<Record<string, number>>((t, v) => ({ ...t, [v]: (t[v] ?? 0) + 1 }), {});
const tallyBy = <T extends RecordEntry>(list: T[], key: (e: T) => string) => tally(list.map(key));

describe('npm run report', () => {
  it("counts the open and closed portfolio as the accounts' states say", () => {
    const open = run.accounts.filter((a) => a.state.status === 'open');
    expect(report.open.accounts).toBe(open.length);
    expect(report.open.byBucket).toEqual(tally(open.map((a) => a.state.bucket)));
    expect(report.open.onPlan).toBe(open.filter((a) => a.state.plan).length);
    expect(report.closed.byReason).toEqual(
      tally(run.accounts.filter((a) => a.state.status === 'closed').map((a) => String(a.state.closeReason))),
    );
    expect(report.closed.accounts + report.open.accounts).toBe(60);
  });

  it('adds up collections, promises, plans, escalations, contacts, blocks and dials as the records do', () => {
    const march = inMonth('2026-03');
    const payments = (list: typeof march) =>
      list.filter((e): e is Extract<RecordEntry, { kind: 'payment' }> & { currency: string } => e.kind === 'payment');
    expect(report.collected.monthToDate).toEqual({ USD: payments(march).reduce((s, e) => s + e.amount, 0) });
    const day = payments(march).filter((e) => e.at.startsWith(AS_OF));
    expect(report.collected.day).toEqual(day.length ? { USD: day.reduce((s, e) => s + e.amount, 0) } : {});
    expect(report.payments).toEqual({ day: day.length, monthToDate: payments(march).length });
    expect(report.promises).toEqual({
      made: count(march, (e) => e.kind === 'ptp-made'),
      kept: count(march, (e) => e.kind === 'ptp-kept'),
      broken:
        count(march, (e) => e.kind === 'ptp-broken') - count(march, (e) => e.kind === 'ptp-kept' && Boolean(e.late)),
    });
    expect(report.plans).toMatchObject({
      offered: count(march, (e) => e.kind === 'plan-offered'),
      accepted: count(march, (e) => e.kind === 'plan-accepted'),
      broken: count(march, (e) => e.kind === 'plan-broken'),
      completed: count(march, (e) => e.kind === 'closed' && e.reason === 'plan-completed'),
    });
    expect(report.escalations).toEqual(
      tallyBy(
        march.filter((e) => e.kind === 'escalated'),
        (e) => (e as { to: string }).to,
      ),
    );
    expect(report.letters).toEqual(
      tallyBy(
        march.filter((e) => e.kind === 'letter'),
        (e) => (e as { template: string }).template,
      ),
    );
    expect(report.contacts).toEqual(
      tallyBy(
        march.filter((e) => e.kind === 'contact'),
        (e) => (e as { channel: string }).channel,
      ),
    );
    expect(report.failedContacts).toEqual(
      tallyBy(
        march.filter((e) => e.kind === 'contact-failed'),
        (e) => (e as { channel: string }).channel,
      ),
    );
    expect(report.placements).toEqual({
      placed: count(march, (e) => e.kind === 'placed'),
      recalled: count(march, (e) => e.kind === 'recalled'),
    });
    expect(report.reAged).toBe(count(march, (e) => e.kind === 're-aged'));
    expect(report.blocked).toEqual(
      tallyBy(
        march.filter((e) => e.kind === 'contact-blocked'),
        (e) => (e as { rule: string }).rule,
      ),
    );
    const dials = march.filter(
      (e): e is Extract<RecordEntry, { kind: 'call-outcome' }> & { currency: string } => e.kind === 'call-outcome',
    );
    expect(dials.length).toBeGreaterThan(10);
    expect(report.collectors.map((c) => [c.agentId, c.dials, c.rightParty])).toEqual(
      Object.entries(tallyBy(dials, (e) => e.agentId ?? 'unknown'))
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([agent, n]) => [
          agent,
          n,
          dials.filter((e) => (e.agentId ?? 'unknown') === agent && e.outcome === 'right-party').length,
        ]),
    );
    expect(report.payments.monthToDate).toBeGreaterThan(2);
    // Negotiation (docs/contract.md §3.15–3.17): reasons, settlements, write-offs, autopay and debits, as the records
    // say.
    for (const [month, r] of [
      ['2026-03', report],
      ['2026-01', january],
    ] as const)
      expect(r.negotiation.reasons).toEqual(
        tallyBy(
          inMonth(month).filter((e) => e.kind === 'reason'),
          (e) => (e as { reason: string }).reason,
        ),
      );
    expect(Object.keys(january.negotiation.reasons).length).toBeGreaterThan(0);
    expect(report.negotiation.settlements).toEqual({
      offered: count(march, (e) => e.kind === 'settlement-offered'),
      accepted: count(march, (e) => e.kind === 'settlement-accepted'),
      settled: count(march, (e) => e.kind === 'closed' && e.reason === 'settled'),
      lapsed: count(march, (e) => e.kind === 'settlement-lapsed'),
    });
    expect(report.negotiation.autopayPlans).toBe(count(march, (e) => e.kind === 'plan-accepted' && Boolean(e.autopay)));
    expect(report.negotiation.debits).toEqual({
      requested: count(march, (e) => e.kind === 'debit-requested'),
      failed: count(march, (e) => e.kind === 'payment-failed'),
    });
  });

  it('rolls buckets this month against last as the records crossed them', () => {
    for (const [month, rates] of [
      ['2026-03', report.rollRates.month],
      ['2026-02', report.rollRates.lastMonth],
    ] as const) {
      const entered = tallyBy(
        inMonth(month).filter((e) => e.kind === 'bucket'),
        (e) => (e as { to: string }).to,
      );
      for (const rate of rates)
        expect({ ...rate, month }).toMatchObject({
          entered: entered[rate.from] ?? 0,
          rolled: entered[rate.to] ?? 0,
          month,
        });
    }
    expect(
      report.rollRates.lastMonth.some((r) => r.rate !== null) && report.rollRates.month.some((r) => r.rate !== null),
    ).toBe(true);
  });

  it('writes JSON, CSV and HTML from the command line against a live DynamoDB table, with no PII', async () => {
    // A small portfolio written by the DynamoDB store: two accounts opened, one paid, the other escalated.
    const table = await localTable();
    const store = new DynamoAccountStore(table.doc, table.tableName);
    for (const [accountId, after] of [
      ['L1', 'pay'],
      ['L2', 'escalate'],
    ] as const) {
      const opened = applyEvent(
        null,
        delinquent({ accountId, dueDate: '2026-02-01' }),
        at('2026-03-09T06:00:00Z'),
        POLICY_PACKS['us-regf'],
      );
      if (opened.kind !== 'applied') throw new Error(opened.reason);
      const saved = await store.save({
        state: opened.state,
        expectedVersion: null,
        entries: opened.entries,
        profile: opened.profile,
      });
      if (saved.kind !== 'saved') throw new Error(saved.kind);
      const next =
        after === 'pay'
          ? applyEvent(
              saved.state,
              {
                detailType: 'PaymentPosted',
                detail: { accountId, paymentId: 'P1', amount: 4000, currency: 'USD', postedAt: '2026-03-10T15:00:00Z' },
              },
              at('2026-03-10T15:00:00Z'),
              POLICY_PACKS['us-regf'],
            )
          : {
              kind: 'applied' as const,
              ...escalate(
                saved.state,
                1,
                'senior-collector',
                'us-regf/ladder-60-dpd',
                at('2026-03-10T06:00:00Z'),
                POLICY_PACKS['us-regf'],
              ),
            };
      if (next.kind !== 'applied') throw new Error(next.kind);
      await store.save({ state: next.state, expectedVersion: saved.state.version, entries: next.entries });
    }
    const expected = await buildPortfolioReport(store, AS_OF);
    expect(expected).toMatchObject({
      open: { accounts: 2 },
      collected: { day: { USD: 4000 } },
      escalations: { 'senior-collector': 1 },
    });
    const out = mkdtempSync(path.join(tmpdir(), 'report-'));
    const root = path.resolve(import.meta.dirname, '../..');
    const cli = spawnSync(
      process.execPath,
      [
        path.join(root, 'node_modules/tsx/dist/cli.mjs'),
        path.join(root, 'workflows/tools/cli/report.ts'),
        '--endpoint',
        await dynamoEndpoint(),
        '--table',
        table.tableName,
        '--date',
        AS_OF,
        '--out',
        out,
      ],
      { cwd: root, encoding: 'utf8', timeout: 60_000 },
    );
    expect(cli.stderr).toBe('');
    expect(cli.status).toBe(0);
    expect(JSON.parse(readFileSync(path.join(out, 'portfolio.json'), 'utf8'))).toEqual(
      JSON.parse(JSON.stringify(expected)),
    );
    expect(readFileSync(path.join(out, 'portfolio.csv'), 'utf8')).toBe(renderReportCsv(expected));
    const html = readFileSync(path.join(out, 'portfolio.html'), 'utf8');
    expect(html).toBe(renderReportHtml(expected));
    expect(html).toContain('<svg');
    expect(html).not.toMatch(/Ana Diaz|@example|\+1312/);

    // With no table named, the one `npm run serve` runs, from its state file.
    const stateFile = path.join(out, 'serve.json');
    writeFileSync(stateFile, JSON.stringify({ dynamodbEndpoint: await dynamoEndpoint(), tableName: table.tableName }));
    const again = path.join(out, 'again');
    const served = spawnSync(
      process.execPath,
      [
        path.join(root, 'node_modules/tsx/dist/cli.mjs'),
        path.join(root, 'workflows/tools/cli/report.ts'),
        '--state-file',
        stateFile,
        '--date',
        AS_OF,
        '--out',
        again,
      ],
      { cwd: root, encoding: 'utf8', timeout: 60_000 },
    );
    expect(served.status).toBe(0);
    expect(readFileSync(path.join(again, 'portfolio.csv'), 'utf8')).toBe(renderReportCsv(expected));
    // No --date: the service's own today, from the pace in its state file (here a clock at noon of AS_OF, running at
    // 1×).
    writeFileSync(
      stateFile,
      JSON.stringify({
        dynamodbEndpoint: await dynamoEndpoint(),
        tableName: table.tableName,
        speed: 1,
        clock: { virtualStart: `${AS_OF}T12:00:00.000Z`, wallStart: new Date().toISOString() },
      }),
    );
    const paced = spawnSync(
      process.execPath,
      [
        path.join(root, 'node_modules/tsx/dist/cli.mjs'),
        path.join(root, 'workflows/tools/cli/report.ts'),
        '--state-file',
        stateFile,
        '--out',
        path.join(out, 'paced'),
      ],
      { cwd: root, encoding: 'utf8', timeout: 60_000 },
    );
    expect(paced.stdout).toContain(`Portfolio on ${AS_OF} from ${table.tableName}`);
    expect(readFileSync(path.join(out, 'paced', 'portfolio.csv'), 'utf8')).toBe(renderReportCsv(expected));
    const missing = spawnSync(
      process.execPath,
      [
        path.join(root, 'node_modules/tsx/dist/cli.mjs'),
        path.join(root, 'workflows/tools/cli/report.ts'),
        '--state-file',
        path.join(out, 'none.json'),
      ],
      { cwd: root, encoding: 'utf8', timeout: 60_000 },
    );
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('no --table given and no readable state file');
  });
});
