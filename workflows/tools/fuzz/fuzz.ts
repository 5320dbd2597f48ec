// Deterministic simulation testing (docs/contract.md §10.3): generated valid scenarios run through the local stack on
// the in-process store with faults, each checked by the runner's independent checker for every §3 rule and by the
// invariants below. fast-check drives it: the same seed gives the same scenarios and verdicts, and a failure is shrunk
// to the smallest scenario that still fails, which is the reproduction.
import fc from 'fast-check';
import {
  MESSAGE_CHANNELS,
  perMessageChannel,
  type Channel,
  type MessageChannel,
} from '../../../functions/domain/channels';
import { localDate } from '../../../functions/domain/zoned-time';
import { POLICY_PACKS, type PolicyId } from '../../../policies/built-in-packs';
import type { LocalStack } from '../../twin/local-stack';
import { loadWorkflow, type SynthesizedWorkflow } from '../../twin/synthesized-workflow';
import { runScenario, type ScenarioResult } from '../scenario/run-scenario';
import type { Scenario } from '../scenario/scenario-file';
import { personScenarioPlan, toPersonScenario, type PersonScenarioPlan } from './person-arbitrary';
import { toScenario } from './scenario-arbitrary';

export interface Problem {
  rule: string;
  detail: string;
}

export interface CheckOptions {
  faultRate: number;
  seed: number;
  /** Share of task starts before which an inbound event due soon is delivered first (0: none). */
  interleave: number;
}

const workflows = new Map<PolicyId, Promise<SynthesizedWorkflow>>();
const workflowFor = (policy: PolicyId) => {
  if (!workflows.has(policy)) workflows.set(policy, loadWorkflow(POLICY_PACKS[policy]));
  return workflows.get(policy)!;
};

/** What the end of the run shows of each open cycle: whether an execution still runs for it. */
const runningFor = (stack: LocalStack): Set<string> =>
  new Set([...stack.engine.executions.values()].filter((e) => e.status === 'running').map((e) => e.accountId));

/** The account's zone, from its delinquency in the scenario. */
const zoneOf = (scenario: Scenario, accountId: string): string | undefined => {
  const opened = scenario.events.find(
    (e) => e.detailType === 'AccountDelinquent' && (e.detail as { accountId?: string }).accountId === accountId,
  );
  return (opened?.detail as { customer?: { timezone?: string } } | undefined)?.customer?.timezone;
};

/** The §10.3 invariants beyond the checker's §3 rules, on a finished run. */
const invariants = (
  scenario: Scenario,
  result: ScenarioResult,
  sent: Record<MessageChannel, number>,
  running: Set<string>,
  openCycles: string[],
): Problem[] => {
  const problems: Problem[] = [];
  for (const f of result.failures) problems.push({ rule: 'execution-failed', detail: `${f.execution}: ${f.error}` });
  const contacts = result.accounts
    .flatMap((a) => a.timeline)
    .concat(result.courtesy.flatMap((c) => c.timeline))
    .filter((e) => e.kind === 'contact') as unknown as { channel: Channel }[];
  for (const channel of MESSAGE_CHANNELS) {
    const recorded = contacts.filter((c) => c.channel === channel).length;
    if (recorded !== sent[channel])
      problems.push({
        rule: 'record-agrees-with-deliveries',
        detail: `${sent[channel]} ${channel} delivered, ${recorded} recorded as contacts`,
      });
  }
  for (const accountId of openCycles) {
    if (!running.has(accountId))
      problems.push({
        rule: 'open-cycle-has-execution',
        detail: `${accountId}: its cycle is open but no execution waits for it`,
      });
  }
  // docs/contract.md §3.19 on the result itself: each account-cycle's ledger adds up to the balance it reports.
  for (const a of result.accounts) {
    const sum = a.ledger.reduce((total, e) => total + e.amount, 0);
    if (sum !== a.balance)
      problems.push({
        rule: 'ledger-adds-up',
        detail: `${a.accountId} (${a.cycleId}): ledger ${sum}, balance ${a.balance}`,
      });
  }
  const pack = POLICY_PACKS[result.policy as PolicyId];
  for (const account of result.accounts) {
    const zone = zoneOf(scenario, account.accountId);
    const perDay = new Map<string, number>();
    for (const e of account.timeline.filter((x) => x.kind === 'contact')) {
      const day = zone ? localDate(new Date(e.at), zone) : e.at.slice(0, 10);
      perDay.set(day, (perDay.get(day) ?? 0) + 1);
    }
    for (const [day, n] of perDay) {
      if (n > pack.maxContactsPerDay)
        problems.push({
          rule: 'contacts-per-day',
          detail: `${account.accountId}: ${n} contacts on ${day}, the pack allows ${pack.maxContactsPerDay}`,
        });
    }
  }
  return problems;
};

/** Runs one scenario on the in-process store with faults and lists every rule it breaks. */
export const checkScenario = async (
  scenario: Scenario,
  { faultRate, seed, interleave }: CheckOptions,
): Promise<Problem[]> => {
  let running = new Set<string>();
  let openCycles: string[] = [];
  let sent = perMessageChannel(() => 0);
  const { result } = await runScenario(scenario, {
    store: 'memory',
    faultRate,
    seed,
    interleave,
    workflow: await workflowFor(scenario.policy as PolicyId),
    atEnd: async (stack) => {
      running = runningFor(stack);
      sent = await stack.inboxes.messagesSent();
      const ids = [
        ...new Set(
          scenario.events
            .map((e) => (e.detail as { accountId?: string }).accountId)
            .filter((id): id is string => Boolean(id)),
        ),
      ];
      const states = await Promise.all(ids.map((id) => stack.store.getState(id)));
      openCycles = states.filter((s) => s && s.status === 'open' && !s.courtesy).map((s) => s!.accountId);
    },
  });
  // A failed execution first: the rules it leaves broken (a charge-off missed, a cycle with none) follow from it.
  return [
    ...invariants(scenario, result, sent, running, openCycles),
    ...result.violations.map((v) => ({ rule: v.rule, detail: `${v.accountId} at ${v.at}: ${v.detail}` })),
  ];
};

/** Share of task starts the fuzzer interleaves an inbound event before, unless told otherwise. */
export const DEFAULT_INTERLEAVE = 0.25;

export interface FuzzOptions {
  runs: number;
  seed: number;
  faultRate: number;
  /** Share of task starts before which an inbound event due soon is delivered first (default 0.25). */
  interleave?: number;
  policies: readonly PolicyId[];
  /**
   * Gather the generated accounts into people with events naming the person (person-arbitrary.ts; default true);
   * false generates accounts each of their own, as before people were.
   */
  people?: boolean;
  /** Shrink a failure to its smallest scenario (default true); a test that only needs the failure skips it. */
  shrink?: boolean;
  /** After each scenario run (shrinking included): how many have run. */
  onRun?: (runs: number) => void;
}

export interface FuzzFailure {
  problem: Problem;
  scenario: Scenario;
  plan: PersonScenarioPlan;
  shrinks: number;
  failedAt: number;
}

export interface FuzzResult {
  runs: number;
  scenarios: number;
  seconds: number;
  failure: FuzzFailure | null;
  /** The checker's ledger mismatches over every scenario run (docs/contract.md §3.19): 0, or the failure is one. */
  ledgerMismatches: number;
}

class ScenarioBroke extends Error {
  constructor(readonly problem: Problem) {
    super(`${problem.rule}: ${problem.detail}`);
  }
}

export const fuzz = async (options: FuzzOptions): Promise<FuzzResult> => {
  // As an untraced simulation does (dropStackTracesUnlessTraced): the interpreter's JSONPath library throws an Error
  // for every scalar it reads, and a stack for each is a sixth of the fuzzer's CPU. A failure is reproduced from its
  // scenario file, not from a stack.
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return await fuzzWithoutStacks(options);
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
};

const fuzzWithoutStacks = async (options: FuzzOptions): Promise<FuzzResult> => {
  const started = performance.now();
  let scenarios = 0;
  let ledgerMismatches = 0;
  const toFile = (plan: PersonScenarioPlan) => (options.people === false ? toScenario(plan) : toPersonScenario(plan));
  const property = fc.asyncProperty(personScenarioPlan(options.policies), async (plan) => {
    scenarios += 1;
    options.onRun?.(scenarios);
    const problems = await checkScenario(toFile(plan), {
      faultRate: options.faultRate,
      seed: options.seed,
      interleave: options.interleave ?? DEFAULT_INTERLEAVE,
    });
    ledgerMismatches += problems.filter((p) => p.rule === 'ledger-mismatch').length;
    if (problems.length > 0) throw new ScenarioBroke(problems[0]!);
  });
  const details = await fc.check(property, {
    seed: options.seed,
    numRuns: options.runs,
    endOnFailure: options.shrink === false,
    interruptAfterTimeLimit: undefined,
  });
  const seconds = (performance.now() - started) / 1000;
  if (!details.failed || !details.counterexample)
    return { runs: details.numRuns, scenarios, seconds, failure: null, ledgerMismatches };
  const [plan] = details.counterexample;
  const error = details.errorInstance;
  const problem =
    error instanceof ScenarioBroke
      ? error.problem
      : { rule: 'run-threw', detail: String((error as Error | undefined)?.message ?? error) };
  return {
    runs: details.numRuns,
    scenarios,
    seconds,
    failure: {
      problem,
      scenario: toFile(plan),
      plan,
      shrinks: details.numShrinks,
      failedAt: details.numRuns,
    },
    ledgerMismatches,
  };
};
