// One batch of a simulation on one local stack: its customers and collectors answering what the workflow sends,
// the virtual clock run to the end, then the batch's result. Delivery, finishing and the result each have a module.
import type { PolicyPack } from '../../../functions/domain/policy-packs';
import { dial } from '../../twin/collectors';
import { LocalStack } from '../../twin/local-stack';
import { PiiScanner } from '../scenario/compliance-check';
import { BatchDeliveries } from './batch-delivery';
import { BatchFinish } from './batch-finish';
import { batchResult } from './batch-result';
import { CollectorPool, type PoolOptions } from './collector-pool';
import { PublishedEvents } from './consistency';
import { CustomerAgents } from './customer-agents';
import { joinPeople } from './people';
import type { SyntheticAccount } from './portfolio';
import type { ShardTrace } from './simulation-trace';
import type { Progress, SimulationOptions, SimulationRun } from './simulation-options';

const DAY = 86_400_000;
const START = new Date('2026-01-05T00:00:00Z');

/** The run's first instant: the options' start, or the default. */
export const runStart = (options: Pick<SimulationOptions, 'start'>): Date => options.start ?? START;

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

/** Runs a batch of accounts on one local stack, from the delinquency of each to the run's end. */
export const runBatch = async (
  options: SimulationOptions,
  portfolio: SyntheticAccount[],
  onProgress: (p: Progress) => void,
  trace?: ShardTrace,
): Promise<SimulationRun> => {
  const started = performance.now();
  const start = runStart(options);
  const until = start.getTime() + options.days * DAY;
  const frame = { start, until: new Date(until), days: options.days };
  const { pack } = options;
  // Customer names, emails and phones must appear in no log line, event out or execution (docs/contract.md §6).
  const pii = new PiiScanner(
    portfolio.flatMap((a) => [
      a.event.detail.customer.name,
      a.event.detail.customer.email ?? '',
      a.event.detail.customer.phone ?? '',
    ]),
  );
  const published = new PublishedEvents();
  let agents: CustomerAgents | undefined;
  const pool = options.agents ? new CollectorPool(poolOptions(options.agents, pack)) : undefined;
  // Assigned once the stack has started; the listener that reads it runs only after that.
  let finish: BatchFinish;

  const stack = await LocalStack.start({
    pack,
    start,
    strategy: options.strategy,
    dynamoEndpoint: options.dynamoEndpoint,
    workflow: options.workflow,
    providerActions: options.providerActions,
    faultRate: options.faultRate,
    seed: options.seed,
    // A trace streams: the trace holds each history until its execution ends, logs and events out go as written.
    store: options.store ?? 'memory',
    documentsDir: options.documentsDir,
    keepOutputs: false,
    onLog: (line) => {
      pii.scan('logs', line);
      trace?.log(line);
    },
    ...(trace
      ? {
          onExecutionHistory: (record, event) => pii.scan('execution history', trace.historyEvent(record, event)),
          onExecutionEnded: (record) => trace.execution(record),
        }
      : {}),
    onEventOut: (event) => {
      pii.scan('events out', event);
      trace?.eventOut(event);
      published.add(event);
      if (event.detailType === 'CycleClosed') finish.cycleClosed(String(event.detail.accountId));
      agents?.onEventOut(event);
    },
  });
  try {
    finish = new BatchFinish(stack, options, frame, portfolio);
    const { scheduler } = stack;
    joinPeople(scheduler, portfolio);
    const deliveries = new BatchDeliveries(stack, until);
    agents = new CustomerAgents(
      portfolio,
      pack.maxPlanInstalments,
      options.seed,
      deliveries.send,
      (call) => {
        // A limited team takes the task from the queue; without one, a collector dials it when the customer's own
        // delay says.
        if (pool) pool.enqueue(call);
        else if (call.at < until && call.at < call.expiresAt)
          dial(stack, call.accountId, call.taskId, call.outcome, 'sim-collector', call.at);
      },
      options.reversalRate,
    );
    deliveries.delinquencies(portfolio);
    // Progress follows the account furthest behind: every account has reached at least that day.
    let lastDay = -1;
    const progress = (laggard: number) => {
      const day = Math.min(options.days, Math.floor((laggard - start.getTime()) / DAY));
      if (day !== lastDay) {
        lastDay = day;
        onProgress({
          accountDays: portfolio.length * day,
          totalAccountDays: portfolio.length * options.days,
          closed: finish.closed.size,
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
    if (finish.failure) throw finish.failure;
    // Accounts still open at the end, and any closed too late in the run to have been read.
    for (const account of portfolio) await finish.finish(account.event.detail.accountId);
    return await batchResult({
      options,
      portfolio,
      frame,
      stack,
      deliveries,
      finish,
      published,
      pii,
      pool,
      started,
    });
  } finally {
    await stack.stop();
  }
};
