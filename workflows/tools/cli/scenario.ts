// npm run scenario -- <scenario.json> [--json <out.json>] [--faults <rate>] [--seed <n>] [--interleave <rate>] [--trace
// <dir>] [--policy-file <pack.json>] [--store dynamodb-local|memory] [--pay-url <template>]
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { formatMoney } from '../../../functions/domain/money';
import { payUrlProblem } from '../../../functions/domain/pay-url-template';
import { InvalidPolicyError } from '../../../functions/domain/policy-packs';
import { readPackFile } from '../../../policies/pack-file';
import { STORE_KINDS, type StoreKind } from '../../twin/local-stack';
import { runScenario, type ScenarioResult } from '../scenario/run-scenario';
import { ScenarioTrace } from '../scenario/scenario-trace';
import { InvalidScenarioError, parseScenario } from '../scenario/scenario-file';

const USAGE =
  'usage: npm run scenario -- <scenario.json> [--json <out.json>] [--faults <rate 0..1>] [--seed <n>] ' +
  '[--interleave <share of task starts 0..1>] [--trace ' +
  "<dir>] [--policy-file <pack.json> (instead of the scenario's policy)] [--store dynamodb-local|memory " +
  '(dynamodb-local)] [--pay-url <template with {accountId} {amount} {currency} {reference}>]';

const fail = (message: string, code = 1): never => {
  console.error(message);
  process.exit(code);
};

const parseCli = () => {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        json: { type: 'string' },
        faults: { type: 'string' },
        seed: { type: 'string' },
        interleave: { type: 'string' },
        trace: { type: 'string' },
        'policy-file': { type: 'string' },
        store: { type: 'string' },
        'pay-url': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    return fail(`${(error as Error).message}\n${USAGE}`, 2);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  if (positionals.length !== 1) fail(`expected one scenario file, got ${positionals.length}\n${USAGE}`, 2);
  const faults = values.faults === undefined ? 0 : Number(values.faults);
  if (!(faults >= 0 && faults < 1)) fail(`--faults: expected a rate from 0 up to 1, got ${values.faults}`, 2);
  const seed = values.seed === undefined ? 1 : Number(values.seed);
  if (!Number.isInteger(seed)) fail(`--seed: expected an integer, got ${values.seed}`, 2);
  const interleave = values.interleave === undefined ? 0 : Number(values.interleave);
  if (!(interleave >= 0 && interleave <= 1))
    fail(`--interleave: expected a share of task starts from 0 to 1, got ${values.interleave}`, 2);
  let pack;
  try {
    pack = values['policy-file'] ? readPackFile(values['policy-file']) : undefined;
  } catch (error) {
    if (error instanceof InvalidPolicyError) return fail(`invalid policy file ${error.message}`);
    throw error;
  }
  const store = (values.store ?? 'dynamodb-local') as StoreKind;
  if (!STORE_KINDS.includes(store)) fail(`--store: expected one of ${STORE_KINDS.join(', ')}, got ${values.store}`, 2);
  const payUrl = values['pay-url'];
  const payProblem = payUrl === undefined ? null : payUrlProblem(payUrl);
  if (payProblem) fail(`--pay-url: ${payProblem}`, 2);
  return {
    file: positionals[0]!,
    json: values.json,
    faults,
    seed,
    interleave,
    trace: values.trace,
    pack,
    store,
    payUrl,
  };
};

const money = (amount: number, currency: string) => formatMoney({ amount, currency }, 'en-US');

const describeEntry = (entry: Record<string, unknown>): string => {
  const { at: _at, kind, text: _text, locale: _locale, ...rest } = entry;
  const fields = Object.entries(rest)
    .map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : v}`)
    .join(' ');
  return `${kind}${fields ? ` ${fields}` : ''}`;
};

const printSummary = (file: string, result: ScenarioResult, seconds: number) => {
  const days = Math.round((Date.parse(result.until) - Date.parse(result.start)) / 86_400_000);
  console.log(
    `Scenario ${path.basename(file)} — policy ${result.policy}, ${result.start} → ${result.until} (${days} ` +
      `virtual days in ${seconds.toFixed(1)} s)`,
  );
  for (const a of result.accounts) {
    const fate = a.status === 'closed' ? `closed ${a.closeReason} at ${a.closedAt}` : 'open';
    const contacts = a.timeline.filter((e) => e.kind === 'contact').length;
    console.log(
      `\n  ${a.accountId} (cycle ${a.cycleId}): ${fate} — collected ${money(a.collected, a.currency)}, balance ` +
        `${money(a.balance, a.currency)}, ${contacts} contacts`,
    );
    for (const entry of a.timeline)
      console.log(`    ${entry.at.slice(0, 16).replace('T', ' ')}Z  ${describeEntry(entry)}`);
  }
  for (const c of result.courtesy) {
    const sent = c.timeline.filter((e) => e.kind === 'contact').length;
    console.log(
      `\n  ${c.accountId} (statement ${c.statementId}, courtesy): ${sent} reminder${sent === 1 ? '' : 's'} sent`,
    );
    for (const entry of c.timeline)
      console.log(`    ${entry.at.slice(0, 16).replace('T', ' ')}Z  ${describeEntry(entry)}`);
  }
  if (result.rejected.length) {
    console.log('\n  Rejected events:');
    for (const r of result.rejected) console.log(`    #${r.index} ${r.detailType}: ${r.reason}`);
  }
  for (const f of result.failures) console.log(`\n  FAILED execution ${f.execution}: ${f.error}`);
  if (result.violations.length) {
    console.log('\n  Violations of docs/contract.md §3:');
    for (const v of result.violations) console.log(`    ${v.accountId} ${v.rule} at ${v.at}: ${v.detail}`);
  }
  const k = result.kpis;
  console.log(
    `\n  KPIs: ${k.accounts} accounts · ${k.cured} cured · ${k.planCompleted} plan-completed · ` +
      `${k.settled} settled · ${k.chargedOff} ` +
      `charged-off · ${k.open} open · collected ${k.collected} of ${k.overdue} overdue (minor units) · ` +
      `${k.contacts} contacts · ${k.rejected} rejected · ${k.violations} violations ` +
      `(${k.ledgerMismatches} ledger mismatches)`,
  );
};

const main = async () => {
  const args = parseCli();
  let text: string;
  try {
    text = await readFile(args.file, 'utf8');
  } catch (error) {
    return fail(
      `cannot read scenario ${args.file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  let scenario;
  try {
    scenario = parseScenario(text);
  } catch (error) {
    if (error instanceof InvalidScenarioError) return fail(`invalid scenario ${args.file}: ${error.message}`);
    throw error;
  }
  const started = performance.now();
  // Written as the run goes; every account with a cycle gets its folder.
  const trace = args.trace ? new ScenarioTrace(args.trace) : undefined;
  const { result, artifacts } = await runScenario(scenario, {
    faultRate: args.faults,
    interleave: args.interleave,
    seed: args.seed,
    keepHistory: Boolean(args.trace),
    trace,
    pack: args.pack,
    store: args.store,
    payUrl: args.payUrl,
  });
  printSummary(args.file, result, (performance.now() - started) / 1000);
  if (args.json) {
    await mkdir(path.dirname(path.resolve(args.json)), { recursive: true });
    await writeFile(args.json, JSON.stringify(result, null, 2));
    console.log(`  JSON result: ${args.json}`);
  }
  if (trace) {
    trace.close(artifacts.states.keys());
    console.log(`  Trace: ${args.trace}/<accountId>/{executions.json,logs.jsonl}`);
  }
};

main().then(
  () => process.exit(0),
  (error: Error) => fail(`scenario run failed: ${error.stack ?? error.message}`),
);
