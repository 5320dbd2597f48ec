// npm run fuzz -- [--runs N (200)] [--seed S] [--faults R (0.05)] [--interleave R (0.25)] [--policy us-regf|cn|all
// (all)] [--out dir (reports/fuzz)]
// Deterministic simulation testing (docs/contract.md §10.3): generated scenarios through the local stack, every §3 rule
// and the invariants checked; on a failure, the smallest scenario it shrinks to is written and the rule printed.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { POLICY_IDS, type PolicyId } from '../../../policies/built-in-packs';
import { DEFAULT_INTERLEAVE, fuzz } from '../fuzz/fuzz';
import { writeWholeFile } from '../../twin/write-whole-file';

const USAGE =
  'usage: npm run fuzz -- [--runs N (200)] [--seed S (from the clock)] [--faults R 0..0.2 (0.05)] ' +
  `[--interleave R 0..1 (${DEFAULT_INTERLEAVE})] [--policy us-regf|cn|all (all)] [--out dir (reports/fuzz)]`;

const fail = (message: string): never => {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
};

const parseCli = () => {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        runs: { type: 'string' },
        seed: { type: 'string' },
        faults: { type: 'string' },
        interleave: { type: 'string' },
        policy: { type: 'string' },
        out: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    return fail((error as Error).message);
  }
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const runs = values.runs === undefined ? 200 : Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) fail(`--runs: expected an integer >= 1, got ${values.runs}`);
  const seed = values.seed === undefined ? Date.now() % 1_000_000 : Number(values.seed);
  if (!Number.isInteger(seed)) fail(`--seed: expected an integer, got ${values.seed}`);
  const faults = values.faults === undefined ? 0.05 : Number(values.faults);
  if (!(faults >= 0 && faults <= 0.2)) fail(`--faults: expected a rate from 0 to 0.2, got ${values.faults}`);
  const interleave = values.interleave === undefined ? DEFAULT_INTERLEAVE : Number(values.interleave);
  if (!(interleave >= 0 && interleave <= 1))
    fail(`--interleave: expected a share of task starts from 0 to 1, got ${values.interleave}`);
  const policy = values.policy ?? 'all';
  if (policy !== 'all' && !(POLICY_IDS as readonly string[]).includes(policy))
    fail(`--policy: expected one of ${POLICY_IDS.join(', ')} or all, got ${policy}`);
  const policies: PolicyId[] = policy === 'all' ? [...POLICY_IDS] : [policy as PolicyId];
  return { runs, seed, faults, interleave, policies, out: values.out ?? path.join('reports', 'fuzz') };
};

const main = async () => {
  const options = parseCli();
  console.log(
    `Fuzzing ${options.runs} generated scenarios (seed ${options.seed}, faults ${options.faults}, ` +
      `interleaving ${options.interleave}, ` +
      `${options.policies.join(' and ')})…`,
  );
  let last = 0;
  const result = await fuzz({
    runs: options.runs,
    seed: options.seed,
    faultRate: options.faults,
    interleave: options.interleave,
    policies: options.policies,
    onRun: (n) => {
      if (performance.now() - last < 2_000) return;
      last = performance.now();
      process.stdout.write(`  ${n} scenarios run${n > options.runs ? ' (shrinking)' : ''}\n`);
    },
  });
  const rate = (result.scenarios / result.seconds).toFixed(1);
  if (!result.failure) {
    console.log(
      `✓ ${result.runs} scenarios, every rule held (${result.ledgerMismatches} ledger mismatches): ` +
        `${result.seconds.toFixed(1)} s, ${rate} scenarios a second.`,
    );
    return;
  }
  const { problem, scenario, shrinks, failedAt } = result.failure;
  const file = path.join(options.out, `fuzz-${options.seed}-${failedAt}.json`);
  await writeWholeFile(file, `${JSON.stringify(scenario, null, 2)}\n`);
  console.error(
    [
      `✗ scenario ${failedAt} broke ${problem.rule}: ${problem.detail}`,
      `  shrunk ${shrinks} times to ${scenario.events.length} events; written to ${file}`,
      `  reproduce: npm run scenario -- ${file} --store memory --faults ${options.faults} --seed ${options.seed} ` +
        `--interleave ${options.interleave}`,
    ].join('\n'),
  );
  process.exit(1);
};

await main();
