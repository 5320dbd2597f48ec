// Runs a synthetic portfolio through the real local stack on the virtual clock: the synthesized
// state machine, the deployed handlers, DynamoDB Local and local SES, with simulated customers.
import type { AccountState } from '../../functions/domain/account';
import { policyPack, type PolicyId } from '../../functions/domain/policy-packs';
import type { RecordEntry } from '../../functions/domain/record';
import type { Strategy } from '../../functions/domain/strategy';
import { INBOUND_REDELIVERY, LocalStack, type Usage } from '../local/local-stack';
import type { SynthesizedWorkflow } from '../local/synthesized-workflow';
import { checkAccount, checkNoPii, type Violation } from '../scenario/compliance-check';
import { checkConsistency, type Consistency } from './consistency';
import { CustomerAgents } from './customer-agents';
import { generatePortfolio, type Profile } from './portfolio';

export interface SimulationOptions {
  accounts: number;
  days: number;
  policy: PolicyId;
  seed: number;
  strategy?: Strategy;
  start?: Date;
  dynamoEndpoint?: string;
  workflow?: SynthesizedWorkflow;
  /** Share of calls to every local endpoint that fail transiently, plus handlers failing after their writes (0–1). */
  faultRate?: number;
  /** Keep execution histories for a trace. */
  keepHistory?: boolean;
  /** Called as virtual time advances: day reached, cycles closed so far. */
  onProgress?: (progress: { day: number; days: number; closed: number; accounts: number }) => void;
}

export interface SimulatedAccount { profile: Profile; state: AccountState; record: RecordEntry[] }

export interface SimulationRun {
  options: Required<Pick<SimulationOptions, 'accounts' | 'days' | 'policy' | 'seed'>> & { strategy: string; start: string; until: string };
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

export const runSimulation = async (options: SimulationOptions): Promise<SimulationRun> => {
  const started = performance.now();
  const start = options.start ?? new Date('2026-01-05T00:00:00Z');
  const until = start.getTime() + options.days * DAY;
  const portfolio = generatePortfolio({ accounts: options.accounts, policy: options.policy, start, seed: options.seed });
  let closed = 0;
  let eventsIn = 0;
  let agents: CustomerAgents | undefined;
  const stack = await LocalStack.start({
    policy: options.policy, start, strategy: options.strategy, dynamoEndpoint: options.dynamoEndpoint, workflow: options.workflow,
    faultRate: options.faultRate, seed: options.seed, keepHistory: options.keepHistory,
    onEventOut: (event) => {
      if (event.detailType === 'CycleClosed') closed += 1;
      agents?.onEventOut(event);
    },
  });
  try {
    const { scheduler } = stack;
    const deliver = (at: number, key: string, envelope: Record<string, unknown>, attempt = 1) => {
      if (at >= until) return;
      scheduler.schedule(at, key, () => {
        scheduler.enter(key);
        eventsIn += 1;
        stack.deliver({ ...envelope, time: new Date(scheduler.timeOf(key)).toISOString() })
          .then((r) => { if (r.batchItemFailures.length && attempt < INBOUND_REDELIVERY.maxReceives) deliver(scheduler.timeOf(key) + INBOUND_REDELIVERY.afterMs, key, envelope, attempt + 1); })
          .finally(() => scheduler.leave(key));
      });
    };
    let sent = 0;
    agents = new CustomerAgents(portfolio, options.policy, options.seed, (at, accountId, source, detailType, detail) => {
      const envelope = { id: `sim-${++sent}`, source, 'detail-type': detailType, detail };
      deliver(at, accountId, envelope);
      // About 1% of deliveries arrive twice, as at-least-once buses do: they must apply once.
      if (Math.floor(sent * 0.6180339887) % 100 === 0) deliver(at + 60_000, accountId, envelope);
    });
    for (const account of portfolio) {
      deliver(account.delinquentAt, account.event.detail.accountId, { id: `delinquent-${account.index}`, source: 'bank.core', 'detail-type': 'AccountDelinquent', detail: account.event.detail });
    }
    // Progress follows the account furthest behind: every account has reached at least that day.
    let lastDay = -1;
    await scheduler.runUntil(until, (laggard) => {
      const day = Math.min(options.days, Math.floor((laggard - start.getTime()) / DAY));
      if (day !== lastDay) {
        lastDay = day;
        options.onProgress?.({ day, days: options.days, closed, accounts: options.accounts });
      }
    });
    await stack.engine.abortAll();

    const pack = policyPack(options.policy);
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
    return {
      consistency: checkConsistency(accounts, { emails, sms: stack.sms.length, eventsOut: stack.eventsOut }),
      ...(options.keepHistory ? { trace: { executions, logs: stack.logs, eventsOut: stack.eventsOut } } : {}),
      options: { accounts: options.accounts, days: options.days, policy: options.policy, seed: options.seed, strategy: options.strategy?.id ?? 'champion', start: start.toISOString(), until: new Date(until).toISOString() },
      accounts, violations,
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
