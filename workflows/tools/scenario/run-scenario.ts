// Runs a scenario through the real local stack on the virtual clock and returns the docs/contract.md §4 result.
import type { AccountState } from '../../../functions/domain/account';
import { courtesyCycleId } from '../../../functions/domain/apply-event';
import { perChannel, type Channel } from '../../../functions/domain/channels';
import { parseAddressed } from '../../../functions/domain/person-events';
import { policyPack } from '../../../policies/built-in-packs';
import type { LedgerEntry } from '../../../functions/domain/ledger-entry';
import type { PolicyPack } from '../../../functions/domain/policy-packs';
import type { RecordEntry } from '../../../functions/domain/record';
import type { Strategy } from '../../../functions/domain/strategy';
import { LocalStack, type StoreKind } from '../../twin/local-stack';
import { isTaskAnswer, ScenarioDials } from './scenario-dials';
import type { SynthesizedWorkflow } from '../../twin/synthesized-workflow';
import { checkAccount, checkCourtesy, checkNoPii } from './compliance-check';
import type { AccountRun, Violation } from './violation';
import type { Scenario } from './scenario-file';
import { peopleOf } from './scenario-people';
import { checkPeople, peopleKpis, personTally } from './person-check';
import { toTimeline, type TimelineEntry } from '../../../functions/domain/timeline';

export interface RunOptions {
  faultRate?: number;
  seed?: number;
  /** Share of task starts before which an inbound event due soon is delivered first (the fuzzer's interleaving). */
  interleave?: number;
  dynamoEndpoint?: string;
  keepHistory?: boolean;
  strategy?: Strategy;
  workflow?: SynthesizedWorkflow;
  /** The bank's own pack (`--policy-file`), used instead of the one the scenario names. */
  pack?: PolicyPack;
  /** The deployment's pay link template (`--pay-url`), over the scenario's and the pack's. */
  payUrl?: string;
  /** Where accounts are kept (default DynamoDB Local, fidelity first); the fuzzer runs on `memory`. */
  store?: StoreKind;
  /** Called when virtual time has reached `until`, before executions are stopped: reads what the run left. */
  atEnd?: (stack: LocalStack) => Promise<void>;
}

export interface AccountResult {
  accountId: string;
  /** The bank's customer number, or the account's own id where it sent none (docs/contract.md §11.7). */
  customerId: string;
  cycleId: string;
  status: 'open' | 'closed';
  closeReason: string | null;
  closedAt: string | null;
  collected: number;
  balance: number;
  currency: string;
  /** Every change to the balance and the amount due, oldest first (docs/contract.md §3.19). */
  ledger: LedgerEntry[];
  timeline: TimelineEntry[];
}

/** A pre-due courtesy (AccountDueSoon): not a collection cycle, so listed apart from `accounts`. */
export interface CourtesyResult {
  accountId: string;
  statementId: string;
  timeline: TimelineEntry[];
}

export interface ScenarioResult {
  policy: string;
  start: string;
  until: string;
  accounts: AccountResult[];
  /** Statements announced with AccountDueSoon, with what was sent for each. */
  courtesy: CourtesyResult[];
  rejected: { index: number; detailType: string; reason: string }[];
  /** Counts and sums, and the contacts made on each channel (`contactsByChannel`). */
  kpis: Record<string, number | Record<Channel, number>>;
  violations: Violation[];
  failures: { execution: string; error: string }[];
}

/** What a --trace directory receives, per account. */
export interface RunArtifacts {
  stack: LocalStack;
  states: Map<string, AccountState>;
  records: Map<string, RecordEntry[]>;
}

export const runScenario = async (
  scenario: Scenario,
  options: RunOptions = {},
): Promise<{ result: ScenarioResult; artifacts: RunArtifacts }> => {
  const start = new Date(scenario.start);
  const until = new Date(scenario.until);
  const named = options.pack ?? policyPack(scenario.policy);
  const payUrl = options.payUrl ?? scenario.payUrl ?? named.payUrl;
  const pack = payUrl ? { ...named, payUrl } : named;
  // The runner's collector dials each call task at once (docs/contract.md §3.12), so calls keep their timing; or when
  // the scenario says the customer answers (scenario-dials.ts).
  const stack = await LocalStack.start({
    pack,
    start,
    faultRate: options.faultRate,
    seed: options.seed,
    interleave: options.interleave ? { rate: options.interleave } : undefined,
    dynamoEndpoint: options.dynamoEndpoint,
    keepHistory: options.keepHistory,
    strategy: options.strategy,
    workflow: options.workflow,
    store: options.store,
  });
  const dials = new ScenarioDials(scenario.events);
  stack.outputs.listen(dials.collector(stack));
  try {
    const { scheduler } = stack;
    const rejected: ScenarioResult['rejected'] = [];
    const accountIds: string[] = [];
    const statements: { accountId: string; statementId: string; timezone: string; dueDate: string }[] = [];
    const pii = new Set<string>();
    /** Cycles that had closed when a later AccountDelinquent came for their account: their state as it closed. */
    const closedCycles: AccountState[] = [];

    /**
     * docs/contract.md §4 and §10.6 shorthands, looked up at delivery: `planId`/`settlementId` `latest` (the one last
     * offered) and `paymentId` `debit:<n>` (the n-th debit asked of the bank). Returns the reason when there is none
     * yet.
     */
    const resolveReference = async (type: string, detail: Record<string, unknown>): Promise<string | null> => {
      const accountId = detail.accountId;
      if (typeof accountId !== 'string') return null;
      if (type === 'PlanAccepted' && detail.planId === 'latest') {
        const offered = (await stack.store.getState(accountId))?.lastOffer?.planId;
        if (!offered) return `planId: "latest" but no plan has been offered to account ${accountId} yet`;
        detail.planId = offered;
      }
      if (type === 'SettlementAccepted' && detail.settlementId === 'latest') {
        const state = await stack.store.getState(accountId);
        const offered =
          state &&
          (await stack.store.record(accountId, state.cycleId)).filter((e) => e.kind === 'settlement-offered').at(-1);
        if (!offered) return `settlementId: "latest" but no settlement has been offered to account ${accountId} yet`;
        detail.settlementId = offered.settlementId;
      }
      const debit = /^debit:([1-9]\d*)$/.exec(String(detail.paymentId));
      if ((type === 'PaymentPosted' || type === 'PaymentFailed' || type === 'PaymentReversed') && debit) {
        const state = await stack.store.getState(accountId);
        const debits = state
          ? (await stack.store.record(accountId, state.cycleId)).filter((e) => e.kind === 'debit-requested')
          : [];
        const nth = debits[Number(debit[1]) - 1];
        if (!nth)
          return (
            `paymentId: "${String(detail.paymentId)}" but account ${accountId} has ${debits.length} ` +
            `debit(s) requested`
          );
        detail.paymentId = nth.paymentId;
      }
      return null;
    };

    /**
     * The envelope as the bus delivers it; a `latest` plan is looked up at delivery. A delinquency for a new
     * cycle replaces the account's state, so the cycle it ends is kept as it closed, for the result.
     */
    const envelopeOf = (index: number) => async () => {
      const event = scenario.events[index]!;
      const detail = (event.detail ?? {}) as Record<string, unknown>;
      if (event.detailType === 'AccountDelinquent' && typeof detail.accountId === 'string') {
        const previous = await stack.store.getState(detail.accountId);
        if (
          previous?.status === 'closed' &&
          !previous.courtesy &&
          previous.cycleId !== detail.cycleId &&
          !closedCycles.some((s) => s.accountId === previous.accountId && s.cycleId === previous.cycleId)
        )
          closedCycles.push(previous);
      }
      const resolved = await resolveReference(event.detailType, detail);
      if (resolved) {
        rejected.push({ index, detailType: event.detailType, reason: resolved });
        return null;
      }
      return {
        version: '0',
        id: `scenario-${index}`,
        source: event.source,
        'detail-type': event.detailType,
        time: event.at,
        detail,
      };
    };
    // The accounts of one person share a clock: they see one another's changes as under one global clock.
    for (const [accountId, customerId] of peopleOf(scenario.events)) scheduler.join(accountId, customerId);
    const keyOf = (index: number) =>
      LocalStack.keyOf({ id: `scenario-${index}`, detail: scenario.events[index]!.detail });

    scenario.events.forEach((event, index) => {
      const detail = (event.detail ?? {}) as Record<string, unknown>;
      const accountId = keyOf(index);
      const valid = parseAddressed(event.source, event.detailType, detail).ok;
      if (event.detailType === 'AccountDelinquent' && valid && !accountIds.includes(accountId))
        accountIds.push(accountId);
      if (
        event.detailType === 'AccountDueSoon' &&
        valid &&
        !statements.some((s) => s.accountId === accountId && s.statementId === detail.statementId)
      ) {
        statements.push({
          accountId,
          statementId: String(detail.statementId),
          timezone: String((detail.customer as Record<string, unknown>).timezone),
          dueDate: String(detail.dueDate),
        });
      }
      const customer = detail.customer as Record<string, unknown> | undefined;
      for (const value of [customer?.name, customer?.email, customer?.phone])
        if (typeof value === 'string') pii.add(value);
      // An answer to the next call is the collector's to deliver, when it dials (scenario-dials.ts).
      if (!(valid && isTaskAnswer(event))) stack.inbound.enqueue(keyOf(index), envelopeOf(index), Date.parse(event.at));
    });

    await scheduler.runUntil(until.getTime());
    await options.atEnd?.(stack);
    await stack.engine.abortAll();

    for (const letter of stack.outputs.deadLetters) {
      const envelope = JSON.parse(letter.body) as { id?: string; 'detail-type'?: string };
      const index = Number(String(envelope.id ?? '').replace('scenario-', ''));
      rejected.push({ index, detailType: String(envelope['detail-type'] ?? ''), reason: letter.reason });
    }
    rejected.push(...dials.unused());
    rejected.sort((a, b) => a.index - b.index);

    const states = new Map<string, AccountState>();
    const records = new Map<string, RecordEntry[]>();
    const accounts: AccountResult[] = [];
    const cycles: AccountRun[] = [];
    const violations: Violation[] = [];
    for (const accountId of accountIds) {
      const state = await stack.store.getState(accountId);
      if (!state) continue;
      states.set(accountId, state);
      // Every cycle of the account, in the order they ran: those that closed before another opened, then its last.
      const earlier = closedCycles.filter((s) => s.accountId === accountId && s.cycleId !== state.cycleId);
      for (const cycle of [...earlier, state]) {
        const record = await stack.store.record(accountId, cycle.cycleId);
        if (cycle === state) records.set(accountId, record);
        cycles.push({ state: cycle, record });
        violations.push(...checkAccount({ state: cycle, record }, pack, until));
        accounts.push({
          accountId,
          customerId: cycle.customerId ?? accountId,
          cycleId: cycle.cycleId,
          status: cycle.status,
          closeReason: cycle.closeReason,
          closedAt: cycle.closedAt,
          collected: cycle.collected,
          balance: cycle.balance,
          currency: cycle.currency,
          ledger: record.flatMap((e) => (e.kind === 'ledger' ? [e.entry] : [])),
          timeline: toTimeline(record),
        });
      }
    }
    violations.push(...checkPeople(scenario.events, cycles, pack));
    const courtesy: CourtesyResult[] = [];
    for (const statement of statements) {
      const { accountId, statementId } = statement;
      const record = await stack.store.record(accountId, courtesyCycleId(statementId));
      violations.push(...checkCourtesy(statement, record, pack));
      courtesy.push({ accountId, statementId, timeline: toTimeline(record) });
    }
    const executions = [...stack.engine.executions.values()];
    violations.push(
      ...checkNoPii([...pii], {
        'execution input': executions.map((e) => e.input),
        'execution history': executions.map((e) => e.history),
        logs: stack.outputs.logs,
        'events out': stack.outputs.eventsOut,
      }),
    );
    const failures = executions
      .filter((e) => e.status === 'failed')
      .map((e) => ({ execution: e.name, error: e.error ?? 'failed' }));
    const result: ScenarioResult = {
      policy: pack.id,
      start: scenario.start,
      until: scenario.until,
      accounts,
      courtesy,
      rejected,
      kpis: {
        ...kpisOf(accounts, cycles, violations, rejected.length, failures.length),
        ...peopleKpis(personTally(scenario.events, cycles)),
      },
      violations,
      failures,
    };
    return { result, artifacts: { stack, states, records } };
  } finally {
    await stack.stop();
  }
};

/** Figures over every account-cycle of the run. */
const kpisOf = (
  accounts: AccountResult[],
  cycles: AccountRun[],
  violations: Violation[],
  rejected: number,
  failures: number,
) => {
  const all = cycles.flatMap((c) => c.record);
  const count = (kind: RecordEntry['kind']) => all.filter((e) => e.kind === kind).length;
  const closed = (reason: string) => accounts.filter((a) => a.closeReason === reason).length;
  const contacts = all.filter((e) => e.kind === 'contact');
  return {
    accounts: accounts.length,
    cured: closed('cured') + closed('paid-in-full'),
    paidInFull: closed('paid-in-full'),
    planCompleted: closed('plan-completed'),
    settled: closed('settled'),
    chargedOff: closed('charged-off'),
    stopped: closed('bankrupt') + closed('deceased'),
    open: accounts.filter((a) => a.status === 'open').length,
    collected: accounts.reduce((sum, a) => sum + a.collected, 0),
    overdue: cycles.reduce((sum, { state }) => sum + state.overdue, 0),
    contacts: contacts.length,
    contactsByChannel: perChannel(
      (channel) => contacts.filter((c) => c.kind === 'contact' && c.channel === channel).length,
    ),
    contactsBlocked: count('contact-blocked'),
    promisesMade: count('ptp-made'),
    // A promise kept by a payment later reversed is kept no more (docs/contract.md §3.21).
    promisesKept: count('ptp-kept') - count('ptp-reopened'),
    promisesBroken: count('ptp-broken'),
    plansOffered: count('plan-offered'),
    plansAccepted: count('plan-accepted'),
    plansBroken: count('plan-broken'),
    escalations: count('escalated'),
    settlementsOffered: count('settlement-offered'),
    settlementsAccepted: count('settlement-accepted'),
    settlementsLapsed: count('settlement-lapsed'),
    writtenOff: all.reduce((sum, e) => sum + (e.kind === 'written-off' ? e.amount : 0), 0),
    debitsRequested: count('debit-requested'),
    paymentsFailed: count('payment-failed'),
    paymentsReversed: count('payment-reversed'),
    rejected,
    executionFailures: failures,
    violations: violations.length,
    ledgerMismatches: violations.filter((v) => v.rule === 'ledger-mismatch').length,
  };
};
