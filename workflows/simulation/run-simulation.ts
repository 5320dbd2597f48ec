// Runs a synthetic portfolio through the local stack on the virtual clock: the synthesized state machine,
// the deployed handlers, in-process adapters or DynamoDB Local and local SES, with simulated customers.
// Accounts never interact, so a run can be sharded across worker threads and merged: same seed, same
// outcome per account, whatever the number of workers.
import { Worker } from 'node:worker_threads';
import type { AccountState } from '../../functions/domain/account';
import type { PolicyPack } from '../../functions/domain/policy-packs';
import type { RecordEntry } from '../../functions/domain/record';
import type { Strategy } from '../../functions/domain/strategy';
import { dial } from '../local/collectors';
import { CollectorPool, type PoolOptions } from './collector-pool';
import { LocalStack, type StoreKind, type Usage } from '../local/local-stack';
import type { SynthesizedWorkflow } from '../local/synthesized-workflow';
import { checkAccount, checkNoPii, type Violation } from '../scenario/compliance-check';
import { checkConsistency, type Consistency } from './consistency';
import { CustomerAgents } from './customer-agents';
import { generatePortfolio, type Profile } from './portfolio';

export interface SimulationOptions {
  accounts: number;
  days: number;
  pack: PolicyPack;
  seed: number;
  strategy?: Strategy;
  start?: Date;
  dynamoEndpoint?: string;
  workflow?: SynthesizedWorkflow;
  /** Share of calls to every local endpoint that fail transiently, plus handlers failing after their writes (0–1). */
  faultRate?: number;
  /** Keep execution histories for a trace. */
  keepHistory?: boolean;
  /** In-process adapters (`memory`, the default) or DynamoDB Local through the real SDK clients. */
  store?: StoreKind;
  /** Worker threads to shard the accounts across (default 1: this thread). */
  workers?: number;
  /** A team of this many collectors works the call queue in its shift (default: no limit, every task dialled within the hour). */
  agents?: number;
  /** Folder documents are written under (letters as `letters/<accountId>/<letterId>.pdf`); default: kept in memory and dropped. */
  documentsDir?: string;
  /** Called with the stack when the run has ended, before it stops (one thread only): reads what the run left. */
  inspect?: (stack: LocalStack) => Promise<void>;
  /** Called as virtual time advances: day reached, cycles closed so far. */
  onProgress?: (progress: { day: number; days: number; closed: number; accounts: number }) => void;
}

export interface SimulatedAccount { profile: Profile; state: AccountState; record: RecordEntry[] }

export interface SimulationRun {
  options: Required<Pick<SimulationOptions, 'accounts' | 'days' | 'seed'>> & { policy: string; strategy: string; start: string; until: string; store: StoreKind };
  /** The limited team, when there was one: its size, its dials, and its hours on shift and on calls. */
  collectors?: { agents: number; dials: number; shiftHours: number; busyHours: number };
  accounts: SimulatedAccount[];
  violations: Violation[];
  usage: Usage & {
    transitions: number; emails: number; sms: number; eventsOut: number; eventsIn: number; executions: number; failedExecutions: number;
    /** Transient faults injected at the local endpoints, and handlers made to fail after their writes. */
    faultsInjected: number; crashesInjected: Record<string, number>;
  };
  consistency: Consistency;
  /** For --trace: executions, logs and events out as the run left them. */
  trace?: { executions: unknown[]; logs: unknown[]; eventsOut: unknown[] };
  seconds: number;
}

const DAY = 86_400_000;

/** About 1% of deliveries arrive twice, chosen by account and delivery number alone. */
const duplicateDelivery = (accountId: string, n: number): boolean => {
  let hash = n * 2_654_435_761;
  for (const char of accountId) hash = Math.imul(hash ^ char.charCodeAt(0), 16_777_619) >>> 0;
  return hash % 100 === 0;
};

/** Which accounts a worker runs: those whose index modulo `of` is `index` (round robin spreads the profiles). */
export interface Shard { index: number; of: number }

/** How often the collectors look at the queue when the team is limited. */
const POOL_SLICE_MS = 10 * 60_000;

/** The call centre: in the pack's main zone, 08:00–20:00, 12 minutes for a conversation, 3 for any other dial. */
export const poolOptions = (agents: number, pack: PolicyPack): PoolOptions => ({
  agents, fromHour: 8, untilHour: 20, timezone: pack.country === 'CN' ? 'Asia/Shanghai' : 'America/Chicago',
  handleMinutes: { conversation: 12, other: 3 },
});

export const runSimulation = async (options: SimulationOptions): Promise<SimulationRun> => {
  // One team works one queue: a limited team runs every account in one thread.
  const workers = options.agents ? 1 : Math.max(1, Math.min(options.workers ?? 1, options.accounts));
  return workers === 1 ? runShard(options, { index: 0, of: 1 }) : runInWorkers(options, workers);
};

/** Runs one shard of the portfolio in this thread. */
export const runShard = async (options: SimulationOptions, shard: Shard): Promise<SimulationRun> => {
  const started = performance.now();
  const start = options.start ?? new Date('2026-01-05T00:00:00Z');
  const until = start.getTime() + options.days * DAY;
  const portfolio = generatePortfolio({ accounts: options.accounts, country: options.pack.country, start, seed: options.seed })
    .filter((account) => account.index % shard.of === shard.index);
  let closed = 0;
  let eventsIn = 0;
  let agents: CustomerAgents | undefined;
  const pool = options.agents ? new CollectorPool(poolOptions(options.agents, options.pack)) : undefined;
  const stack = await LocalStack.start({
    pack: options.pack, start, strategy: options.strategy, dynamoEndpoint: options.dynamoEndpoint, workflow: options.workflow,
    faultRate: options.faultRate, seed: options.seed, keepHistory: options.keepHistory, store: options.store ?? 'memory', documentsDir: options.documentsDir,
    onEventOut: (event) => {
      if (event.detailType === 'CycleClosed') closed += 1;
      agents?.onEventOut(event);
    },
  });
  try {
    const { scheduler } = stack;
    const deliver = (at: number, key: string, envelope: Record<string, unknown>) => {
      if (at >= until) return;
      stack.enqueue(key, async () => {
        eventsIn += 1;
        return { ...envelope, time: new Date(scheduler.timeOf(key)).toISOString() };
      }, at);
    };
    const sentBy = new Map<string, number>();
    agents = new CustomerAgents(portfolio, options.pack.maxPlanInstalments, options.seed, (at, accountId, source, detailType, detail) => {
      // Counted per account, so an account's deliveries do not depend on which others run beside it.
      const sent = (sentBy.get(accountId) ?? 0) + 1;
      sentBy.set(accountId, sent);
      const envelope = { id: `sim-${accountId}-${sent}`, source, 'detail-type': detailType, detail };
      deliver(at, accountId, envelope);
      // About 1% of deliveries arrive twice, as at-least-once buses do: they must apply once.
      if (duplicateDelivery(accountId, sent)) deliver(at + 60_000, accountId, envelope);
    }, (call) => {
      // A limited team takes the task from the queue; without one, a collector dials it when the customer's own delay says.
      if (pool) pool.enqueue(call);
      else if (call.at < until && call.at < call.expiresAt) dial(stack, call.accountId, call.taskId, call.outcome, 'sim-collector', call.at);
    });
    for (const account of portfolio) {
      deliver(account.delinquentAt, account.event.detail.accountId, { id: `delinquent-${account.index}`, source: 'bank.core', 'detail-type': 'AccountDelinquent', detail: account.event.detail });
    }
    // Progress follows the account furthest behind: every account has reached at least that day.
    let lastDay = -1;
    const progress = (laggard: number) => {
      const day = Math.min(options.days, Math.floor((laggard - start.getTime()) / DAY));
      if (day !== lastDay) {
        lastDay = day;
        options.onProgress?.({ day, days: options.days, closed, accounts: portfolio.length });
      }
    };
    if (pool) {
      // The team shares one clock with every account: run in slices, and at each slice the free collectors take the queue.
      for (let t = start.getTime(); t < until; t += POOL_SLICE_MS) {
        for (const d of pool.assign(t, Math.min(t + POOL_SLICE_MS, until))) dial(stack, d.accountId, d.taskId, d.outcome, d.agentId, d.at);
        await scheduler.runUntil(Math.min(t + POOL_SLICE_MS, until), progress);
      }
    } else {
      await scheduler.runUntil(until, progress);
    }
    await stack.engine.abortAll();

    const { pack } = options;
    const accounts: SimulatedAccount[] = [];
    const violations: Violation[] = [];
    for (const account of portfolio) {
      const state = await stack.store.getState(account.event.detail.accountId);
      if (!state) continue;
      const record = await stack.store.record(state.accountId, state.cycleId);
      accounts.push({ profile: account.profile, state, record });
      violations.push(...checkAccount({ state, record }, pack, new Date(until)));
    }
    const executions = [...stack.engine.executions.values()];
    const pii = portfolio.flatMap((a) => [a.event.detail.customer.name, a.event.detail.customer.email ?? '', a.event.detail.customer.phone ?? '']).filter(Boolean);
    violations.push(...checkNoPii(pii, {
      'execution input': executions.map((e) => e.input), 'execution history': executions.map((e) => e.history), logs: stack.logs, 'events out': stack.eventsOut,
    }));
    const emails = (await stack.emails()).length;
    await options.inspect?.(stack);
    return {
      consistency: checkConsistency(accounts, { emails, sms: stack.sms.length, eventsOut: stack.eventsOut }),
      ...(options.keepHistory ? { trace: { executions, logs: stack.logs, eventsOut: stack.eventsOut } } : {}),
      options: { accounts: options.accounts, days: options.days, policy: options.pack.id, seed: options.seed, store: options.store ?? 'memory', strategy: options.strategy?.id ?? 'champion', start: start.toISOString(), until: new Date(until).toISOString() },
      accounts, violations,
      ...(pool ? { collectors: { agents: pool.options.agents, dials: pool.dials, shiftHours: pool.shiftHours(start.getTime(), until), busyHours: pool.busyMs / 3_600_000 } } : {}),
      usage: {
        ...stack.usage, transitions: stack.engine.transitions, emails, sms: stack.sms.length,
        faultsInjected: stack.faultsInjected, crashesInjected: stack.crashesInjected,
        eventsOut: stack.eventsOut.length, eventsIn, executions: executions.length, failedExecutions: executions.filter((e) => e.status === 'failed').length,
      },
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    await stack.stop();
  }
};

type Progress = Parameters<NonNullable<SimulationOptions['onProgress']>>[0];
type FromWorker = { type: 'progress'; progress: Progress } | { type: 'done'; run: SimulationRun } | { type: 'failed'; error: string };

const sum = (records: Record<string, number>[]): Record<string, number> => {
  const total: Record<string, number> = {};
  for (const r of records) for (const [k, v] of Object.entries(r)) total[k] = (total[k] ?? 0) + v;
  return total;
};

const mergeConsistency = (parts: Consistency[]): Consistency => {
  const tally = (pick: (c: Consistency) => { expected: number; actual: number }) =>
    parts.reduce((t, c) => ({ expected: t.expected + pick(c).expected, actual: t.actual + pick(c).actual }), { expected: 0, actual: 0 });
  const types = [...new Set(parts.flatMap((c) => Object.keys(c.eventsOut)))];
  return {
    emailsSent: tally((c) => c.emailsSent),
    smsSent: tally((c) => c.smsSent),
    eventsOut: Object.fromEntries(types.map((type) => [type, tally((c) => c.eventsOut[type] ?? { expected: 0, actual: 0 })])),
    eventsRedelivered: parts.reduce((n, c) => n + c.eventsRedelivered, 0),
    eventsUnexplained: parts.reduce((n, c) => n + c.eventsUnexplained, 0),
  };
};

/** One run from the shards' runs: accounts back in portfolio order, counts added up. */
export const mergeRuns = (runs: SimulationRun[], accounts: number, seconds: number): SimulationRun => {
  const [first] = runs;
  if (!first) throw new Error('mergeRuns: no shard ran');
  const order = (id: string) => Number(id.replace(/\D/g, ''));
  const u = runs.map((r) => r.usage);
  const total = (pick: (x: SimulationRun['usage']) => number) => u.reduce((n, x) => n + pick(x), 0);
  return {
    options: { ...first.options, accounts },
    accounts: runs.flatMap((r) => r.accounts).sort((a, b) => order(a.state.accountId) - order(b.state.accountId)),
    violations: runs.flatMap((r) => r.violations),
    usage: {
      invocations: sum(u.map((x) => x.invocations)), handlerMs: sum(u.map((x) => x.handlerMs)), dynamo: sum(u.map((x) => x.dynamo)),
      dynamoByHandler: sum(u.map((x) => x.dynamoByHandler)),
      dynamoUnits: { read: total((x) => x.dynamoUnits.read), write: total((x) => x.dynamoUnits.write) },
      transitions: total((x) => x.transitions), emails: total((x) => x.emails), sms: total((x) => x.sms), eventsOut: total((x) => x.eventsOut),
      eventsIn: total((x) => x.eventsIn), executions: total((x) => x.executions), failedExecutions: total((x) => x.failedExecutions),
      faultsInjected: total((x) => x.faultsInjected), crashesInjected: sum(u.map((x) => x.crashesInjected)),
    },
    consistency: mergeConsistency(runs.map((r) => r.consistency)),
    ...(runs.some((r) => r.trace) ? { trace: { executions: runs.flatMap((r) => r.trace?.executions ?? []), logs: runs.flatMap((r) => r.trace?.logs ?? []), eventsOut: runs.flatMap((r) => r.trace?.eventsOut ?? []) } } : {}),
    seconds,
  };
};

/** Shards the portfolio across worker threads, each with its own stack, and merges what they return. */
const runInWorkers = async (options: SimulationOptions, workers: number): Promise<SimulationRun> => {
  const started = performance.now();
  const { onProgress, inspect: _inspect, ...rest } = options;
  const latest: (Progress | undefined)[] = Array.from({ length: workers }, () => undefined);
  const runs = await Promise.all(Array.from({ length: workers }, (_, index) => new Promise<SimulationRun>((resolve, reject) => {
    // Workers load TypeScript through tsx, as every script here does.
    const worker = new Worker(new URL('./simulation-worker.ts', import.meta.url), { workerData: { options: rest, shard: { index, of: workers } }, execArgv: ['--import', 'tsx'] });
    worker.on('message', (message: FromWorker) => {
      if (message.type === 'progress') {
        latest[index] = message.progress;
        if (onProgress && latest.every(Boolean)) {
          const all = latest as Progress[];
          onProgress({ day: Math.min(...all.map((p) => p.day)), days: options.days, closed: all.reduce((n, p) => n + p.closed, 0), accounts: options.accounts });
        }
      } else if (message.type === 'done') {
        resolve(message.run);
        void worker.terminate();
      } else {
        reject(new Error(`simulation worker ${index}: ${message.error}`));
      }
    });
    worker.on('error', reject);
    worker.on('exit', (code) => { if (code !== 0) reject(new Error(`simulation worker ${index} exited with ${code}`)); });
  })));
  return mergeRuns(runs, options.accounts, (performance.now() - started) / 1000);
};
