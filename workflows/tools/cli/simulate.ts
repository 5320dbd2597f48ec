// npm start [-- --accounts N --days D --policy P --policy-file F --seed S --out <dir> --strategy <file> --faults R
// --trace <dir> --store S --workers N --agents N --reversal-rate R
// --multi-card-share S]
// Simulates a synthetic portfolio through the real local stack and reports what the strategy achieves.
import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { formatIssues } from '../../../functions/domain/inbound-events';
import { DEFAULT_STRATEGY, StrategySchema, type Strategy } from '../../../functions/domain/strategy';
import { choosePack } from '../../../policies/pack-file';
import { STORE_KINDS, type StoreKind } from '../../twin/store-kind';
import { loadWorkflow } from '../../twin/synthesized-workflow';
import { computeKpis } from '../simulation/kpis';
import { DEFAULT_MULTI_CARD_SHARE } from '../simulation/people';
import { AccountsCsv } from '../simulation/account-row';
import { accountsCsvFile, formatKpiTable, writeReports, type ReportRun } from '../simulation/report';
import { dropStackTracesUnlessTraced, runSimulation, type Progress } from '../simulation/run-simulation';
import { traceFiles } from '../simulation/simulation-trace';

const USAGE =
  'usage: npm start -- [--accounts N (1000)] [--days D (180)] [--policy us-regf|cn (us-regf)] [--policy-file ' +
  '<pack.json>] [--seed S (1)] [--out <dir> (reports)] [--strategy <challenger.json>] [--faults <rate 0..1> ' +
  '(0)] [--trace <dir>] [--store memory|dynamodb-local (memory)] [--workers N (cores)] [--agents N (no limit)] ' +
  '[--reversal-rate <rate 0..1> (0)] [--multi-card-share <0..1> (0.25: people with more than one card)]';

const fail = (message: string, code = 2): never => {
  console.error(message);
  process.exit(code);
};

const positiveInt = (name: string, value: string | undefined, fallback: number, max: number) => {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max)
    fail(`--${name}: expected an integer from 1 to ${max}, got ${value}\n${USAGE}`);
  return n;
};

const parseCli = () => {
  let parsed;
  try {
    parsed = parseArgs({
      options: {
        accounts: { type: 'string' },
        days: { type: 'string' },
        policy: { type: 'string' },
        'policy-file': { type: 'string' },
        seed: { type: 'string' },
        out: { type: 'string' },
        strategy: { type: 'string' },
        faults: { type: 'string' },
        trace: { type: 'string' },
        store: { type: 'string' },
        workers: { type: 'string' },
        agents: { type: 'string' },
        'reversal-rate': { type: 'string' },
        'multi-card-share': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    return fail(`${(error as Error).message}\n${USAGE}`);
  }
  const v = parsed.values;
  if (v.help) {
    console.log(USAGE);
    process.exit(0);
  }
  let pack;
  try {
    pack = choosePack({ policy: v.policy, policyFile: v['policy-file'] });
  } catch (error) {
    return fail(`--${v['policy-file'] ? 'policy-file ' : ''}${(error as Error).message}\n${USAGE}`);
  }
  const seed = v.seed === undefined ? 1 : Number(v.seed);
  if (!Number.isInteger(seed)) fail(`--seed: expected an integer, got ${v.seed}`);
  const store = v.store ?? 'memory';
  if (!(STORE_KINDS as readonly string[]).includes(store))
    fail(`--store: expected one of ${STORE_KINDS.join(', ')}, got ${store}\n${USAGE}`);
  const share = v['multi-card-share'] === undefined ? DEFAULT_MULTI_CARD_SHARE : Number(v['multi-card-share']);
  if (!(share >= 0 && share <= 1))
    fail(`--multi-card-share: expected a share from 0 to 1, got ${v['multi-card-share']}\n${USAGE}`);
  const faults = v.faults === undefined ? 0 : Number(v.faults);
  if (!(faults >= 0 && faults < 1)) fail(`--faults: expected a rate from 0 up to 1, got ${v.faults}\n${USAGE}`);
  const reversalRate = v['reversal-rate'] === undefined ? 0 : Number(v['reversal-rate']);
  if (!(reversalRate >= 0 && reversalRate <= 1))
    fail(`--reversal-rate: expected a rate from 0 to 1, got ${v['reversal-rate']}\n${USAGE}`);
  return {
    accounts: positiveInt('accounts', v.accounts, 1000, 100_000),
    days: positiveInt('days', v.days, 180, 730),
    pack,
    seed,
    out: v.out ?? 'reports',
    strategy: v.strategy,
    faults,
    reversalRate,
    trace: v.trace,
    store: store as StoreKind,
    workers: v.agents === undefined ? positiveInt('workers', v.workers, availableParallelism(), 64) : 1,
    agents: v.agents === undefined ? undefined : positiveInt('agents', v.agents, 1, 10_000),
    multiCardShare: share,
  };
};

const loadStrategy = async (file: string): Promise<Strategy> => {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    return fail(`--strategy ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const result = StrategySchema.safeParse(json);
  if (!result.success) return fail(`--strategy ${file}: ${formatIssues(result.error)}`);
  return result.data;
};

/** A bar on a terminal, a line every tenth of the run otherwise (CI logs, pipes). */
const progressReporter = (label: string) => {
  const started = performance.now();
  let lastTenth = -1;
  return ({ accountDays, totalAccountDays, closed, accounts, batch, batches, day, days }: Progress) => {
    const seconds = (performance.now() - started) / 1000;
    const share = totalAccountDays === 0 ? 1 : accountDays / totalAccountDays;
    const rate = seconds > 0 ? Math.round(accountDays / seconds) : 0;
    // The estimate assumes what is left goes at the pace so far (later days have fewer open accounts).
    const eta = share > 0 && share < 1 ? ` · about ${formatDuration((seconds * (1 - share)) / share)} to go` : '';
    const where = `${batches > 1 ? `batch ${batch}/${batches}, ` : ''}day ${day}/${days}`;
    const text =
      `${label}: ${where} · ${closed.toLocaleString('en-US')}/${accounts.toLocaleString('en-US')} ` +
      `cycles closed · ${rate.toLocaleString('en-US')} account-days/s · ${formatDuration(seconds)}${eta}`;
    if (process.stdout.isTTY) {
      const width = 24;
      const filled = Math.round(share * width);
      process.stdout.write(
        `\r[${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${text}`
          .padEnd(process.stdout.columns ?? 100)
          .slice(0, (process.stdout.columns ?? 100) - 1),
      );
      if (share >= 1) process.stdout.write('\n');
    } else {
      const tenth = Math.floor(share * 10);
      if (tenth !== lastTenth) {
        lastTenth = tenth;
        console.log(text);
      }
    }
  };
};

/** 75 → "75 s", 1500 → "25 min". */
const formatDuration = (seconds: number) =>
  seconds < 120 ? `${seconds.toFixed(0)} s` : `${(seconds / 60).toFixed(0)} min`;

const main = async () => {
  const args = parseCli();
  dropStackTracesUnlessTraced(args);
  const challenger = args.strategy ? await loadStrategy(args.strategy) : undefined;
  const strategies = [DEFAULT_STRATEGY, ...(challenger ? [challenger] : [])];
  console.log(
    `Simulating ${args.accounts} delinquent accounts for ${args.days} days under ${args.pack.id} (seed ` +
      `${args.seed}) on the local stack (${args.store}, ${args.workers} worker${args.workers === 1 ? '' : 's'}${
        args.agents ? `, ${args.agents} collector${args.agents === 1 ? '' : 's'} working one queue in one thread` : ''
      })…`,
  );
  // Loaded only when asked for: this thread loads as little as it can before the workers start.
  const dynamo =
    args.store === 'dynamodb-local'
      ? await (await import('../../twin/dynamodb-local')).startDynamoDbLocal()
      : undefined;
  try {
    const workflow = await loadWorkflow(args.pack);
    const runs: ReportRun[] = [];
    const csvFiles: string[] = [];
    for (const [i, strategy] of strategies.entries()) {
      const label =
        i === 0 ? strategy.id : strategy.id === strategies[0]!.id ? `${strategy.id}-challenger` : strategy.id;
      // One row per account as it finishes, so the file grows with the run and nothing waits for its end.
      const csv = await AccountsCsv.open(accountsCsvFile(args.out, label, strategies.length));
      const traceDir = args.trace ? path.join(args.trace, label) : undefined;
      const run = await runSimulation({
        ...args,
        strategy,
        dynamoEndpoint: dynamo?.endpoint,
        workflow,
        faultRate: args.faults,
        // Written as the run goes, under <trace>/<label>.
        trace: traceDir,
        onProgress: progressReporter(label),
        onAccount: csv.write,
        // Letters for the print vendor (docs/contract.md §8): the champion's under <out>/letters, a challenger's under
        // <out>/<label>/letters.
        documentsDir: i === 0 ? args.out : path.join(args.out, label),
      }).finally(() => csv.close());
      csvFiles.push(csv.file);
      if (traceDir) console.log(`Trace: ${traceFiles(traceDir).join(', ')}`);
      runs.push({ label, run, kpis: computeKpis(run) });
      console.log(
        `${label}: ${run.seconds.toFixed(1)} s, ` +
          `${Math.round((args.accounts * args.days) / run.seconds).toLocaleString('en-US')} account-days/s`,
      );
    }
    console.log(`\n${formatKpiTable(runs)}\n`);
    const files = await writeReports(args.out, runs);
    console.log(`Report: ${[...files, ...csvFiles].join(', ')}`);
    console.log(`Letters (PDF, docs/contract.md §8): ${runs[0]!.kpis.letters} under ${path.join(args.out, 'letters')}`);
    // Worker threads share the process: its peak resident set is the whole run's.
    console.log(`Peak memory: ${(process.resourceUsage().maxRSS / 1024 ** 2).toFixed(2)} GB resident`);
    for (const r of runs) {
      const c = r.run.consistency;
      const off = [...Object.entries(c.messagesSent), ...Object.entries(c.eventsOut)].filter(
        ([, t]) => t.expected !== t.actual,
      );
      console.log(
        `${r.label}: ${r.run.usage.faultsInjected} faults injected · record and deliveries ` +
          `${off.length === 0 ? 'agree' : `DISAGREE on ${off.map(([name]) => name).join(', ')}`} · ` +
          `${c.eventsRedelivered} events redelivered · ${r.run.usage.eventsLate} delivered late, out of order`,
      );
      if (off.length > 0) process.exitCode = 4;
    }
    const violations = runs.flatMap((r) => r.run.violations);
    if (violations.length > 0) {
      console.error(`\n${violations.length} violations of docs/contract.md §3 (must be 0):`);
      for (const v of violations.slice(0, 20)) console.error(`  ${v.accountId} ${v.rule} at ${v.at}: ${v.detail}`);
      process.exitCode = 3;
    }
  } finally {
    await dynamo?.stop();
  }
};

main().catch((error: Error) => fail(`simulation failed: ${error.stack ?? error.message}`, 1));
