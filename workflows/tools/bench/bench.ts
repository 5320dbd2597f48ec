// npm run bench [-- --accounts N --days D --compare N --burst E --large N --pairs N]: the figures that matter, measured
// run, absolute and against their targets, and the capacity model (capacity.ts) of the simulated load at a bank's
// scale. Not a test: timing depends on the machine; docs/benchmark.md records what we saw.
import { POLICY_PACKS } from '../../../policies/built-in-packs';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { buildBundle, HANDLERS } from './build-bundle';
import { fuzz } from '../fuzz/fuzz';
import { runBurst } from './burst';
import { measureScenarioPace } from './scenario-pace';
import { startDynamoDbLocal } from '../../twin/dynamodb-local';
import { loadWorkflow } from '../../twin/synthesized-workflow';
import { AccountsCsv, type AccountRow } from '../simulation/account-row';
import { estimateCost } from '../simulation/cost-model';
import { capacityModel, type CapacityModel } from './capacity';
import { runSimulation } from '../simulation/run-simulation';
import { describePaired, LAST_RELEASE, pairedStart } from './paired-start';

const root = path.resolve(import.meta.dirname, '../../..');
const WORKFLOW_HANDLERS = HANDLERS.filter((h) => h !== 'intake');
/** Every SDK package the project uses, imported whole: the "bundle of the whole SDK" to compare with. */
const WHOLE_SDK = [
  '@aws-sdk/client-dynamodb',
  '@aws-sdk/lib-dynamodb',
  '@aws-sdk/client-sfn',
  '@aws-sdk/client-sesv2',
  '@aws-sdk/client-eventbridge',
  '@aws-sdk/client-sqs',
  '@aws-sdk/client-pinpoint-sms-voice-v2',
  '@aws-lambda-powertools/idempotency',
];

const { values } = parseArgs({
  options: {
    accounts: { type: 'string' },
    days: { type: 'string' },
    burst: { type: 'string' },
    compare: { type: 'string' },
    large: { type: 'string' },
    pairs: { type: 'string' },
  },
});
/**
 * The planning-size run, as a user starts it (`npm start -- --accounts N`); 0 leaves it out (it takes about half an
 * hour).
 */
const largeAccounts = Number(values.large ?? 100_000);
/** Accounts for the side-by-side run of both stores: DynamoDB Local's streams slow it as they grow (README). */
const compareAccounts = Number(values.compare ?? 200);
const burstEvents = Number(values.burst ?? 10_000);
const accounts = Number(values.accounts ?? 1000);
const days = Number(values.days ?? 180);
/** Runs of `npm start` on each side of the pairing with the last release (paired-start.ts); 0 leaves it out. */
const pairs = Number(values.pairs ?? 3);

/** Median wall time of importing a module in a fresh Node process, minus an empty module's. */
const coldImportMs = (file: string, empty: string) => {
  const time = (target: string) => {
    const samples = Array.from({ length: 5 }, () => {
      const started = performance.now();
      const run = spawnSync(
        process.execPath,
        ['--input-type=module', '-e', `await import(${JSON.stringify(target)})`],
        { encoding: 'utf8' },
      );
      if (run.status !== 0) throw new Error(`importing ${target} failed: ${run.stderr}`);
      return performance.now() - started;
    }).sort((a, b) => a - b);
    return samples[2]!;
  };
  return Math.max(0, time(file) - time(empty));
};

/**
 * `npm start -- --accounts N` in a process of its own, as a user runs it: its wall time, the simulation's own
 * seconds and the peak resident memory it reports (worker threads included), and whether it ended clean.
 */
const largeRun = (accounts: number, days: number) => {
  const out = mkdtempSync(path.join(tmpdir(), 'bench-large-'));
  const started = performance.now();
  const child = spawnSync(
    process.execPath,
    [
      path.join(root, 'node_modules/tsx/dist/cli.mjs'),
      path.join(root, 'workflows/tools/cli/simulate.ts'),
      '--accounts',
      String(accounts),
      '--days',
      String(days),
      '--out',
      out,
    ],
    { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  const wallSeconds = (performance.now() - started) / 1000;
  if (child.status !== 0)
    throw new Error(`npm start -- --accounts ${accounts} exited with ${child.status}: ${child.stderr.slice(-2000)}`);
  const seconds = Number(/champion: ([\d.]+) s,/.exec(child.stdout)?.[1]);
  const peakGb = Number(/Peak memory: ([\d.]+) GB/.exec(child.stdout)?.[1]);
  const clean =
    child.stdout.includes('record and deliveries agree') && /policy violations \(must be 0\)\s+0\b/.test(child.stdout);
  return { accounts, days, wallSeconds, seconds, peakGb, clean, targetSeconds: 30 * 60, targetGb: 4 };
};

/** Days an account stayed open: from its first day (past due within the run's first two) to its close or the end. */
const daysOpen = (closedAt: string | null, start: number, days: number) => {
  const closedDay = closedAt ? (Date.parse(closedAt) - start) / 86_400_000 : days;
  return Math.max(0.5, Math.min(days, closedDay) - 1);
};

const printCapacity = (capacity: CapacityModel) => {
  const n = (x: number) => Math.round(x).toLocaleString('en-US');
  console.log(
    `\nCapacity at ${n(capacity.stock)} delinquent accounts (steady state: the stock turned over every ` +
      `${capacity.meanOpenDays.toFixed(0)} days, as the ${n(capacity.accounts)} simulated stayed open on average; ` +
      `cohort: the whole stock past due within two days)`,
  );
  for (const r of capacity.rows)
    console.log(
      `  ${r.measure.padEnd(36)} peak ${n(r.peakSecond).padStart(7)} (busiest minute's mean ` +
        `${n(r.minuteMeanPerSecond)}), cohort ${n(r.cohortPeakSecond)}; quota ${r.quota}: ` +
        `${(r.use * 100).toFixed(1)}% (cohort ${(r.cohortUse * 100).toFixed(1)}%)`,
    );
  const first = capacity.rows.find((r) => r.measure === capacity.bindsFirst.measure)!;
  console.log(
    `  binds first: ${first.measure}, at about ${n(capacity.bindsFirst.atStock)} delinquent accounts; ` +
      `then ${first.remedy}`,
  );
};

const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`;
const verdict = (ok: boolean) => (ok ? 'meets target' : 'MISSES target');

const main = async () => {
  console.log(`Benchmark on ${(await import('node:os')).cpus().length} cores, Node ${process.version}\n`);
  // First, while nothing else of the bench runs: npm start at the last release and in this tree, alternating.
  if (pairs > 0) console.log(`  npm start at the last release (${LAST_RELEASE}) and here, ${pairs} runs each…`);
  const paired = pairs > 0 ? pairedStart({ pairs, accounts, days }) : null;

  // Bundles, as the stack builds them.
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-bundles-'));
  const empty = path.join(dir, 'empty.mjs');
  writeFileSync(empty, 'export {};\n');
  const wholeSource = WHOLE_SDK.map((p, i) => `import * as m${i} from '${p}'; globalThis.keep${i} = m${i};`).join('\n');
  const whole = {
    size: await buildBundle({ contents: wholeSource }, path.join(dir, 'whole-sdk.bundle.mjs'), { sdkAsIs: true }),
    ms: 0,
  };
  whole.ms = coldImportMs(path.join(dir, 'whole-sdk.bundle.mjs'), empty);
  const bundles = [];
  for (const handler of HANDLERS) {
    const out = path.join(dir, `${handler}.mjs`);
    const size = await buildBundle(handler, out);
    bundles.push({ handler, size, ms: coldImportMs(out, empty) });
  }

  // The portfolio simulation, end to end, as `npm start` runs it (in-process adapters, one worker per
  // core), then the same seed on DynamoDB Local through the real SDK clients (its start included).
  const workflow = await loadWorkflow(POLICY_PACKS['us-regf']);
  const progress = (label: string, started: number) => {
    let last = 0;
    return ({ accountDays, totalAccountDays }: { accountDays: number; totalAccountDays: number }) => {
      const percent = Math.floor((accountDays / totalAccountDays) * 100);
      if (percent < last + 20) return;
      last = percent;
      console.log(`  ${label}: ${percent}% at ${((performance.now() - started) / 1000).toFixed(0)} s`);
    };
  };
  const memoryStarted = performance.now();
  // As npm start does: letters rendered and written to a folder (docs/contract.md §8).
  const scratch = mkdtempSync(path.join(tmpdir(), 'bench-'));
  const csv = await AccountsCsv.open(path.join(scratch, 'accounts.csv'));
  const closedAt: (string | null)[] = [];
  const memory = await runSimulation({
    accounts,
    days,
    pack: POLICY_PACKS['us-regf'],
    seed: 1,
    workflow,
    store: 'memory',
    workers: availableParallelism(),
    documentsDir: scratch,
    onAccount: (row) => {
      closedAt.push(row.closedAt || null);
      return csv.write(row);
    },
    onProgress: progress('memory', memoryStarted),
  });
  await csv.close();
  const memorySeconds = (performance.now() - memoryStarted) / 1000;
  // Each account's row (outcome, money, contacts, furthest bucket) from both stores, in account order.
  const rowsOf = (rows: AccountRow[]) => () =>
    JSON.stringify(rows.sort((a, b) => a.accountId.localeCompare(b.accountId)));
  const smallRows: AccountRow[] = [];
  const smallStarted = performance.now();
  await runSimulation({
    accounts: compareAccounts,
    days,
    pack: POLICY_PACKS['us-regf'],
    seed: 1,
    workflow,
    store: 'memory',
    workers: 1,
    onAccount: (row) => smallRows.push(row),
  });
  const smallSeconds = (performance.now() - smallStarted) / 1000;
  const dynamoRows: AccountRow[] = [];
  const started = performance.now();
  const dynamo = await startDynamoDbLocal();
  const run = await runSimulation({
    accounts: compareAccounts,
    days,
    pack: POLICY_PACKS['us-regf'],
    seed: 1,
    dynamoEndpoint: dynamo.endpoint,
    workflow,
    store: 'dynamodb-local',
    onAccount: (row) => dynamoRows.push(row),
    onProgress: progress('dynamodb-local', started),
  });
  const seconds = (performance.now() - started) / 1000;
  const sameOutcomes = rowsOf(smallRows)() === rowsOf(dynamoRows)();
  if (largeAccounts > 0)
    console.log(
      `  npm start -- --accounts ${largeAccounts.toLocaleString('en-US')} in its own process ` +
        `(${largeAccounts >= 50_000 ? 'some 20–25 minutes here; ' : ''}--large 0 leaves it out)…`,
    );
  const large = largeAccounts > 0 ? largeRun(largeAccounts, days) : null;

  // The scenario runner keeps DynamoDB Local (fidelity first): its pace per account-cycle.
  console.log('  every scenario (ours and the shared examples) on DynamoDB Local…');
  const scenarios = await measureScenarioPace([
    path.join(root, 'test/scenarios'),
    path.join(root, 'examples/scenarios'),
  ]);

  // A burst of inbound events through the queue semantics: throughput, latency, nothing lost.
  console.log(`  burst of ${burstEvents.toLocaleString('en-US')} inbound events…`);
  await dynamo.stop();
  // On a fresh DynamoDB Local of its own: the one above has grown streams that slow every write.
  const burst = await runBurst({ events: burstEvents, accounts: Math.max(10, Math.round(burstEvents / 20)), seed: 1 });
  const lost = Object.entries(burst.applied).filter(([, t]) => t.sent !== t.recorded + t.refused);

  // Generated scenarios (npm run fuzz): how many a second this machine checks, in one thread.
  console.log('  200 generated scenarios (npm run fuzz, seed 1)…');
  const fuzzed = await fuzz({ runs: 200, seed: 1, faultRate: 0.05, policies: ['us-regf', 'cn'] });
  const loops = run.usage.invocations.diagnose ?? 0;
  const workflowRequests = WORKFLOW_HANDLERS.reduce((sum, h) => sum + (run.usage.dynamoByHandler[h] ?? 0), 0);
  const cost = estimateCost(run.usage, compareAccounts);
  const targetSeconds = (20 * (accounts * days)) / (1000 * 180);
  const intakeRequests = run.usage.dynamoByHandler.intake ?? 0;
  // The load npm start's run put on what AWS limits, scaled to a bank's million delinquent accounts (capacity.ts).
  const openDays = closedAt.map((at) => daysOpen(at, Date.parse(memory.options.start), days));
  const capacity = capacityModel(memory.usage.load, {
    accounts,
    meanOpenDays: openDays.reduce((a, b) => a + b, 0) / Math.max(1, openDays.length),
  });

  const results = {
    pairedStart: paired,
    simulation: {
      accounts,
      days,
      targetSeconds,
      memory: {
        seconds: memorySeconds,
        workers: availableParallelism(),
        accountDaysPerSecond: (accounts * days) / memorySeconds,
        violations: memory.violations.length,
      },
      large,
      compared: {
        accounts: compareAccounts,
        memorySeconds: smallSeconds,
        dynamodbLocalSeconds: seconds,
        dynamodbLocalAccountDaysPerSecond: (compareAccounts * days) / seconds,
        ratio: seconds / smallSeconds,
        sameOutcomes,
        violations: run.violations.length,
      },
    },
    perLoop: {
      loops,
      dynamoRequests: workflowRequests / loops,
      withIntake: (workflowRequests + intakeRequests) / loops,
      stateTransitions: run.usage.transitions / loops,
      requestsByHandler: run.usage.dynamoByHandler,
    },
    bundles: { targetBytes: 250 * 1024, wholeSdk: whole, handlers: bundles },
    cost: { per1000AccountCycles: cost.perAccount * 1000, lines: cost.lines },
    scenarios: { ...scenarios, targetSecondsPerAccountCycle: 1 },
    burst: { ...burst, lost: lost.length },
    fuzz: {
      runs: fuzzed.runs,
      scenarios: fuzzed.scenarios,
      seconds: fuzzed.seconds,
      perSecond: fuzzed.scenarios / fuzzed.seconds,
      target: 20,
      failure: fuzzed.failure?.problem ?? null,
    },
    consistency: run.consistency,
    capacity: { ...capacity, shapes: undefined },
  };

  console.log('\nSimulation throughput (end to end)');
  if (paired)
    console.log(
      `  npm start, ${accounts} × ${days}, paired with the last release:\n${describePaired(paired).join('\n')}`,
    );
  console.log(
    `  npm start defaults (memory, ${availableParallelism()} workers): ${accounts} accounts × ${days} days in ` +
      `${memorySeconds.toFixed(1)} s = ${Math.round((accounts * days) / memorySeconds).toLocaleString('en-US')} ` +
      `account-days/s; target ${targetSeconds.toFixed(0)} s: ${(memorySeconds / targetSeconds).toFixed(2)}× the ` +
      `target, ${verdict(memorySeconds <= targetSeconds)}; ${memory.violations.length} violations`,
  );
  if (large) {
    console.log(
      `  npm start -- --accounts ${large.accounts.toLocaleString('en-US')}: ` +
        `${(large.wallSeconds / 60).toFixed(1)} min wall (target 30: ` +
        `${verdict(large.wallSeconds <= large.targetSeconds)}), peak memory ${large.peakGb.toFixed(2)} GB ` +
        `(target 4: ${verdict(large.peakGb <= large.targetGb)}); ` +
        `${large.clean ? 'no violations, record and deliveries agree' : 'VIOLATIONS or DISAGREEMENT: see its output'}`,
    );
  }
  console.log(
    `  ${compareAccounts} accounts, same seed: --store dynamodb-local ${seconds.toFixed(1)} s (its start ` +
      `included) against memory with one worker ${smallSeconds.toFixed(1)} s: ` +
      `${(seconds / smallSeconds).toFixed(1)}×; ${run.violations.length} violations; outcomes per account ` +
      `${sameOutcomes ? 'identical' : 'DIFFER'}`,
  );
  console.log('\nScenario runner (DynamoDB Local, one instance, scenarios one after another)');
  console.log(
    `  ${scenarios.scenarios} scenarios, ${scenarios.accountCycles} account-cycles in ` +
      `${scenarios.seconds.toFixed(1)} s: ${scenarios.secondsPerAccountCycle.toFixed(2)} s per account-cycle ` +
      `(target about 1 s); slowest ${scenarios.slowest.file}, ` +
      `${(scenarios.slowest.seconds / scenarios.slowest.accountCycles).toFixed(1)} s per account-cycle; ` +
      `starting DynamoDB Local took ${scenarios.startSeconds.toFixed(1)} s (each npm run scenario starts its own)`,
  );
  console.log('\nInbound burst (batches of 10, partial failures, redelivery, DLQ; DynamoDB Local)');
  console.log(
    `  ${burst.events.toLocaleString('en-US')} events (${burst.duplicates} twice, ${burst.malformed} ` +
      `malformed): ${Math.round(burst.eventsPerSecond)} events/s; batch apply latency p50 ` +
      `${burst.p50Ms.toFixed(0)} ms, p99 ${burst.p99Ms.toFixed(0)} ms`,
  );
  const losses = lost.map(([t, c]) => `${t} ${c.recorded}+${c.refused}/${c.sent}`).join(', ');
  console.log(
    `  ${lost.length === 0 ? 'nothing lost' : `LOST: ${losses}`}; ${burst.deadLetteredDistinct} events in the DLQ ` +
      `with their reasons (${burst.malformed} malformed, the rest refused by the account's rules)`,
  );
  console.log('\nGenerated scenarios (in-process store, faults 5%, one thread)');
  console.log(
    `  ${fuzzed.scenarios} scenarios in ${fuzzed.seconds.toFixed(1)} s: ` +
      `${(fuzzed.scenarios / fuzzed.seconds).toFixed(1)} a second (target 20: ` +
      `${verdict(fuzzed.scenarios / fuzzed.seconds >= 20)}); ` +
      `${fuzzed.failure ? `BROKE ${fuzzed.failure.problem.rule}` : 'every rule held'}`,
  );
  console.log('\nPer workflow loop (one Diagnose)');
  console.log(
    `  ${loops} loops; ${results.perLoop.dynamoRequests.toFixed(2)} DynamoDB requests per loop (reported, no ` +
      `target: DynamoDB is under 1% of the cost, and send-once stays on Powertools idempotency), ` +
      `${results.perLoop.withIntake.toFixed(2)} counting intake; ${results.perLoop.stateTransitions.toFixed(2)} ` +
      `state transitions per loop`,
  );
  console.log(
    `  requests by handler: ${Object.entries(run.usage.dynamoByHandler)
      .map(([h, n]) => `${h} ${n}`)
      .join(', ')}`,
  );
  console.log('\nBundles (minified, as deployed) and cold import time in a fresh Node process');
  console.log(
    `  whole SDK (${WHOLE_SDK.length} packages, not tree-shaken): ${kb(whole.size)}, ${whole.ms.toFixed(0)} ms`,
  );
  for (const b of bundles) {
    console.log(
      `  ${b.handler.padEnd(12)} ${kb(b.size).padStart(7)} (${((b.size / whole.size) * 100).toFixed(0)}% of ` +
        `whole SDK; target ≤ 250 KB: ${verdict(b.size <= 250 * 1024)})  import ${b.ms.toFixed(0)} ms ` +
        `(${(b.ms / Math.max(1, whole.ms)).toFixed(2)}× whole SDK)`,
    );
  }
  printCapacity(capacity);
  console.log('\nEstimated AWS cost (us-east-1 on-demand, see README "Cost model")');
  console.log(`  per 1,000 account-cycles: $${results.cost.per1000AccountCycles.toFixed(2)}`);
  for (const [line, usd] of Object.entries(cost.lines))
    console.log(`    ${line.padEnd(28)} $${((usd * 1000) / compareAccounts).toFixed(3)}`);
  await mkdir(path.join(root, 'reports'), { recursive: true });
  await writeFile(path.join(root, 'reports/bench.json'), JSON.stringify(results, null, 2));
  console.log('\nFigures written to reports/bench.json');
};

main().catch((error: Error) => {
  console.error(`bench failed: ${error.stack ?? error.message}`);
  process.exit(1);
});
