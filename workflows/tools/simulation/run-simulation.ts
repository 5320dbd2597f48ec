// Runs a synthetic portfolio through the local stack on the virtual clock: the synthesized state machine,
// the deployed handlers, in-process adapters or DynamoDB Local and local SES, with simulated customers.
// Accounts never interact, so a run can be sharded across worker threads and merged: same seed, same
// outcome per account, whatever the number of workers. Results stream: each account is read once when it
// finishes, adds its share to the KPI tally and its row to accounts.csv, and is let go, so a run's memory
// follows the accounts still open rather than every record ever written.
import { Worker } from 'node:worker_threads';
import type { PolicyPack } from '../../../functions/domain/policy-packs';
import { dial } from '../../twin/collectors';
import { CollectorPool, type PoolOptions } from './collector-pool';
import { LocalStack } from '../../twin/local-stack';
import { checkAccount, PiiScanner } from '../scenario/compliance-check';
import type { Violation } from '../scenario/violation';
import { accountRow, type AccountRow } from './account-row';
import { addUp } from './add-up';
import { checkConsistency, impliedBy, noneImplied, PublishedEvents } from './consistency';
import { emptyTally, tallyAccount } from './kpis';
import { CustomerAgents } from './customer-agents';
import type { SyntheticAccount } from './portfolio';
import { joinPeople, peopleCounter, portfolioOfShard, takeBatch } from './people';
import { DEFAULT_BATCH_SIZE, type Progress, type SimulationOptions, type SimulationRun } from './simulation-options';
import type { SimulatedAccount } from './simulated-account';
import { combineProgress, mergeRuns } from './merge-runs';

export { DEFAULT_BATCH_SIZE, type Progress, type SimulationOptions, type SimulationRun } from './simulation-options';
export type { SimulatedAccount } from './simulated-account';
export { combineProgress, mergeRuns } from './merge-runs';

const DAY = 86_400_000;

/** A delivery's own number, from its account and delivery number alone (so not from which accounts run beside it). */
const deliveryHash = (accountId: string, n: number): number => {
  let hash = n * 2_654_435_761;
  for (const char of accountId) hash = Math.imul(hash ^ char.charCodeAt(0), 16_777_619) >>> 0;
  return hash;
};
/** About 1% of deliveries arrive twice, as at-least-once queues deliver. */
const duplicateDelivery = (hash: number): boolean => hash % 100 === 0;
/**
 * About 2% arrive 1–10 minutes late, after events sent later (a standard queue keeps no order, docs/contract.md §10.1):
 * how late, or 0.
 */
const lateBy = (hash: number): number => (hash % 50 === 1 ? (1 + ((hash >>> 8) % 10)) * 60_000 : 0);

/** Which accounts a worker runs: those whose index modulo `of` is `index` (round robin spreads the profiles). */
export interface Shard {
  index: number;
  of: number;
}

/** How often the collectors look at the queue when the team is limited. */
const POOL_SLICE_MS = 10 * 60_000;

/** The call centre: in the pack's main zone, 08:00–20:00, 12 minutes for a conversation, 3 for any other dial. */
export const poolOptions = (agents: number, pack: PolicyPack): PoolOptions => ({
  agents,
  fromHour: 8,
  untilHour: 20,
  timezone: pack.country === 'CN' ? 'Asia/Shanghai' : 'America/Chicago',
  handleMinutes: { conversation: 12, other: 3 },
});

/**
 * The Step Functions interpreter's JSONPath library (jsonpath-plus) throws an Error to hand back every
 * scalar result, and V8 collects a stack for each: about a tenth of a run's CPU. A thread that runs a
 * simulation with no trace keeps no stacks, so its errors carry their message alone; `--trace` keeps them.
 */
export const dropStackTracesUnlessTraced = (options: Pick<SimulationOptions, 'keepHistory'>): void => {
  if (!options.keepHistory) Error.stackTraceLimit = 0;
};

export const runSimulation = async (options: SimulationOptions): Promise<SimulationRun> => {
  // One team works one queue: a limited team runs every account in one thread.
  const workers = options.agents ? 1 : Math.max(1, Math.min(options.workers ?? 1, options.accounts));
  return workers === 1 ? runShard(options, { index: 0, of: 1 }) : runInWorkers(options, workers);
};

const START = new Date('2026-01-05T00:00:00Z');

/** Runs one shard of the portfolio in this thread, in batches of `batchSize` accounts, one after another. */
export const runShard = async (options: SimulationOptions, shard: Shard): Promise<SimulationRun> => {
  const started = performance.now();
  const start = options.start ?? START;
  const queue = portfolioOfShard(options, start, shard);
  const accounts = queue.length;
  const size = options.agents ? accounts : Math.max(1, options.batchSize ?? DEFAULT_BATCH_SIZE);
  const batches = Math.max(1, Math.ceil(accounts / size));
  const runs: SimulationRun[] = [];
  let closedBefore = 0;
  for (let batch = 1; batch <= batches; batch += 1) {
    // Taken off the queue, so a finished batch's customers are let go with its stack.
    const portfolio = takeBatch(queue, size);
    const done = (batch - 1) * size;
    const run = await runBatch(options, portfolio, (p) =>
      options.onProgress?.({
        ...p,
        accountDays: done * options.days + p.accountDays,
        totalAccountDays: accounts * options.days,
        closed: closedBefore + p.closed,
        accounts,
        batch,
        batches,
      }),
    );
    closedBefore += run.tally.accounts - (run.tally.outcomes.open ?? 0);
    runs.push(run);
  }
  return runs.length === 1 ? runs[0]! : mergeRuns(runs, options.accounts, (performance.now() - started) / 1000);
};

/** Runs a batch of accounts on one local stack, from the delinquency of each to the run's end. */
const runBatch = async (
  options: SimulationOptions,
  portfolio: SyntheticAccount[],
  onProgress: (p: Progress) => void,
): Promise<SimulationRun> => {
  const started = performance.now();
  const start = options.start ?? START;
  const until = start.getTime() + options.days * DAY;
  const frame = { start, until: new Date(until), days: options.days };
  const { pack } = options;
  const profileOf = new Map(portfolio.map((a) => [a.event.detail.accountId, a.profile]));
  // Customer names, emails and phones must appear in no log line, event out or execution (docs/contract.md §6).
  const pii = new PiiScanner(
    portfolio.flatMap((a) => [
      a.event.detail.customer.name,
      a.event.detail.customer.email ?? '',
      a.event.detail.customer.phone ?? '',
    ]),
  );
  const published = new PublishedEvents();
  const tally = emptyTally(options.days);
  const people = peopleCounter(pack, portfolio);
  const implied = noneImplied();
  const violations: Violation[] = [];
  const kept: SimulatedAccount[] = [];
  const finished = new Set<string>();
  /** Accounts whose CycleClosed went out: a redelivered event (at least once) counts and finishes an account once. */
  const closed = new Set<string>();
  let eventsIn = 0;
  let eventsLate = 0;
  let failure: Error | undefined;
  let agents: CustomerAgents | undefined;
  const pool = options.agents ? new CollectorPool(poolOptions(options.agents, pack)) : undefined;
  // Assigned once the stack has started; the listeners that read it run only after that.
  let stack: LocalStack;

  /** Reads a finished account once: its share of the KPIs, its checks and its row; then lets it go. */
  const finish = async (accountId: string) => {
    if (finished.has(accountId)) return;
    finished.add(accountId);
    const state = await stack.store.getState(accountId);
    if (!state) return;
    const account: SimulatedAccount = {
      profile: profileOf.get(accountId)!,
      state,
      record: await stack.store.record(accountId, state.cycleId),
    };
    addUp(tally, tallyAccount(account, frame));
    people.add(account);
    addUp(implied, impliedBy(account));
    violations.push(...checkAccount(account, pack, frame.until));
    options.onAccount?.(accountRow(account, frame.until));
    if (options.keepRecords) kept.push(account);
    else stack.release(accountId);
  };
  /** Once the closed account has settled (its execution ended), on its own clock, before anything later for it. */
  const finishWhenSettled = (accountId: string) => {
    const { scheduler } = stack;
    scheduler.schedule(scheduler.timeOf(accountId), accountId, () => {
      scheduler.enter(accountId);
      finish(accountId)
        .catch((error: Error) => {
          failure ??= error;
        })
        .finally(() => scheduler.leave(accountId));
    });
  };

  stack = await LocalStack.start({
    pack,
    start,
    strategy: options.strategy,
    dynamoEndpoint: options.dynamoEndpoint,
    workflow: options.workflow,
    faultRate: options.faultRate,
    seed: options.seed,
    keepHistory: options.keepHistory,
    store: options.store ?? 'memory',
    documentsDir: options.documentsDir,
    keepOutputs: Boolean(options.keepHistory),
    onLog: (line) => pii.scan('logs', line),
    onEventOut: (event) => {
      pii.scan('events out', event);
      published.add(event);
      if (event.detailType === 'CycleClosed') {
        const accountId = String(event.detail.accountId);
        if (!closed.has(accountId)) {
          closed.add(accountId);
          finishWhenSettled(accountId);
        }
      }
      agents?.onEventOut(event);
    },
  });
  try {
    const { scheduler } = stack;
    joinPeople(scheduler, portfolio);
    const deliver = (at: number, key: string, envelope: Record<string, unknown>) => {
      if (at >= until) return;
      stack.enqueue(
        key,
        async () => {
          eventsIn += 1;
          return { ...envelope, time: new Date(scheduler.timeOf(key)).toISOString() };
        },
        at,
      );
    };
    const sentBy = new Map<string, number>();
    agents = new CustomerAgents(
      portfolio,
      pack.maxPlanInstalments,
      options.seed,
      (at, accountId, source, detailType, detail) => {
        // Counted per account, so an account's deliveries do not depend on which others run beside it.
        const sent = (sentBy.get(accountId) ?? 0) + 1;
        sentBy.set(accountId, sent);
        const envelope = { id: `sim-${accountId}-${sent}`, source, 'detail-type': detailType, detail };
        const hash = deliveryHash(accountId, sent);
        const late = lateBy(hash);
        if (late > 0 && at + late < until) eventsLate += 1;
        deliver(at + late, accountId, envelope);
        // Twice, as at-least-once queues deliver: it must apply once.
        if (duplicateDelivery(hash)) deliver(at + 60_000, accountId, envelope);
      },
      (call) => {
        // A limited team takes the task from the queue; without one, a collector dials it when the customer's own delay
        // says.
        if (pool) pool.enqueue(call);
        else if (call.at < until && call.at < call.expiresAt)
          dial(stack, call.accountId, call.taskId, call.outcome, 'sim-collector', call.at);
      },
    );
    for (const account of portfolio) {
      deliver(account.delinquentAt, account.event.detail.accountId, {
        id: `delinquent-${account.index}`,
        source: 'bank.core',
        'detail-type': 'AccountDelinquent',
        detail: account.event.detail,
      });
    }
    // Progress follows the account furthest behind: every account has reached at least that day.
    let lastDay = -1;
    const progress = (laggard: number) => {
      const day = Math.min(options.days, Math.floor((laggard - start.getTime()) / DAY));
      if (day !== lastDay) {
        lastDay = day;
        onProgress({
          accountDays: portfolio.length * day,
          totalAccountDays: portfolio.length * options.days,
          closed: closed.size,
          accounts: portfolio.length,
          batch: 1,
          batches: 1,
          day,
          days: options.days,
        });
      }
    };
    if (pool) {
      // The team shares one clock with every account: run in slices, and at each slice the free collectors take the
      // queue.
      for (let t = start.getTime(); t < until; t += POOL_SLICE_MS) {
        for (const d of pool.assign(t, Math.min(t + POOL_SLICE_MS, until)))
          dial(stack, d.accountId, d.taskId, d.outcome, d.agentId, d.at);
        await scheduler.runUntil(Math.min(t + POOL_SLICE_MS, until), progress);
      }
    } else {
      await scheduler.runUntil(until, progress);
    }
    await stack.engine.abortAll();
    if (failure) throw failure;
    // Accounts still open at the end, and any closed too late in the run to have been read.
    for (const account of portfolio) await finish(account.event.detail.accountId);

    const executions = [...stack.engine.executions.values()];
    pii.scan(
      'execution input',
      executions.map((e) => e.input),
    );
    if (options.keepHistory)
      pii.scan(
        'execution history',
        executions.map((e) => e.history),
      );
    violations.push(...pii.violations());
    const emails = await stack.emailsSent();
    const sms = stack.messagesSent.sms;
    await options.inspect?.(stack);
    const order = new Map(portfolio.map((a, i) => [a.event.detail.accountId, i]));
    const { tally: perPerson, violations: overCaps } = people.done();
    violations.push(...overCaps);
    return {
      people: perPerson,
      consistency: checkConsistency(implied, { emails, sms }, published),
      ...(options.keepHistory ? { trace: { executions, logs: stack.logs, eventsOut: stack.eventsOut } } : {}),
      options: {
        accounts: options.accounts,
        days: options.days,
        policy: pack.id,
        seed: options.seed,
        store: options.store ?? 'memory',
        strategy: options.strategy?.id ?? 'champion',
        start: start.toISOString(),
        until: new Date(until).toISOString(),
        currency: portfolio[0]?.event.detail.currency ?? 'USD',
      },
      tally,
      violations,
      accounts: kept.sort((a, b) => order.get(a.state.accountId)! - order.get(b.state.accountId)!),
      ...(pool
        ? {
            collectors: {
              agents: pool.options.agents,
              dials: pool.dials,
              shiftHours: pool.shiftHours(start.getTime(), until),
              busyHours: pool.busyMs / 3_600_000,
            },
          }
        : {}),
      usage: {
        ...stack.usage,
        transitions: stack.engine.transitions,
        emails,
        sms,
        faultsInjected: stack.faultsInjected,
        crashesInjected: stack.crashesInjected,
        throttlesInjected: stack.throttlesInjected,
        eventsOut: Object.values(published.distinct).reduce((a, b) => a + b, 0) + published.redelivered,
        eventsIn,
        eventsLate,
        executions: executions.length,
        failedExecutions: executions.filter((e) => e.status === 'failed').length,
      },
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    await stack.stop();
  }
};

type FromWorker =
  | { type: 'progress'; progress: Progress }
  | { type: 'accounts'; rows: AccountRow[] }
  | { type: 'done'; run: SimulationRun }
  | { type: 'failed'; error: string };

/** Shards the portfolio across worker threads, each with its own stack, and merges what they return. */
const runInWorkers = async (options: SimulationOptions, workers: number): Promise<SimulationRun> => {
  const started = performance.now();
  const { onProgress, onAccount, inspect: _inspect, ...rest } = options;
  const latest: (Progress | undefined)[] = Array.from({ length: workers }, () => undefined);
  const runs = await Promise.all(
    Array.from(
      { length: workers },
      (_, index) =>
        new Promise<SimulationRun>((resolve, reject) => {
          // Workers load TypeScript through tsx, as every script here does.
          const worker = new Worker(new URL('./simulation-worker.ts', import.meta.url), {
            workerData: { options: rest, shard: { index, of: workers } },
            execArgv: ['--import', 'tsx'],
          });
          worker.on('message', (message: FromWorker) => {
            if (message.type === 'progress') {
              latest[index] = message.progress;
              if (onProgress && latest.every(Boolean)) onProgress(combineProgress(latest as Progress[]));
            } else if (message.type === 'accounts') {
              if (onAccount) for (const row of message.rows) onAccount(row);
            } else if (message.type === 'done') {
              resolve(message.run);
              void worker.terminate();
            } else {
              reject(new Error(`simulation worker ${index}: ${message.error}`));
            }
          });
          worker.on('error', reject);
          worker.on('exit', (code) => {
            if (code !== 0) reject(new Error(`simulation worker ${index} exited with ${code}`));
          });
        }),
    ),
  );
  return mergeRuns(runs, options.accounts, (performance.now() - started) / 1000);
};
