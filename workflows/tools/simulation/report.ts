// What `npm start` leaves behind: the KPI table on the console, and in the output folder a
// self-contained report.html with charts and kpis.json (accounts.csv is written as the run goes: account-row.ts).
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CHANNELS } from '../../../functions/domain/channels';
import { BUCKET_ORDER } from '../../../functions/domain/days-past-due';
import { formatMoney } from '../../../functions/domain/money';
import type { Kpis, Rate } from './kpis';
import { PROFILES } from './portfolio';
import type { SimulationRun } from './run-simulation';
import { barChart, lineChart, stackedBars } from '../../../functions/reporting/svg-charts';
import { esc, reportPage } from '../../../functions/reporting/page';

export interface ReportRun {
  label: string;
  run: SimulationRun;
  kpis: Kpis;
}

/** A rate as a percentage; n/a when nothing could be counted (no account reached that bucket, no promise made…). */
export const pct = (x: Rate) => (x === null ? 'n/a' : `${(x * 100).toFixed(1)}%`);
const usd = (x: number) => `$${x.toFixed(x < 1 ? 4 : 2)}`;
const currencyOf = (run: SimulationRun) => run.options.currency;
const money = (amount: number, run: SimulationRun) =>
  formatMoney({ amount: Math.round(amount), currency: currencyOf(run) }, 'en-US');

/** The busiest local hour and its share of contacts, e.g. "16:00 (11.2%)". */
const busiestHour = (kpis: Kpis): string => {
  const hours = kpis.contactsByLocalHour;
  const peak = hours.indexOf(Math.max(...hours));
  return kpis.peakHourShare === null ? 'n/a' : `${String(peak).padStart(2, '0')}:00 (${pct(kpis.peakHourShare)})`;
};

/** Rows of the KPI table: label, then a formatter per run. */
export const kpiRows = (runs: ReportRun[]): [string, ...string[]][] => {
  const row = (label: string, value: (r: ReportRun) => string): [string, ...string[]] => [label, ...runs.map(value)];
  return [
    row('accounts', (r) => String(r.kpis.accounts)),
    row('cure rate (cured + paid in full)', (r) => pct(r.kpis.cureRate)),
    ...r0(runs).kpis.rollRates.map((_, i) =>
      row(
        `roll rate ${runs[0]!.kpis.rollRates[i]!.from} → ${runs[0]!.kpis.rollRates[i]!.to}`,
        (r) => `${pct(r.kpis.rollRates[i]!.rate)} of ${r.kpis.rollRates[i]!.accounts}`,
      ),
    ),
    row(
      'collected / overdue',
      (r) => `${money(r.kpis.collected, r.run)} / ${money(r.kpis.overdue, r.run)} (${pct(r.kpis.collectedShare)})`,
    ),
    row(
      'recovery rate (collected / balance at delinquency)',
      (r) => `${pct(r.kpis.recoveryRate)} of ${money(r.kpis.balanceAtDelinquency, r.run)}`,
    ),
    row('contacts per account', (r) => r.kpis.contactsPerAccount.toFixed(1)),
    row(`contacts by channel (${CHANNELS.join('/')})`, (r) =>
      CHANNELS.map((c) => r.kpis.contactsByChannel[c]).join('/'),
    ),
    row('contacts blocked by policy', (r) => String(r.kpis.contactsBlocked)),
    row('busiest local hour, share of contacts', (r) => busiestHour(r.kpis)),
    row(
      'call tasks: dialled / expired of created',
      (r) => `${r.kpis.calls.dialled} / ${r.kpis.calls.expired} of ${r.kpis.calls.tasks}`,
    ),
    row(
      'right-party rate (conversations / dials)',
      (r) => `${pct(r.kpis.calls.rightPartyRate)} (${r.kpis.calls.rightParty})`,
    ),
    row('queue wait, task to dial (minutes, mean)', (r) =>
      r.kpis.calls.averageQueueWaitMinutes === null ? '—' : r.kpis.calls.averageQueueWaitMinutes.toFixed(0),
    ),
    row('collectors: dials per collector-hour, time on calls', (r) =>
      r.kpis.calls.collectors
        ? `${r.kpis.calls.collectors.agents} collector${r.kpis.calls.collectors.agents === 1 ? '' : 's'}: ` +
          `${r.kpis.calls.collectors.dialsPerCollectorHour?.toFixed(1) ?? 'n/a'}/h, ` +
          `${pct(r.kpis.calls.collectors.utilisation)}`
        : 'no limit (--agents N to size a team)',
    ),
    row(
      'promises made / kept',
      (r) => `${r.kpis.promisesMade} / ${r.kpis.promisesKept} (${pct(r.kpis.promiseKeptRate)})`,
    ),
    row(
      'plan take-up (accepted / offered)',
      (r) => `${r.kpis.plansAccepted} / ${r.kpis.accountsOffered} (${pct(r.kpis.planTakeUp)})`,
    ),
    row(
      'plans completed / broken',
      (r) => `${r.kpis.plansCompleted} / ${r.kpis.plansBroken} (${pct(r.kpis.planCompletion)} completed)`,
    ),
    row('reasons given (share of those who said)', (r) => {
      const n = r.kpis.negotiation;
      return (
        Object.entries(n.reasonShares)
          .sort(([, a], [, b]) => (b ?? 0) - (a ?? 0))
          .map(([reason, share]) => `${reason} ${pct(share)}`)
          .join(', ') || 'none'
      );
    }),
    row('settlements offered / accepted / settled / lapsed', (r) => {
      const n = r.kpis.negotiation;
      return `${n.settlementsOffered} / ${n.settlementsAccepted} / ${n.settled} / ${n.settlementsLapsed}`;
    }),
    row(
      'written off on settlement; recovery net of write-off',
      (r) => `${money(r.kpis.negotiation.writtenOff, r.run)}; ${pct(r.kpis.negotiation.recoveryNetOfWriteOff)}`,
    ),
    row(
      'autopay share of plans; debit failure rate',
      (r) =>
        `${pct(r.kpis.negotiation.autopayShare)}; ${pct(r.kpis.negotiation.debitFailureRate)} of ` +
        `${r.kpis.negotiation.debitsRequested} debits`,
    ),
    row(
      'escalations by level',
      (r) =>
        Object.entries(r.kpis.escalationsByLevel)
          .map(([k, v]) => `${k.split(' ')[0]}:${v}`)
          .join(' ') || '0',
    ),
    row('charge-offs', (r) => String(r.kpis.chargeOffs)),
    row('people, accounts per person', (r) =>
      r.kpis.people === undefined ? 'n/a' : `${r.kpis.people}, ${r.kpis.accountsPerPerson}`,
    ),
    row('most contacts to one person in a day, held by person caps', (r) =>
      r.kpis.people === undefined ? 'n/a' : `${r.kpis.maxContactsPerPersonDay}, ${r.kpis.personCapBlocks}`,
    ),
    row('policy violations (must be 0)', (r) => String(r.kpis.violations)),
    row('ledger mismatches (must be 0)', (r) => String(r.kpis.ledgerMismatches)),
    row('estimated AWS cost per account', (r) => usd(r.kpis.cost.perAccount)),
  ];
};
const r0 = (runs: ReportRun[]) => runs[0]!;

export const formatKpiTable = (runs: ReportRun[]): string => {
  const rows = [['KPI', ...runs.map((r) => r.label)], ...kpiRows(runs)];
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  const line = (r: string[]) => r.map((cell, c) => cell.padEnd(widths[c]!)).join('  ');
  return [line(rows[0]!), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
};

/** Axis labels in major units: 38105.95 → 38.1k. */
const compact = (minor: number) => {
  const major = minor / 100;
  return major >= 1e6
    ? `${(major / 1e6).toFixed(1)}M`
    : major >= 1e3
      ? `${(major / 1e3).toFixed(1)}k`
      : major.toFixed(0);
};

export const renderHtml = (runs: ReportRun[]): string => {
  const first = runs[0]!;
  const outcomes = [
    'cured',
    'paid-in-full',
    'plan-completed',
    'settled',
    'charged-off',
    'bankrupt',
    'deceased',
    'open',
  ];
  const table = kpiRows(runs)
    .map((r) => `<tr>${r.map((c, i) => (i === 0 ? `<th>${esc(c)}</th>` : `<td>${esc(c)}</td>`)).join('')}</tr>`)
    .join('\n');
  const charts = [
    barChart(
      'Bucket roll-forward: accounts that reached each bucket',
      BUCKET_ORDER.slice(1),
      runs.map((r) => ({ name: r.label, values: BUCKET_ORDER.slice(1).map((b) => r.kpis.reachedBucket[b] ?? 0) })),
    ),
    lineChart(
      `Cumulative collections by day (${currencyOf(first.run)})`,
      runs.map((r) => ({ name: r.label, values: r.kpis.collectionsByDay })),
      compact,
    ),
    barChart(
      'Contacts by local hour of the customer (allowed window shaded)',
      Array.from({ length: 24 }, (_, h) => String(h).padStart(2, '0')),
      runs.map((r) => ({ name: r.label, values: r.kpis.contactsByLocalHour })),
      { highlight: (h) => Number(h) >= 8 && Number(h) < 21 },
    ),
    ...runs.map((r) =>
      stackedBars(
        `Outcome mix per behaviour profile — ${r.label}`,
        PROFILES.map((p) => ({ label: p, parts: r.kpis.outcomesByProfile[p] ?? {} })),
        outcomes,
      ),
    ),
  ];
  const costLines = Object.entries(first.kpis.cost.lines)
    .map(([k, v]) => `<tr><th>${esc(k)}</th><td>${usd(v)}</td></tr>`)
    .join('');
  const o = first.run.options;
  return reportPage(
    'Collections portfolio simulation',
    `${o.accounts} synthetic accounts · ${o.days} days from ${esc(o.start.slice(0, 10))} · policy ` +
      `${esc(o.policy)} · seed ${o.seed} · strategies: ${runs.map((r) => esc(r.label)).join(' vs ')} · run on ` +
      `the synthesized state machine and the deployed handlers, ` +
      `${o.store === 'memory' ? 'with the in-process adapters' : 'against DynamoDB Local'}, on a virtual clock.`,
    `<table><thead><tr><th>KPI</th>${runs.map((r) => `<th>${esc(r.label)}</th>`).join('')}</tr></thead><tbody>
${table}
</tbody></table>
<div class="charts">
${charts.join('\n')}
</div>
<h2>Estimated AWS cost (${esc(first.label)})</h2>
<table><tbody>${costLines}<tr><th>total</th><td>${usd(first.kpis.cost.total)}</td></tr>
<tr><th>per account</th><td>${usd(first.kpis.cost.perAccount)}</td></tr></tbody></table>`,
  );
};

/** Where a run's accounts.csv goes: one per strategy when a challenger runs beside the champion. */
export const accountsCsvFile = (dir: string, label: string, strategies: number): string =>
  path.join(dir, strategies > 1 ? `accounts-${label}.csv` : 'accounts.csv');

export const writeReports = async (dir: string, runs: ReportRun[]): Promise<string[]> => {
  await mkdir(dir, { recursive: true });
  const files = [path.join(dir, 'report.html'), path.join(dir, 'kpis.json')];
  await writeFile(files[0]!, renderHtml(runs));
  await writeFile(
    files[1]!,
    JSON.stringify(
      runs.map((r) => ({
        strategy: r.label,
        options: r.run.options,
        seconds: r.run.seconds,
        // The load timeline is the capacity model's (npm run bench), thousands of counts: not a manager's figure.
        usage: { ...r.run.usage, load: undefined },
        consistency: r.run.consistency,
        kpis: r.kpis,
      })),
      null,
      2,
    ),
  );
  return files;
};
