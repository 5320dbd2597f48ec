// `npm start` at the last release against the working tree, paired: the runs alternate (release, tree, release, …)
// on one machine in one sitting, so that whatever else loads the machine weighs on both alike, and the ratio of
// their times says whether the tree is slower. Step by step "no slower within noise" against the last commit once
// added up to 1.31× (issue 36): the yardstick is the last release, moved on at each release.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** The commit of the last release: what the working tree is measured against (docs/benchmark.md). */
export const LAST_RELEASE = '691ed9b';

/** A ratio of the tree's time to the release's above this is a regression to fix or to explain (issue 36). */
export const REGRESSION_RATIO = 1.05;

export interface TimedRun {
  side: 'release' | 'tree';
  /** User and system CPU of the whole process, worker threads included. */
  cpuSeconds: number;
  wallSeconds: number;
}

export interface PairedStart {
  release: string;
  accounts: number;
  days: number;
  seed: number;
  runs: TimedRun[];
  /** Mean CPU and wall of the tree over the release's. */
  cpuRatio: number;
  wallRatio: number;
  /** Whether both wrote the same accounts.csv (they differ where behaviour changed on purpose). */
  sameAccounts: boolean;
}

const root = path.resolve(import.meta.dirname, '../../..');

/**
 * Preloaded into each run: at exit the process writes its own CPU time (all its threads) where the bench reads it.
 * Both sides are measured the same way whatever their code, because the release's code is not asked to report it.
 */
const REPORT_CPU =
  "import { writeFileSync } from 'node:fs';" +
  "process.on('exit', () => { const { user, system } = process.cpuUsage();" +
  ' writeFileSync(process.env.BENCH_CPU_FILE, String((user + system) / 1e6)); });';

const git = (args: string[], cwd = root) => {
  const run = spawnSync('git', args, { cwd, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`git ${args.join(' ')}: ${run.stderr || run.error?.message}`);
  return run.stdout.trim();
};

/** One `npm start` in `dir` (the simulate CLI under tsx, as the script runs it), timed. */
const start = (dir: string, args: string[], scratch: string) => {
  const cpuFile = path.join(scratch, 'cpu');
  const began = performance.now();
  const run = spawnSync(
    process.execPath,
    ['--import', `data:text/javascript,${encodeURIComponent(REPORT_CPU)}`, '--import', 'tsx', ...args],
    {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, BENCH_CPU_FILE: cpuFile },
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  const wallSeconds = (performance.now() - began) / 1000;
  if (run.status !== 0) throw new Error(`npm start in ${dir} exited with ${run.status}: ${run.stderr.slice(-2000)}`);
  return { cpuSeconds: Number(readFileSync(cpuFile, 'utf8')), wallSeconds };
};

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

/**
 * Runs `npm start -- --accounts N --days D --seed S` `pairs` times on each side, alternating, the release checked out
 * in a temporary git worktree on this tree's node_modules (removed afterwards). One small run on each side first,
 * untimed: it synthesizes the release's workflow into the cache and warms the disk for both.
 */
export const pairedStart = ({
  pairs = 3,
  accounts = 1000,
  days = 180,
  seed = 1,
  release = LAST_RELEASE,
  log = (line: string) => console.log(line),
}: {
  pairs?: number;
  accounts?: number;
  days?: number;
  seed?: number;
  release?: string;
  log?: (line: string) => void;
} = {}): PairedStart => {
  const scratch = mkdtempSync(path.join(tmpdir(), 'bench-paired-'));
  const checkout = path.join(scratch, 'release');
  git(['worktree', 'add', '--detach', checkout, release]);
  try {
    symlinkSync(realpathSync(path.join(root, 'node_modules')), path.join(checkout, 'node_modules'), 'dir');
    const dirs = { release: checkout, tree: root };
    const args = (side: string, n: number, d: number) => [
      'workflows/tools/cli/simulate.ts',
      ...['--accounts', String(n), '--days', String(d), '--seed', String(seed)],
      ...['--out', path.join(scratch, side)],
    ];
    for (const side of ['release', 'tree'] as const) start(dirs[side], args(`warm-${side}`, 10, 5), scratch);
    const runs: TimedRun[] = [];
    for (let pair = 1; pair <= pairs; pair += 1) {
      for (const side of ['release', 'tree'] as const) {
        const run = { side, ...start(dirs[side], args(side, accounts, days), scratch) };
        runs.push(run);
        log(`  ${side} run ${pair}/${pairs}: CPU ${run.cpuSeconds.toFixed(1)} s, wall ${run.wallSeconds.toFixed(1)} s`);
      }
    }
    const of = (side: TimedRun['side'], key: 'cpuSeconds' | 'wallSeconds') =>
      mean(runs.filter((r) => r.side === side).map((r) => r[key]));
    const csv = (side: string) => path.join(scratch, side, 'accounts.csv');
    return {
      release: git(['rev-parse', '--short', release]),
      accounts,
      days,
      seed,
      runs,
      cpuRatio: of('tree', 'cpuSeconds') / of('release', 'cpuSeconds'),
      wallRatio: of('tree', 'wallSeconds') / of('release', 'wallSeconds'),
      sameAccounts:
        existsSync(csv('release')) && readFileSync(csv('release'), 'utf8') === readFileSync(csv('tree'), 'utf8'),
    };
  } finally {
    git(['worktree', 'remove', '--force', checkout]);
    rmSync(scratch, { recursive: true, force: true });
  }
};

/** The paired row as the bench prints it. */
export const describePaired = (paired: PairedStart): string[] => {
  const side = (name: TimedRun['side']) => {
    const runs = paired.runs.filter((r) => r.side === name);
    const figures = (key: 'cpuSeconds' | 'wallSeconds') =>
      `${mean(runs.map((r) => r[key])).toFixed(1)} s (${runs.map((r) => r[key].toFixed(1)).join(', ')})`;
    return `CPU ${figures('cpuSeconds')}, wall ${figures('wallSeconds')}`;
  };
  const regressed = paired.cpuRatio > REGRESSION_RATIO || paired.wallRatio > REGRESSION_RATIO;
  const verdict = regressed
    ? `ABOVE ${REGRESSION_RATIO}: a regression to fix or explain in docs/benchmark.md`
    : `within ${REGRESSION_RATIO}`;
  return [
    `  the last release (${paired.release}): ${side('release')}`,
    `  the working tree: ${side('tree')}`,
    `  tree / release: CPU ${paired.cpuRatio.toFixed(2)}×, wall ${paired.wallRatio.toFixed(2)}× (${verdict}); ` +
      `accounts.csv ${paired.sameAccounts ? 'identical' : 'differs (behaviour changed since the release)'}`,
  ];
};
