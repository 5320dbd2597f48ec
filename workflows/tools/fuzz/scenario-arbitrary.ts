// Generated scenarios for deterministic simulation testing (docs/contract.md §10.3): valid by construction against the
// contract's events (§1) and scenario format (§4). Accounts in either pack, any overlay, both locales, zones around
// the world, contact points missing; events of every kind at awkward moments — 20:59 local, the day of charge-off,
// minutes after the delinquency (while a first send may be retrying), before it (out of order), twice; reversals.
import { assertNever } from '../../../functions/domain/assert-never';
import fc from 'fast-check';
import type { PolicyPack } from '../../../functions/domain/policy-packs';
import { addDays, instantAt, localDate } from '../../../functions/domain/zoned-time';
import { POLICY_PACKS, type PolicyId } from '../../../policies/built-in-packs';
import type { Scenario, ScenarioEvent } from '../scenario/scenario-file';
import { reversalEvents, reversalPlans, type ReversalPlan } from './reversal-plan';
import { action, when, type EventPlan } from './event-arbitrary';

const DAY = 86_400_000;
const ZONES = [
  'America/New_York',
  'America/Chicago',
  'America/Los_Angeles',
  'Pacific/Honolulu',
  'Asia/Shanghai',
  'Europe/London',
  'Australia/Sydney',
];
const CURRENCIES: Record<PolicyId, string[]> = { 'us-regf': ['USD', 'USD', 'JPY'], cn: ['CNY', 'CNY', 'HKD'] };

/** One generated account: its delinquency, and what happens to it afterwards, in days and minutes from opening. */
interface AccountPlan {
  delinquency: { dpd: number; balance: number; duePart: number; aprBps: number; lateFee: number; currency: string };
  customer: {
    email: boolean;
    phone: boolean;
    locale: 'en-US' | 'zh-CN';
    timezone: string;
    region: string | null;
    hardship: boolean;
  };
  events: EventPlan[];
}

const accountPlan = (policy: PolicyId): fc.Arbitrary<AccountPlan> =>
  fc.record({
    delinquency: fc.record({
      dpd: fc.integer({ min: 1, max: 150 }),
      balance: fc.integer({ min: 5_000, max: 3_000_000 }),
      duePart: fc.integer({ min: 1, max: 100 }),
      aprBps: fc.integer({ min: 0, max: 3_600 }),
      lateFee: fc.constantFrom(0, 2_900, 4_100),
      currency: fc.constantFrom(...CURRENCIES[policy]),
    }),
    customer: fc.record({
      email: fc.boolean(),
      phone: fc.boolean(),
      locale: fc.constantFrom('en-US' as const, 'zh-CN' as const),
      timezone: fc.constantFrom(...ZONES),
      region:
        policy === 'us-regf' ? fc.constantFrom(null, null, 'US-MA', 'US-NY', 'US-NJ') : fc.constantFrom(null, 'CN-SH'),
      hardship: fc.boolean(),
    }),
    events: fc.array(fc.record({ when, action, twice: fc.boolean() }), { maxLength: 6 }),
  });

/** The plan of a whole scenario: its pack, when it starts, how long it runs, and its accounts. */
export interface ScenarioPlan {
  policy: PolicyId;
  startDay: number;
  days: number;
  /** Whether the deployment has a pay link (docs/contract.md §3.18). */
  payUrl: boolean;
  accounts: AccountPlan[];
  reversals: ReversalPlan[];
}

export const scenarioPlan = (policies: readonly PolicyId[]): fc.Arbitrary<ScenarioPlan> =>
  fc.constantFrom(...policies).chain((policy) =>
    fc.record({
      policy: fc.constant(policy),
      startDay: fc.integer({ min: 0, max: 365 }),
      days: fc.integer({ min: 20, max: 420 }),
      payUrl: fc.boolean(),
      accounts: fc.array(accountPlan(policy), { minLength: 1, maxLength: 6 }),
      reversals: reversalPlans,
    }),
  );

const BASE = Date.parse('2026-01-05T00:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** Minor units per major unit in the currency's own digits (JPY none, most two). */
const minorDigits = (currency: string) =>
  new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;

/** A plan made concrete: the scenario file it stands for, every event valid against docs/contract.md §1. */
export const toScenario = (plan: ScenarioPlan): Scenario => {
  const pack: PolicyPack = POLICY_PACKS[plan.policy];
  const start = BASE + plan.startDay * DAY;
  const until = start + plan.days * DAY;
  const events: ScenarioEvent[] = [];
  /** Inside [start, until): an event generated outside it comes at its edge. */
  const within = (at: number) => Math.min(Math.max(at, start), until - 60_000);
  const push = (at: number, source: string, detailType: string, detail: Record<string, unknown>, twice = false) => {
    const clamped = within(at);
    events.push({ at: iso(clamped), source, detailType, detail });
    if (twice) events.push({ at: iso(Math.min(clamped + 5 * 60_000, until - 60_000)), source, detailType, detail });
  };
  plan.accounts.forEach((account, index) => {
    const accountId = `F${index + 1}`;
    const { delinquency: d, customer: c } = account;
    // Opening within the scenario's first day, at a moment of the generated account's own.
    const openedAt = start + ((index * 97) % 1_380) * 60_000 + 60_000;
    const today = localDate(new Date(openedAt), c.timezone);
    const dueDate = addDays(today, -d.dpd);
    const unit = 10 ** Math.max(0, 2 - minorDigits(d.currency));
    const balance = Math.ceil(d.balance / unit) * unit;
    const amountDue = Math.max(unit, Math.ceil((balance * d.duePart) / 100 / unit) * unit);
    push(openedAt, 'bank.core', 'AccountDelinquent', {
      accountId,
      cycleId: 'C1',
      currency: d.currency,
      balance,
      amountDue: Math.min(amountDue, balance),
      dueDate,
      aprBps: d.aprBps,
      ...(d.lateFee && plan.policy === 'us-regf' ? { lateFee: d.lateFee } : {}),
      customer: {
        name: c.locale === 'zh-CN' ? `客户${index + 1}` : `Fuzz Customer ${index + 1}`,
        ...(c.email ? { email: `f${index + 1}@example.com` } : {}),
        ...(c.phone ? { phone: `+1312555${String(1000 + index)}` } : {}),
        locale: c.locale,
        timezone: c.timezone,
        ...(c.region ? { region: c.region } : {}),
      },
      ...(c.hardship ? { flags: { hardship: true } } : {}),
    });
    const chargeOffDay = addDays(dueDate, pack.chargeOffDpd);
    let previousAt = openedAt;
    account.events.forEach((event, n) => {
      const at =
        event.when.kind === 'with-previous'
          ? previousAt + event.when.seconds * 1000
          : event.when.kind === 'after'
            ? openedAt + event.when.minutes * 60_000
            : event.when.kind === 'before-open'
              ? openedAt - event.when.minutes * 60_000
              : event.when.kind === 'local-2059'
                ? instantAt(addDays(today, event.when.day), 20, 59, c.timezone).getTime()
                : instantAt(chargeOffDay, 10, 0, c.timezone).getTime();
      previousAt = at;
      const id = `${accountId}E${n + 1}`;
      const a = event.action;
      switch (a.type) {
        case 'pay':
          push(
            at,
            'bank.core',
            'PaymentPosted',
            {
              accountId,
              paymentId: id,
              amount: Math.max(unit, Math.ceil((amountDue * a.share) / 100 / unit) * unit),
              currency: d.currency,
              postedAt: iso(within(at)),
            },
            event.twice,
          );
          break;
        case 'promise': {
          const day = addDays(localDate(new Date(within(at)), c.timezone), a.inDays);
          push(
            at,
            'collections.customer',
            'PromiseToPayMade',
            {
              accountId,
              promiseId: id,
              amount: Math.max(unit, Math.ceil((amountDue * a.share) / 100 / unit) * unit),
              dueDate: day,
            },
            event.twice,
          );
          break;
        }
        case 'plan':
          push(
            at,
            'collections.customer',
            'PlanAccepted',
            {
              accountId,
              planId: 'latest',
              instalments: pack.planOptions[a.option % pack.planOptions.length],
              ...(a.autopay ? { autopay: true } : {}),
            },
            event.twice,
          );
          break;
        case 'settle':
          push(at, 'collections.customer', 'SettlementAccepted', { accountId, settlementId: 'latest' }, event.twice);
          break;
        case 'debit':
          // The bank's answer to the n-th debit asked of it (rejected with a reason when there is none yet).
          push(
            at,
            'bank.core',
            a.posted ? 'PaymentPosted' : 'PaymentFailed',
            a.posted
              ? {
                  accountId,
                  paymentId: `debit:${a.n}`,
                  amount: amountDue,
                  currency: d.currency,
                  postedAt: iso(within(at)),
                }
              : { accountId, paymentId: `debit:${a.n}`, amount: amountDue, currency: d.currency, reason: 'declined' },
            event.twice,
          );
          break;
        case 'dispute':
          push(
            at,
            'collections.customer',
            'DisputeRaised',
            { accountId, disputeId: id, reason: 'I do not recognise this debt' },
            event.twice,
          );
          if (a.resolve)
            push(at + a.afterDays * DAY, 'collections.agent', 'DisputeResolved', {
              accountId,
              disputeId: id,
              outcome: a.resolve,
            });
          break;
        case 'opt-out':
          push(at, 'collections.customer', 'ChannelOptOut', { accountId, channel: a.channel }, event.twice);
          break;
        case 'cease':
          push(at, 'collections.customer', 'CeaseCommunication', { accountId }, event.twice);
          break;
        case 'call-outcome':
          push(
            at,
            'collections.agent',
            'CallOutcomeRecorded',
            { accountId, callId: id, outcome: a.outcome },
            event.twice,
          );
          break;
        case 'reason':
          push(
            at,
            'collections.customer',
            'DelinquencyReasonRecorded',
            { accountId, reasonId: id, reason: a.reason },
            event.twice,
          );
          break;
        case 'inbound-call':
          push(
            at,
            'collections.agent',
            'InboundCallReceived',
            { accountId, callId: id, agentId: 'desk-1' },
            event.twice,
          );
          break;
        case 'update':
          push(
            at,
            'bank.core',
            'AccountUpdated',
            {
              accountId,
              ...(a.flag ? { flags: { [a.flag]: true } } : {}),
              ...(a.email ? { customer: { email: `f${index + 1}.new@example.com` } } : {}),
              ...(a.dueShare === null
                ? {}
                : { amountDue: Math.min(balance, Math.ceil((amountDue * a.dueShare) / 100 / unit) * unit) }),
            },
            event.twice,
          );
          break;
        case 'recall':
          push(at, 'collections.agent', 'PlacementRecalled', { accountId }, event.twice);
          break;
        default:
          assertNever(a, 'fuzz action');
      }
    });
  });
  events.push(...reversalEvents(plan.reversals, events, until));
  events.sort((x, y) => Date.parse(x.at) - Date.parse(y.at));
  return {
    policy: plan.policy,
    start: iso(start),
    until: iso(until),
    ...(plan.payUrl
      ? { payUrl: 'https://pay.bank.example/p?a={accountId}&m={amount}&c={currency}&r={reference}' }
      : {}),
    events,
  };
};
