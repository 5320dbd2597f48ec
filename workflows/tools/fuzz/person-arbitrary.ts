// People in generated scenarios (docs/contract.md §11.1): the generated accounts gathered into persons of one to three
// accounts under a customer number, with events naming the person (a cease, an opt-out, a payment split by the pack's
// order or as the customer says) and the customer's answers to calls on the person's task, at generated moments.
import fc from 'fast-check';
import type { CallOutcome } from '../../twin/collectors';
import type { Scenario } from '../scenario/scenario-file';
import { scenarioPlan, toScenario, type ScenarioPlan } from './scenario-arbitrary';

const DAY = 86_400_000;
const MAX_ACCOUNTS_PER_PERSON = 3;

type PersonAction =
  | { type: 'cease' }
  | { type: 'opt-out'; channel: 'email' | 'sms' | 'call' }
  /** A payment of `share` percent of what the person's accounts owed at opening, split as the customer says or not. */
  | { type: 'pay'; share: number; split: boolean }
  /**
   * How the customer answers the next call to the person (`callId: "task"`, scenario-dials.ts): the person's task waits
   * for it, their accounts that want a call meanwhile join it, and the answer counts on each (docs/contract.md §11.1).
   * `account`: which of the person's accounts the event names.
   */
  | { type: 'call'; outcome: CallOutcome; account: number };

export interface PeoplePlan {
  /** For each generated account after the first: whether it belongs to the previous account's person. */
  joins: boolean[];
  /** `twice`: delivered again five minutes later, as an at-least-once queue may. */
  events: { person: number; day: number; minute: number; action: PersonAction; twice: boolean }[];
}

const personAction: fc.Arbitrary<PersonAction> = fc.oneof(
  { weight: 1, arbitrary: fc.constant({ type: 'cease' as const }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom('email', 'sms', 'call').map((channel) => ({ type: 'opt-out' as const, channel })),
  },
  {
    weight: 3,
    arbitrary: fc
      .record({ share: fc.integer({ min: 10, max: 150 }), split: fc.boolean() })
      .map((p) => ({ type: 'pay' as const, ...p })),
  },
  {
    weight: 3,
    arbitrary: fc
      .record({
        outcome: fc.constantFrom<CallOutcome>('right-party', 'right-party', 'no-answer', 'voicemail', 'refused'),
        account: fc.integer({ min: 0, max: 2 }),
      })
      .map((c) => ({ type: 'call' as const, ...c })),
  },
);

export const peoplePlan: fc.Arbitrary<PeoplePlan> = fc.record({
  joins: fc.array(fc.boolean(), { minLength: 5, maxLength: 5 }),
  events: fc.array(
    fc.record({
      person: fc.integer({ min: 0, max: 5 }),
      day: fc.integer({ min: 0, max: 60 }),
      minute: fc.integer({ min: 0, max: 1439 }),
      action: personAction,
      twice: fc.boolean(),
    }),
    { maxLength: 3 },
  ),
});

export type PersonScenarioPlan = ScenarioPlan & { people: PeoplePlan };

export const personScenarioPlan = (policies: Parameters<typeof scenarioPlan>[0]): fc.Arbitrary<PersonScenarioPlan> =>
  fc.tuple(scenarioPlan(policies), peoplePlan).map(([plan, people]) => ({ ...plan, people }));

type Detail = Record<string, unknown> & { accountId?: string; customer?: Record<string, unknown> };

/**
 * The scenario of the plan with its people: each account's delinquency names its person's customer number, and takes
 * the person's zone and locale (one customer, one local day); the person's events follow, inside the run.
 */
export const toPersonScenario = (plan: PersonScenarioPlan): Scenario => {
  const scenario = toScenario(plan);
  const opened = scenario.events.filter((e) => e.detailType === 'AccountDelinquent');
  const persons: Detail[][] = [];
  opened.forEach((event, i) => {
    const last = persons.at(-1);
    if (i > 0 && plan.people.joins[i - 1] && last && last.length < MAX_ACCOUNTS_PER_PERSON)
      last.push(event.detail as Detail);
    else persons.push([event.detail as Detail]);
  });
  persons.forEach((accounts, p) => {
    const first = accounts[0]!.customer!;
    for (const d of accounts) {
      d.customer = { ...d.customer, customerId: `P${p + 1}`, timezone: first.timezone, locale: first.locale };
      if (first.region) d.customer.region = first.region;
      else delete d.customer.region;
    }
  });
  const start = Date.parse(scenario.start);
  const until = Date.parse(scenario.until);
  const events = [...scenario.events];
  // Calls go to people a collector can phone, most of all to those with several cards (one task covers them all).
  const phoned = (p: number) => persons[p]!.filter((d) => d.customer?.phone).length;
  const callable = [2, 1]
    .map((least) => persons.flatMap((_, p) => (phoned(p) >= least ? [p] : [])))
    .find((ps) => ps.length);
  plan.people.events.forEach((e, n) => {
    const first = events.length;
    const p = e.action.type === 'call' && callable ? callable[e.person % callable.length]! : e.person % persons.length;
    const accounts = persons[p]!;
    const customerId = `P${p + 1}`;
    const at = Math.min(start + e.day * DAY + e.minute * 60_000, until - 60_000);
    const iso = new Date(at).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const a = e.action;
    if (a.type === 'cease')
      events.push({
        at: iso,
        source: 'collections.customer',
        detailType: 'CeaseCommunication',
        detail: { customerId },
      });
    else if (a.type === 'opt-out')
      events.push({
        at: iso,
        source: 'collections.customer',
        detailType: 'ChannelOptOut',
        detail: { customerId, channel: a.channel },
      });
    else if (a.type === 'call')
      events.push({
        at: iso,
        source: 'collections.agent',
        detailType: 'CallOutcomeRecorded',
        detail: { accountId: accounts[a.account % accounts.length]!.accountId!, callId: 'task', outcome: a.outcome },
      });
    else {
      const owed = accounts.map((d) => Number(d.amountDue));
      const amount = Math.max(1, Math.round((owed.reduce((s, x) => s + x, 0) * a.share) / 100));
      // The customer's own split: an equal share of the payment on each account, the rest on the last.
      const each = Math.floor(amount / accounts.length);
      const allocation = accounts
        .map((d, i) => ({ accountId: d.accountId, amount: i === accounts.length - 1 ? amount - each * i : each }))
        .filter((part) => part.amount > 0);
      events.push({
        at: iso,
        source: 'bank.core',
        detailType: 'PaymentPosted',
        detail: {
          customerId,
          paymentId: `P${n + 1}PAY`,
          amount,
          currency: accounts[0]!.currency,
          postedAt: iso,
          ...(a.split ? { allocation } : {}),
        },
      });
    }
    // Delivered again, as an at-least-once queue may: it must apply once.
    if (e.twice)
      for (const event of events.slice(first))
        events.push({ ...event, at: new Date(Math.min(at + 5 * 60_000, until - 60_000)).toISOString() });
  });
  events.sort((x, y) => Date.parse(x.at) - Date.parse(y.at));
  return { ...scenario, events };
};
