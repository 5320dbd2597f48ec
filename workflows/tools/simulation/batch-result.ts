// What a finished batch answers: the last PII checks over its executions, the consistency of what was sent with
// what the records imply, its tally and checks, the team's figures and the stack's usage.
import type { LocalStack } from '../../twin/local-stack';
import type { PiiScanner } from '../scenario/compliance-check';
import type { BatchDeliveries } from './batch-delivery';
import type { BatchFinish } from './batch-finish';
import type { CollectorPool } from './collector-pool';
import { checkConsistency, type PublishedEvents } from './consistency';
import type { SyntheticAccount } from './portfolio';
import type { SimulationOptions, SimulationRun } from './simulation-options';

export interface FinishedBatch {
  options: SimulationOptions;
  portfolio: readonly SyntheticAccount[];
  frame: { start: Date; until: Date };
  stack: LocalStack;
  deliveries: BatchDeliveries;
  finish: BatchFinish;
  published: PublishedEvents;
  pii: PiiScanner;
  pool: CollectorPool | undefined;
  /** performance.now() when the batch began. */
  started: number;
}

/** The batch's run, once every account has finished and before the stack stops. */
export const batchResult = async ({
  options,
  portfolio,
  frame: { start, until },
  stack,
  deliveries,
  finish,
  published,
  pii,
  pool,
  started,
}: FinishedBatch): Promise<SimulationRun> => {
  const executions = [...stack.engine.executions.values()];
  // Histories, when traced, are looked through as each execution ends (run-batch.ts).
  pii.scan(
    'execution input',
    executions.map((e) => e.input),
  );
  finish.violations.push(...pii.violations());
  const messages = await stack.inboxes.messagesSent();
  await options.inspect?.(stack);
  const order = new Map(portfolio.map((a, i) => [a.event.detail.accountId, i]));
  const { tally: perPerson, violations: overCaps } = finish.people.done();
  finish.violations.push(...overCaps);
  return {
    people: perPerson,
    consistency: checkConsistency(finish.implied, messages, published),
    options: {
      accounts: options.accounts,
      days: options.days,
      policy: options.pack.id,
      seed: options.seed,
      store: options.store ?? 'memory',
      strategy: options.strategy?.id ?? 'champion',
      start: start.toISOString(),
      until: until.toISOString(),
      currency: portfolio[0]?.event.detail.currency ?? 'USD',
    },
    tally: finish.tally,
    violations: finish.violations,
    accounts: finish.kept.sort((a, b) => order.get(a.state.accountId)! - order.get(b.state.accountId)!),
    ...(pool
      ? {
          collectors: {
            agents: pool.options.agents,
            dials: pool.dials,
            shiftHours: pool.shiftHours(start.getTime(), until.getTime()),
            busyHours: pool.busyMs / 3_600_000,
          },
        }
      : {}),
    usage: {
      ...stack.meter.usage,
      transitions: stack.engine.transitions,
      messages,
      faultsInjected: stack.meter.faultsInjected,
      crashesInjected: stack.meter.crashesInjected,
      throttlesInjected: stack.meter.throttlesInjected,
      eventsOut: Object.values(published.distinct).reduce((a, b) => a + b, 0) + published.redelivered,
      eventsIn: deliveries.eventsIn,
      eventsLate: deliveries.eventsLate,
      executions: executions.length,
      failedExecutions: executions.filter((e) => e.status === 'failed').length,
    },
    seconds: (performance.now() - started) / 1000,
  };
};
