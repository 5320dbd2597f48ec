// The collections KPIs a manager reads: outcomes, roll rates, money, contacts, promises, plans,
// escalations, violations and cost. Each account adds its share to a tally as it finishes (its final
// state and full record read once, then let go); the KPIs are the ratios of the summed tally.
import { peopleKpis, type PeopleTally } from '../scenario/person-check';
import { assertNever } from '../../../functions/domain/assert-never';
import { isTask, perChannel, type Channel } from '../../../functions/domain/channels';
import { BUCKET_ORDER, bucketOf, daysPastDue, type Bucket } from '../../../functions/domain/days-past-due';
import { localParts } from '../../../functions/domain/zoned-time';
import { addUp } from './add-up';
import { estimateCost, type CostEstimate } from './cost-model';
import { PROFILES } from './portfolio';
import type { KpiTally, RunFrame } from './kpi-tally';
import type { RunUsage, TeamFigures } from './run-figures';
import type { SimulatedAccount } from './simulated-account';
import type { Violation } from '../scenario/violation';

/** The run's KPIs; the people's (docs/contract.md §11.1: `people`, `accountsPerPerson`, …) where it had them. */
export interface Kpis extends Partial<ReturnType<typeof peopleKpis>> {
  accounts: number;
  outcomes: Record<string, number>;
  cureRate: Rate;
  rollRates: { from: Bucket; to: Bucket; rate: Rate; accounts: number }[];
  reachedBucket: Record<string, number>;
  collected: number;
  overdue: number;
  collectedShare: Rate;
  /** Collected ÷ the balances outstanding when the accounts became delinquent. */
  recoveryRate: Rate;
  balanceAtDelinquency: number;
  contacts: number;
  contactsPerAccount: number;
  contactsByChannel: Record<Channel, number>;
  contactsBlocked: number;
  contactsByLocalHour: number[];
  /** The busiest local hour's share of all contacts (docs/contract.md §10.5: at most 20% over ≥ 1,000 accounts). */
  peakHourShare: Rate;
  promisesMade: number;
  promisesKept: number;
  promisesBroken: number;
  promiseKeptRate: Rate;
  plansOffered: number;
  accountsOffered: number;
  plansAccepted: number;
  planTakeUp: Rate;
  plansCompleted: number;
  plansBroken: number;
  planCompletion: Rate;
  /**
   * The call queue (docs/contract.md §3.12): tasks created, dialled by a collector, expired undialled; how calls went.
   */
  calls: CallKpis;
  escalationsByLevel: Record<string, number>;
  chargeOffs: number;
  /** Letters written (final notices, plan confirmations). */
  letters: number;
  violations: number;
  /** The checker's own fold of each ledger against its state and closes (docs/contract.md §3.19): must be 0. */
  ledgerMismatches: number;
  outcomesByProfile: Record<string, Record<string, number>>;
  collectionsByDay: number[];
  cost: CostEstimate;
  /** Why customers were late, settlements and autopay (docs/contract.md §3.15–3.17). */
  negotiation: NegotiationKpis;
}

export interface NegotiationKpis {
  /** Accounts by the latest reason their customer gave. */
  reasons: Record<string, number>;
  /** Each reason's share of the accounts that gave one. */
  reasonShares: Record<string, Rate>;
  settlementsOffered: number;
  settlementsAccepted: number;
  /** Cycles closed as settled. */
  settled: number;
  settlementsLapsed: number;
  /** Balance written off when settlements were paid, minor units. */
  writtenOff: number;
  /** (Collected − written off) ÷ balance at delinquency: what settling cost, set against what it brought in. */
  recoveryNetOfWriteOff: Rate;
  /** Autopay plans ÷ plans accepted. */
  autopayShare: Rate;
  debitsRequested: number;
  /** Debits the bank refused ÷ debits requested. */
  debitFailureRate: Rate;
}

export interface CallKpis {
  tasks: number;
  dialled: number;
  expired: number;
  /** Calls recorded without a task: inbound or manual. */
  outsideQueue: number;
  rightParty: number;
  /** Right-party contacts ÷ call outcomes recorded. */
  rightPartyRate: Rate;
  /** From task creation to the dial, minutes, averaged over dialled tasks. */
  averageQueueWaitMinutes: number | null;
  /**
   * With a limited team (`--agents`): its size, dials per collector-hour on shift, and the share of shift time on
   * calls.
   */
  collectors: { agents: number; dialsPerCollectorHour: Rate; utilisation: Rate } | null;
}

/** A share of something that may not have happened at all: null when there is nothing to divide by. */
export type Rate = number | null;
const ratio = (a: number, b: number): Rate => (b === 0 ? null : a / b);
const sumOf = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0);

export const emptyTally = (days: number): KpiTally => ({
  accounts: 0,
  outcomes: {},
  outcomesByProfile: Object.fromEntries(PROFILES.map((p) => [p, {}])),
  reachedBucket: Object.fromEntries(BUCKET_ORDER.map((b) => [b, 0])),
  collected: 0,
  overdue: 0,
  balanceAtDelinquency: 0,
  contactsByChannel: perChannel(() => 0),
  contactsByLocalHour: Array.from({ length: 24 }, () => 0),
  contactsBlocked: 0,
  escalationsByLevel: {},
  paidByDay: Array.from({ length: days + 1 }, () => 0),
  promisesMade: 0,
  promisesKept: 0,
  promisesBroken: 0,
  plansOffered: 0,
  accountsOffered: 0,
  plansAccepted: 0,
  plansBroken: 0,
  letters: 0,
  reasons: {},
  settlementsOffered: 0,
  settlementsAccepted: 0,
  settlementsLapsed: 0,
  writtenOff: 0,
  autopayPlans: 0,
  debitsRequested: 0,
  debitsFailed: 0,
  calls: { tasks: 0, dialled: 0, expired: 0, outsideQueue: 0, outcomes: 0, rightParty: 0, waits: 0, waitMinutes: 0 },
});

/**
 * The furthest bucket an account reached (docs/contract.md §9): its days past due were in it at some moment before
 * its close or the run's end. Days past due only grow within a cycle, so that is the bucket at that end.
 * The KPI table, kpis.json, accounts.csv and the report all read this one definition.
 */
export const furthestBucket = (a: Pick<SimulatedAccount, 'state'>, until: Date): Bucket => {
  const end = Math.min(a.state.closedAt ? Date.parse(a.state.closedAt) : Infinity, until.getTime());
  return bucketOf(daysPastDue(a.state.dueDate, new Date(end), a.state.timezone));
};

const bump = (counts: Record<string, number>, key: string, by = 1) => {
  counts[key] = (counts[key] ?? 0) + by;
};

/** One account's share of the KPIs, read from its final state and its whole record. */
export const tallyAccount = ({ profile, state, record }: SimulatedAccount, frame: RunFrame): KpiTally => {
  const t = emptyTally(frame.days);
  const outcome = state.closeReason ?? 'open';
  t.accounts = 1;
  t.outcomes[outcome] = 1;
  t.outcomesByProfile[profile] = { [outcome]: 1 };
  const furthest = BUCKET_ORDER.indexOf(furthestBucket({ state }, frame.until));
  for (let i = 0; i <= furthest; i += 1) t.reachedBucket[BUCKET_ORDER[i]!] = 1;
  t.collected = state.collected;
  t.overdue = state.overdue;
  if (state.reason) t.reasons[state.reason.reason] = 1;
  const debitIds = new Set<string>();
  // Contact ids are per account: each dial is matched to its task within the account's own record.
  const taskCreated = new Map(
    record.flatMap((e) => (e.kind === 'call-task' ? [[e.contactId, Date.parse(e.at)] as const] : [])),
  );
  for (const e of record) {
    switch (e.kind) {
      case 'started':
        t.balanceAtDelinquency += e.balance;
        break;
      case 'contact':
        t.contactsByChannel[e.channel] += 1;
        t.contactsByLocalHour[localParts(new Date(e.at), state.timezone).hour]! += 1;
        if (!isTask(e.channel)) break;
        // Dials as the record has them (a task taken after the account moved on is no dial).
        if (e.template === 'call-outside-queue') t.calls.outsideQueue += 1;
        else t.calls.dialled += 1;
        if (taskCreated.has(e.contactId)) {
          t.calls.waits += 1;
          t.calls.waitMinutes += (Date.parse(e.at) - taskCreated.get(e.contactId)!) / 60_000;
        }
        break;
      case 'call-task':
        t.calls.tasks += 1;
        break;
      case 'call-outcome':
        t.calls.outcomes += 1;
        if (e.outcome === 'right-party') t.calls.rightParty += 1;
        break;
      case 'contact-failed':
        if (isTask(e.channel)) t.calls.expired += 1;
        break;
      case 'contact-blocked':
        t.contactsBlocked += 1;
        break;
      case 'escalated':
        bump(t.escalationsByLevel, `${e.level} ${e.to}`);
        break;
      case 'payment':
        t.paidByDay[Math.min(frame.days, Math.floor((Date.parse(e.at) - frame.start.getTime()) / 86_400_000))]! +=
          e.amount;
        break;
      case 'ptp-made':
        t.promisesMade += 1;
        break;
      case 'ptp-kept':
        t.promisesKept += 1;
        break;
      case 'ptp-broken':
        t.promisesBroken += 1;
        break;
      // Kept with a payment the bank reversed: kept no more (docs/contract.md §3.21).
      case 'ptp-reopened':
        t.promisesKept -= 1;
        break;
      case 'plan-offered':
        t.plansOffered += 1;
        t.accountsOffered = 1;
        break;
      case 'plan-accepted':
        t.plansAccepted += 1;
        if (e.autopay) t.autopayPlans += 1;
        break;
      case 'settlement-offered':
        t.settlementsOffered += 1;
        break;
      case 'settlement-accepted':
        t.settlementsAccepted += 1;
        break;
      case 'settlement-lapsed':
        t.settlementsLapsed += 1;
        break;
      case 'written-off':
        t.writtenOff += e.amount;
        break;
      case 'debit-requested':
        t.debitsRequested += 1;
        debitIds.add(e.paymentId);
        break;
      case 'payment-failed':
        if (debitIds.has(e.paymentId)) t.debitsFailed += 1;
        break;
      case 'plan-broken':
        t.plansBroken += 1;
        break;
      case 'letter':
        t.letters += 1;
        break;
      // Read from the final state instead (outcome, reason, bucket), or counted by no KPI.
      case 'due-soon':
      case 'courtesy-ended':
      case 'account-updated':
      case 'dispute-opened':
      case 'dispute-resolved':
      case 'opt-out':
      case 'cease':
      case 'reason':
      case 'inbound-call':
      case 'bucket':
      case 're-aged':
      case 're-age-refused':
      case 'letter-dropped':
      case 'placed':
      case 'recalled':
      case 'closed':
      case 'erased':
      case 'ledger':
      case 'payment-reversed':
      case 'payment-allocated':
      case 'flag-inherited':
        break;
      default:
        assertNever(e, 'record entry');
    }
  }
  return t;
};

/** The KPIs of a run: its summed tally, its violations, its team and its usage (for the cost). */
export const computeKpis = (run: {
  tally: KpiTally;
  violations: readonly Violation[];
  collectors?: TeamFigures;
  usage: RunUsage;
  people?: PeopleTally;
}): Kpis => {
  const t = run.tally;
  const { outcomes, reachedBucket: reached } = t;
  const rollRates = BUCKET_ORDER.slice(1, -1).map((from, i) => {
    const to = BUCKET_ORDER[i + 2]!;
    return { from, to, accounts: reached[from] ?? 0, rate: ratio(reached[to] ?? 0, reached[from] ?? 0) };
  });
  const collectionsByDay = [...t.paidByDay];
  for (let d = 1; d < collectionsByDay.length; d += 1) collectionsByDay[d]! += collectionsByDay[d - 1]!;
  const contacts = sumOf(Object.values(t.contactsByChannel));
  const cured = (outcomes.cured ?? 0) + (outcomes['paid-in-full'] ?? 0);
  const team = run.collectors;
  return {
    accounts: t.accounts,
    outcomes,
    cureRate: ratio(cured, t.accounts),
    rollRates,
    reachedBucket: reached,
    collected: t.collected,
    overdue: t.overdue,
    collectedShare: ratio(t.collected, t.overdue),
    recoveryRate: ratio(t.collected, t.balanceAtDelinquency),
    balanceAtDelinquency: t.balanceAtDelinquency,
    contacts,
    contactsPerAccount: t.accounts === 0 ? 0 : contacts / t.accounts,
    contactsByChannel: t.contactsByChannel,
    contactsBlocked: t.contactsBlocked,
    contactsByLocalHour: t.contactsByLocalHour,
    peakHourShare: ratio(Math.max(0, ...t.contactsByLocalHour), sumOf(t.contactsByLocalHour)),
    promisesMade: t.promisesMade,
    promisesKept: t.promisesKept,
    promisesBroken: t.promisesBroken,
    promiseKeptRate: ratio(t.promisesKept, t.promisesMade),
    plansOffered: t.plansOffered,
    accountsOffered: t.accountsOffered,
    plansAccepted: t.plansAccepted,
    planTakeUp: ratio(t.plansAccepted, t.accountsOffered),
    plansCompleted: outcomes['plan-completed'] ?? 0,
    plansBroken: t.plansBroken,
    planCompletion: ratio(outcomes['plan-completed'] ?? 0, t.plansAccepted),
    calls: {
      tasks: t.calls.tasks,
      dialled: t.calls.dialled,
      expired: t.calls.expired,
      outsideQueue: t.calls.outsideQueue,
      rightParty: t.calls.rightParty,
      rightPartyRate: ratio(t.calls.rightParty, t.calls.outcomes),
      averageQueueWaitMinutes: t.calls.waits === 0 ? null : t.calls.waitMinutes / t.calls.waits,
      collectors: team
        ? {
            agents: team.agents,
            dialsPerCollectorHour: ratio(t.calls.dialled, team.shiftHours),
            utilisation: ratio(team.busyHours, team.shiftHours),
          }
        : null,
    },
    escalationsByLevel: t.escalationsByLevel,
    chargeOffs: outcomes['charged-off'] ?? 0,
    letters: t.letters,
    violations: run.violations.length,
    ledgerMismatches: run.violations.filter((v) => v.rule === 'ledger-mismatch').length,
    outcomesByProfile: t.outcomesByProfile,
    collectionsByDay,
    cost: estimateCost(run.usage, t.accounts),
    negotiation: negotiationKpis(t),
    ...(run.people ? peopleKpis(run.people) : {}),
  };
};

const negotiationKpis = (t: KpiTally): NegotiationKpis => {
  const gave = sumOf(Object.values(t.reasons));
  return {
    reasons: t.reasons,
    reasonShares: Object.fromEntries(Object.entries(t.reasons).map(([reason, n]) => [reason, ratio(n, gave)])),
    settlementsOffered: t.settlementsOffered,
    settlementsAccepted: t.settlementsAccepted,
    settled: t.outcomes.settled ?? 0,
    settlementsLapsed: t.settlementsLapsed,
    writtenOff: t.writtenOff,
    recoveryNetOfWriteOff: ratio(t.collected - t.writtenOff, t.balanceAtDelinquency),
    autopayShare: ratio(t.autopayPlans, t.plansAccepted),
    debitsRequested: t.debitsRequested,
    debitFailureRate: ratio(t.debitsFailed, t.debitsRequested),
  };
};

/** The tally of accounts held whole (a test's, or a trace's): the same fold the streaming run makes. */
export const tallyAccounts = (accounts: readonly SimulatedAccount[], frame: RunFrame): KpiTally =>
  accounts.reduce((total, a) => addUp(total, tallyAccount(a, frame)), emptyTally(frame.days));
