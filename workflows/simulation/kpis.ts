// The collections KPIs a manager reads: outcomes, roll rates, money, contacts, promises, plans,
// escalations, violations and cost, computed from each account's final state and full record.
import { BUCKET_ORDER, bucketOf, daysPastDue, type Bucket } from '../../functions/domain/days-past-due';
import type { RecordEntry } from '../../functions/domain/record';
import { localParts } from '../../functions/domain/zoned-time';
import { estimateCost, type CostEstimate } from './cost-model';
import { PROFILES, type Profile } from './portfolio';
import type { SimulatedAccount, SimulationRun } from './run-simulation';

export interface Kpis {
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
  contactsByChannel: Record<string, number>;
  contactsBlocked: number;
  contactsByLocalHour: number[];
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
  /** The call queue (CONTRACT §3.12): tasks created, dialled by a collector, expired undialled; how calls went. */
  calls: CallKpis;
  escalationsByLevel: Record<string, number>;
  chargeOffs: number;
  violations: number;
  outcomesByProfile: Record<string, Record<string, number>>;
  collectionsByDay: number[];
  cost: CostEstimate;
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
  /** With a limited team (`--agents`): its size, dials per collector-hour on shift, and the share of shift time on calls. */
  collectors: { agents: number; dialsPerCollectorHour: Rate; utilisation: Rate } | null;
}

/** What happened to the call tasks, read from the record alone. */
export const callKpis = (accounts: SimulatedAccount[], team?: SimulationRun['collectors']): CallKpis => {
  const tasks = entriesOf(accounts, 'call-task');
  const calls = entriesOf(accounts, 'contact').filter((c) => c.channel === 'call');
  const dialled = calls.filter((c) => c.template !== 'call-outside-queue');
  // Contact ids are per account: match each dial to its task within the account's own record.
  const waits = accounts.flatMap((a) => {
    const created = new Map(a.record.flatMap((e) => (e.kind === 'call-task' ? [[e.contactId, Date.parse(e.at)] as const] : [])));
    return a.record.flatMap((e) => (e.kind === 'contact' && e.channel === 'call' && created.has(e.contactId) ? [(Date.parse(e.at) - created.get(e.contactId)!) / 60_000] : []));
  });
  const outcomes = entriesOf(accounts, 'call-outcome');
  const rightParty = outcomes.filter((o) => o.outcome === 'right-party').length;
  return {
    tasks: tasks.length, dialled: dialled.length,
    expired: entriesOf(accounts, 'contact-failed').filter((f) => f.channel === 'call').length,
    outsideQueue: calls.length - dialled.length, rightParty, rightPartyRate: ratio(rightParty, outcomes.length),
    averageQueueWaitMinutes: waits.length === 0 ? null : waits.reduce((sum, w) => sum + w, 0) / waits.length,
    // Dials as the record has them (a task taken after the account moved on is no dial).
    collectors: team ? { agents: team.agents, dialsPerCollectorHour: ratio(dialled.length, team.shiftHours), utilisation: ratio(team.busyHours, team.shiftHours) } : null,
  };
};

/** A share of something that may not have happened at all: null when there is nothing to divide by. */
export type Rate = number | null;
const ratio = (a: number, b: number): Rate => (b === 0 ? null : a / b);
const entriesOf = <K extends RecordEntry['kind']>(accounts: SimulatedAccount[], kind: K) =>
  accounts.flatMap((a) => a.record.filter((e): e is Extract<RecordEntry, { kind: K }> => e.kind === kind));

/**
 * The furthest bucket an account reached (CONTRACT §9): its days past due were in it at some moment before
 * its close or the run's end. Days past due only grow within a cycle, so that is the bucket at that end.
 * The KPI table, kpis.json, accounts.csv and the report all read this one definition.
 */
export const furthestBucket = (a: Pick<SimulatedAccount, 'state'>, until: Date): Bucket => {
  const end = Math.min(a.state.closedAt ? Date.parse(a.state.closedAt) : Infinity, until.getTime());
  return bucketOf(daysPastDue(a.state.dueDate, new Date(end), a.state.timezone));
};

export const computeKpis = (run: SimulationRun): Kpis => {
  const { accounts } = run;
  const until = new Date(run.options.until);
  const start = Date.parse(run.options.start);
  const outcome = (a: SimulatedAccount) => a.state.closeReason ?? 'open';
  const outcomes: Record<string, number> = {};
  const outcomesByProfile: Record<string, Record<string, number>> = Object.fromEntries(PROFILES.map((p) => [p, {}]));
  for (const a of accounts) {
    outcomes[outcome(a)] = (outcomes[outcome(a)] ?? 0) + 1;
    const byProfile = outcomesByProfile[a.profile as Profile]!;
    byProfile[outcome(a)] = (byProfile[outcome(a)] ?? 0) + 1;
  }
  const reached = Object.fromEntries(BUCKET_ORDER.map((b) => [b, 0]));
  for (const a of accounts) {
    const furthest = BUCKET_ORDER.indexOf(furthestBucket(a, until));
    for (let i = 0; i <= furthest; i += 1) reached[BUCKET_ORDER[i]!]! += 1;
  }
  const rollRates = BUCKET_ORDER.slice(1, -1).map((from, i) => {
    const to = BUCKET_ORDER[i + 2]!;
    return { from, to, accounts: reached[from]!, rate: ratio(reached[to]!, reached[from]!) };
  });
  const contacts = entriesOf(accounts, 'contact');
  const zoneOf = new Map(accounts.map((a) => [a.state.accountId, a.state.timezone]));
  const contactsByLocalHour = Array.from({ length: 24 }, () => 0);
  for (const a of accounts) for (const c of a.record) if (c.kind === 'contact') contactsByLocalHour[localParts(new Date(c.at), zoneOf.get(a.state.accountId)!).hour]! += 1;
  const contactsByChannel: Record<string, number> = { email: 0, sms: 0, call: 0 };
  for (const c of contacts) contactsByChannel[c.channel] = (contactsByChannel[c.channel] ?? 0) + 1;
  const escalationsByLevel: Record<string, number> = {};
  for (const e of entriesOf(accounts, 'escalated')) escalationsByLevel[`${e.level} ${e.to}`] = (escalationsByLevel[`${e.level} ${e.to}`] ?? 0) + 1;
  const days = run.options.days;
  const collectionsByDay = Array.from({ length: days + 1 }, () => 0);
  for (const p of entriesOf(accounts, 'payment')) collectionsByDay[Math.min(days, Math.floor((Date.parse(p.at) - start) / 86_400_000))]! += p.amount;
  for (let d = 1; d <= days; d += 1) collectionsByDay[d]! += collectionsByDay[d - 1]!;
  const collected = accounts.reduce((sum, a) => sum + a.state.collected, 0);
  const balanceAtDelinquency = entriesOf(accounts, 'started').reduce((sum, e) => sum + e.balance, 0);
  const overdue = accounts.reduce((sum, a) => sum + a.state.overdue, 0);
  const cured = (outcomes.cured ?? 0) + (outcomes['paid-in-full'] ?? 0);
  const plansAccepted = entriesOf(accounts, 'plan-accepted').length;
  const accountsOffered = accounts.filter((a) => a.record.some((e) => e.kind === 'plan-offered')).length;
  const promisesMade = entriesOf(accounts, 'ptp-made').length;
  const promisesKept = entriesOf(accounts, 'ptp-kept').length;
  return {
    accounts: accounts.length, outcomes, cureRate: ratio(cured, accounts.length), rollRates, reachedBucket: reached,
    collected, overdue, collectedShare: ratio(collected, overdue), recoveryRate: ratio(collected, balanceAtDelinquency), balanceAtDelinquency,
    contacts: contacts.length, contactsPerAccount: accounts.length === 0 ? 0 : contacts.length / accounts.length, contactsByChannel,
    contactsBlocked: entriesOf(accounts, 'contact-blocked').length, contactsByLocalHour,
    promisesMade, promisesKept, promisesBroken: entriesOf(accounts, 'ptp-broken').length, promiseKeptRate: ratio(promisesKept, promisesMade),
    plansOffered: entriesOf(accounts, 'plan-offered').length, accountsOffered, plansAccepted, planTakeUp: ratio(plansAccepted, accountsOffered),
    plansCompleted: outcomes['plan-completed'] ?? 0, plansBroken: entriesOf(accounts, 'plan-broken').length,
    planCompletion: ratio(outcomes['plan-completed'] ?? 0, plansAccepted),
    calls: callKpis(accounts, run.collectors), escalationsByLevel, chargeOffs: outcomes['charged-off'] ?? 0, violations: run.violations.length,
    outcomesByProfile, collectionsByDay, cost: estimateCost(run),
  };
};
