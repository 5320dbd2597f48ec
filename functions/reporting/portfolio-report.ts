// The live portfolio report (docs/contract.md §8): what a collections manager reads each morning, from the status
// index and the per-day figures each change wrote with itself — queries and key reads, never a scan.
// Days are UTC dates; "month" is the calendar month of the report's date, "last month" the one before.
import { CHANNELS } from '../domain/channels';
import { addFigures } from '../domain/daily-figures';
import { BUCKET_ORDER } from '../domain/days-past-due';
import { formatMoney } from '../domain/money';
import { addDays, addMonths, type LocalDate } from '../domain/zoned-time';
import type { PortfolioReader } from '../ports';
import { barChart } from './svg-charts';
import { esc, reportPage } from './page';

type Counts = Record<string, number>;
export interface RollRate {
  from: string;
  to: string;
  entered: number;
  rolled: number;
  rate: number | null;
}
export interface CollectorFigures {
  agentId: string;
  dials: number;
  rightParty: number;
  rightPartyRate: number | null;
}

export interface PortfolioReport {
  asOf: LocalDate;
  month: string;
  lastMonth: string;
  open: { accounts: number; byBucket: Counts; onPlan: number; withAgency: number; amountDue: Counts };
  closed: { accounts: number; byReason: Counts };
  /** Minor units per currency. */
  collected: { day: Counts; monthToDate: Counts };
  payments: { day: number; monthToDate: number };
  promises: { made: number; kept: number; broken: number };
  plans: { active: number; offered: number; accepted: number; broken: number; completed: number };
  escalations: Counts;
  /** Why customers said they were late, settlements, write-offs and autopay (docs/contract.md §3.15–3.17). */
  negotiation: {
    reasons: Counts;
    settlements: { offered: number; accepted: number; settled: number; lapsed: number };
    /** Minor units per currency. */
    writtenOff: Counts;
    autopayPlans: number;
    debits: { requested: number; failed: number };
  };
  placements: { placed: number; recalled: number };
  reAged: number;
  letters: Counts;
  contacts: Counts;
  failedContacts: Counts;
  blocked: Counts;
  collectors: CollectorFigures[];
  rollRates: { month: RollRate[]; lastMonth: RollRate[] };
}

const datesFrom = (first: LocalDate, last: LocalDate): LocalDate[] => {
  const dates: LocalDate[] = [];
  for (let d = first; d <= last; d = addDays(d, 1)) dates.push(d);
  return dates;
};

/** Counters under `prefix:`, by what follows it. */
const byPrefix = (figures: Counts, prefix: string): Counts =>
  Object.fromEntries(
    Object.entries(figures)
      .filter(([k, v]) => k.startsWith(`${prefix}:`) && v !== 0)
      .map(([k, v]) => [k.slice(prefix.length + 1), v]),
  );

/** Of the accounts that entered a bucket in the period, how many entered the next one (both counted in the period). */
const rollRates = (figures: Counts): RollRate[] =>
  BUCKET_ORDER.slice(1, -1).map((from, i) => {
    const to = BUCKET_ORDER[i + 2]!;
    const entered = figures[`entered:${from}`] ?? 0;
    const rolled = figures[`entered:${to}`] ?? 0;
    return { from, to, entered, rolled, rate: entered ? rolled / entered : null };
  });

/**
 * Closed accounts only grow, year after year: they are counted page by page, never held (the open ones are the
 * working portfolio, read whole).
 */
const closedTally = async (reader: PortfolioReader): Promise<{ accounts: number; byReason: Counts }> => {
  const byReason: Counts = {};
  let accounts = 0;
  for await (const page of reader.pagesByStatus('closed')) {
    for (const row of page) {
      // A pre-due courtesy is not a collection cycle: it is not in the portfolio.
      if (row.courtesy) continue;
      accounts += 1;
      const reason = row.closeReason ?? 'unknown';
      byReason[reason] = (byReason[reason] ?? 0) + 1;
    }
  }
  return { accounts, byReason };
};

export const buildPortfolioReport = async (reader: PortfolioReader, asOf: LocalDate): Promise<PortfolioReport> => {
  const monthStart = `${asOf.slice(0, 7)}-01`;
  const lastMonthStart = addMonths(monthStart, -1);
  const monthDates = datesFrom(monthStart, asOf);
  const lastMonthDates = datesFrom(lastMonthStart, addDays(monthStart, -1));
  const [daily, openRows, closed] = await Promise.all([
    reader.dailyFigures([...lastMonthDates, ...monthDates]),
    reader.listByStatus('open'),
    closedTally(reader),
  ]);
  const sum = (dates: readonly LocalDate[]) =>
    dates.reduce<Counts>((total, d) => addFigures(total, daily[d] ?? {}), {});
  const day = daily[asOf] ?? {};
  const month = sum(monthDates);
  // A pre-due courtesy is not a collection cycle: it is not in the portfolio.
  const open = openRows.filter((r) => !r.courtesy);
  const agents = [...new Set(Object.keys(byPrefix(month, 'dials')))].sort();
  return {
    asOf,
    month: asOf.slice(0, 7),
    lastMonth: lastMonthStart.slice(0, 7),
    open: {
      accounts: open.length,
      byBucket: Object.fromEntries(
        BUCKET_ORDER.map((b) => [b, open.filter((r) => r.bucket === b).length]).filter(([, n]) => n),
      ),
      onPlan: open.filter((r) => r.onPlan).length,
      withAgency: open.filter((r) => r.placed).length,
      amountDue: open.reduce<Counts>((due, r) => ({ ...due, [r.currency]: (due[r.currency] ?? 0) + r.amountDue }), {}),
    },
    closed,
    collected: { day: byPrefix(day, 'collected'), monthToDate: byPrefix(month, 'collected') },
    payments: { day: day.payments ?? 0, monthToDate: month.payments ?? 0 },
    promises: {
      made: month['promises-made'] ?? 0,
      kept: month['promises-kept'] ?? 0,
      broken: month['promises-broken'] ?? 0,
    },
    plans: {
      active: open.filter((r) => r.onPlan).length,
      offered: month['plans-offered'] ?? 0,
      accepted: month['plans-accepted'] ?? 0,
      broken: month['plans-broken'] ?? 0,
      completed: month['closed:plan-completed'] ?? 0,
    },
    escalations: byPrefix(month, 'escalated'),
    negotiation: {
      reasons: byPrefix(month, 'reasons'),
      settlements: {
        offered: month['settlements-offered'] ?? 0,
        accepted: month['settlements-accepted'] ?? 0,
        settled: month['closed:settled'] ?? 0,
        lapsed: month['settlements-lapsed'] ?? 0,
      },
      writtenOff: byPrefix(month, 'written-off'),
      autopayPlans: month['plans-autopay'] ?? 0,
      debits: { requested: month['debits-requested'] ?? 0, failed: month['payments-failed'] ?? 0 },
    },
    placements: { placed: month.placed ?? 0, recalled: month.recalled ?? 0 },
    reAged: month['re-aged'] ?? 0,
    letters: byPrefix(month, 'letters'),
    contacts: byPrefix(month, 'contacts'),
    failedContacts: byPrefix(month, 'contacts-failed'),
    blocked: byPrefix(month, 'blocked'),
    collectors: agents.map((agentId) => {
      const dials = month[`dials:${agentId}`] ?? 0;
      const rightParty = month[`right-party:${agentId}`] ?? 0;
      return { agentId, dials, rightParty, rightPartyRate: dials ? rightParty / dials : null };
    }),
    rollRates: { month: rollRates(month), lastMonth: rollRates(sum(lastMonthDates)) },
  };
};

const pct = (x: number | null) => (x === null ? 'n/a' : `${(x * 100).toFixed(1)}%`);
const moneyList = (amounts: Counts) =>
  Object.entries(amounts)
    .map(([currency, amount]) => formatMoney({ amount, currency }, 'en-US'))
    .join() || '0';

/** Every figure as one CSV row: section, metric, period, value. */
export const reportRows = (r: PortfolioReport): [string, string, string, string | number][] => {
  const rows: [string, string, string, string | number][] = [];
  const add = (section: string, counts: Counts, period: string) => {
    for (const [k, v] of Object.entries(counts)) rows.push([section, k, period, v]);
  };
  add('open by bucket', r.open.byBucket, r.asOf);
  rows.push(
    ['open', 'accounts', r.asOf, r.open.accounts],
    ['open', 'on a plan', r.asOf, r.open.onPlan],
    ['open', 'with the agency', r.asOf, r.open.withAgency],
  );
  add('open amount due (minor units)', r.open.amountDue, r.asOf);
  add('closed by reason', r.closed.byReason, 'all time');
  add('collected (minor units)', r.collected.day, r.asOf);
  add('collected (minor units)', r.collected.monthToDate, `${r.month} to date`);
  rows.push(
    ['payments', 'count', r.asOf, r.payments.day],
    ['payments', 'count', `${r.month} to date`, r.payments.monthToDate],
  );
  add('promises', r.promises, `${r.month} to date`);
  add('plans', r.plans, `${r.month} to date (active: now)`);
  add('escalations', r.escalations, `${r.month} to date`);
  add('reasons given', r.negotiation.reasons, `${r.month} to date`);
  add('settlements', r.negotiation.settlements, `${r.month} to date`);
  add('written off on settlement (minor units)', r.negotiation.writtenOff, `${r.month} to date`);
  rows.push(
    ['autopay', 'plans accepted with autopay', `${r.month} to date`, r.negotiation.autopayPlans],
    ['autopay', 'debits requested', `${r.month} to date`, r.negotiation.debits.requested],
    ['autopay', 'payments failed', `${r.month} to date`, r.negotiation.debits.failed],
  );
  add('placements', r.placements, `${r.month} to date`);
  rows.push(['re-aged', 'accounts', `${r.month} to date`, r.reAged]);
  add('letters', r.letters, `${r.month} to date`);
  add('contacts by channel', r.contacts, `${r.month} to date`);
  add('failed contacts by channel', r.failedContacts, `${r.month} to date`);
  add('blocked contacts by rule', r.blocked, `${r.month} to date`);
  for (const c of r.collectors)
    rows.push(
      ['collector dials', c.agentId, `${r.month} to date`, c.dials],
      ['collector right-party contacts', c.agentId, `${r.month} to date`, c.rightParty],
    );
  for (const [period, rates] of [
    [r.month, r.rollRates.month],
    [r.lastMonth, r.rollRates.lastMonth],
  ] as const) {
    for (const rate of rates)
      rows.push(['roll rate', `${rate.from}→${rate.to}`, period, rate.rate === null ? '' : rate.rate.toFixed(4)]);
  }
  return rows;
};

const csvCell = (value: string | number) =>
  /[",\n]/.test(String(value)) ? `"${String(value).replace(/"/g, '""')}"` : String(value);
export const renderReportCsv = (r: PortfolioReport): string =>
  ['section,metric,period,value', ...reportRows(r).map((row) => row.map(csvCell).join(','))].join('\n') + '\n';

const table = (rows: [string, string | number][]) =>
  `<table><tbody>${rows.map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(String(v))}</td></tr>`).join('')}` +
  '</tbody></table>';

export const renderReportHtml = (r: PortfolioReport): string => {
  const charts = [
    barChart('Open accounts by bucket', BUCKET_ORDER.slice(), [
      { name: 'accounts', values: BUCKET_ORDER.map((b) => r.open.byBucket[b] ?? 0) },
    ]),
    barChart(
      `Roll rates (%), ${r.lastMonth} against ${r.month}`,
      r.rollRates.month.map((x) => `${x.from}→${x.to}`),
      [
        { name: r.lastMonth, values: r.rollRates.lastMonth.map((x) => Math.round((x.rate ?? 0) * 100)) },
        { name: r.month, values: r.rollRates.month.map((x) => Math.round((x.rate ?? 0) * 100)) },
      ],
    ),
    barChart(
      `Contacts by channel, ${r.month} to date`,
      [...CHANNELS],
      [{ name: 'contacts', values: CHANNELS.map((c) => r.contacts[c] ?? 0) }],
    ),
    ...(r.collectors.length
      ? [
          barChart(
            `Dials and right-party contacts per collector, ${r.month} to date`,
            r.collectors.map((c) => c.agentId),
            [
              { name: 'dials', values: r.collectors.map((c) => c.dials) },
              { name: 'right-party', values: r.collectors.map((c) => c.rightParty) },
            ],
          ),
        ]
      : []),
  ];
  const body = `<div class="charts">${charts.join('\n')}</div>
<h2>Portfolio on ${esc(r.asOf)}</h2>
${table([
  ['open accounts', r.open.accounts],
  ['on a plan', r.open.onPlan],
  ['with the agency', r.open.withAgency],
  ['overdue on open accounts', moneyList(r.open.amountDue)],
  ['closed', r.closed.accounts],
  ...Object.entries(r.closed.byReason).map(([k, v]) => [`closed: ${k}`, v] as [string, number]),
])}
<h2>Collections</h2>
${table([
  [`collected on ${r.asOf}`, moneyList(r.collected.day)],
  [`collected ${r.month} to date`, moneyList(r.collected.monthToDate)],
  ['payments that day', r.payments.day],
  [`payments ${r.month} to date`, r.payments.monthToDate],
])}
<h2>Negotiation and escalation, ${esc(r.month)} to date</h2>
${table([
  ['promises made / kept / broken', `${r.promises.made} / ${r.promises.kept} / ${r.promises.broken}`],
  ['plans active now', r.plans.active],
  [
    'plans offered / accepted / broken / completed',
    `${r.plans.offered} / ${r.plans.accepted} / ${r.plans.broken} / ${r.plans.completed}`,
  ],
  ...Object.entries(r.escalations).map(([k, v]) => [`escalated to ${k}`, v] as [string, number]),
  ['placed with the agency / recalled', `${r.placements.placed} / ${r.placements.recalled}`],
  ['re-aged', r.reAged],
  ...Object.entries(r.negotiation.reasons).map(([k, v]) => [`reason given: ${k}`, v] as [string, number]),
  [
    'settlements offered / accepted / settled / lapsed',
    `${r.negotiation.settlements.offered} / ${r.negotiation.settlements.accepted} / ` +
      `${r.negotiation.settlements.settled} / ${r.negotiation.settlements.lapsed}`,
  ],
  ['written off on settlement', moneyList(r.negotiation.writtenOff)],
  [
    'autopay plans; debits requested / payments failed',
    `${r.negotiation.autopayPlans}; ${r.negotiation.debits.requested} / ${r.negotiation.debits.failed}`,
  ],
  ...Object.entries(r.letters).map(([k, v]) => [`letters: ${k}`, v] as [string, number]),
])}
<h2>Contacts, ${esc(r.month)} to date</h2>
${table([
  ...Object.entries(r.contacts).map(([k, v]) => [`contacts by ${k}`, v] as [string, number]),
  ...Object.entries(r.failedContacts).map(([k, v]) => [`failed by ${k}`, v] as [string, number]),
  ...Object.entries(r.blocked)
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => [`blocked by ${k}`, v] as [string, number]),
])}
<h2>Collectors, ${esc(r.month)} to date</h2>
${table(
  r.collectors.map((c) => [c.agentId, `${c.dials} dials, ${c.rightParty} right-party (${pct(c.rightPartyRate)})`]),
)}
<h2>Roll rates</h2>
${table(
  r.rollRates.month.map((x, i) => [
    `${x.from} → ${x.to}`,
    `${r.month}: ${pct(x.rate)} (${x.rolled} of ${x.entered}) · ${r.lastMonth}: ${pct(r.rollRates.lastMonth[i]!.rate)}`,
  ]),
)}`;
  return reportPage(
    'Collections portfolio',
    `As of ${esc(r.asOf)} (UTC days) · read from the status index and the per-day figures written with each ` +
      `change · roll rate X→Y: accounts that entered Y in the month ÷ accounts that entered X in it`,
    body,
  );
};
