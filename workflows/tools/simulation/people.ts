// People in the simulated portfolio (docs/contract.md §11.1): banks collect from people, and about a quarter of them
// hold more than one card. The generated accounts are gathered into people of one to three under a customer number
// (their own random stream, so each account's own draws stay as they were), and what the run did is counted per
// person: people, accounts per person, the most contacts a person had in a local day, contacts the person's caps held.
import { contactKindOf } from '../../../functions/domain/person';
import { personCapOf } from '../../../functions/domain/person-caps';
import type { PolicyPack } from '../../../functions/domain/policy-packs';
import { localDate } from '../../../functions/domain/zoned-time';
import { seededRandom } from '../../twin/random';
import type { Scheduler } from '../../twin/scheduler';
import type { Violation } from '../scenario/violation';
import { generatePortfolio, type SyntheticAccount } from './portfolio';
import type { SimulatedAccount } from './simulated-account';

/** The default share of people with more than one card. */
export const DEFAULT_MULTI_CARD_SHARE = 0.25;

/** Of the people with more than one card, the share with two (the rest have three). */
const TWO_CARDS = 0.7;

/**
 * The portfolio with its people: each person's accounts follow one another and name the first one's customer number,
 * and take that customer's name, contact points, zone and locale. A share of 0 leaves every account its own person
 * (no customer number), as the portfolio was before people.
 */
export const gatherPeople = (
  accounts: readonly SyntheticAccount[],
  share: number,
  seed: number,
): SyntheticAccount[] => {
  if (share <= 0) return [...accounts];
  const random = seededRandom(seed * 7919 + 104_729);
  const gathered: SyntheticAccount[] = [];
  for (let i = 0; i < accounts.length;) {
    const first = accounts[i]!;
    const size = random() < share ? (random() < TWO_CARDS ? 2 : 3) : 1;
    const customer = { ...first.event.detail.customer, customerId: `CUS${String(first.index + 1).padStart(6, '0')}` };
    for (const account of accounts.slice(i, i + size))
      gathered.push({
        ...account,
        person: first.index,
        event: {
          ...account.event,
          detail: { ...account.event.detail, currency: first.event.detail.currency, customer },
        },
      });
    i += size;
  }
  return gathered;
};

/** The person an account is run with: its first account's index (an account alone is its own). */
export const personIndexOf = (account: SyntheticAccount): number => account.person ?? account.index;

/**
 * A worker's shard of the run's portfolio with its people (`multiCardShare`, default 0.25): a person's accounts run in
 * one shard, people dealt round robin.
 */
export const portfolioOfShard = (
  options: { accounts: number; pack: Pick<PolicyPack, 'country'>; seed: number; multiCardShare?: number },
  start: Date,
  shard: { index: number; of: number },
): SyntheticAccount[] => {
  const { accounts, pack, seed } = options;
  const generated = generatePortfolio({ accounts, country: pack.country, start, seed });
  return gatherPeople(generated, options.multiCardShare ?? DEFAULT_MULTI_CARD_SHARE, seed).filter(
    (account) => personIndexOf(account) % shard.of === shard.index,
  );
};

/** A person's accounts share a clock (docs/contract.md §11.1), as they would under one global clock. */
export const joinPeople = (scheduler: Pick<Scheduler, 'join'>, portfolio: readonly SyntheticAccount[]): void => {
  for (const { event } of portfolio)
    if (event.detail.customer.customerId) scheduler.join(event.detail.accountId, event.detail.customer.customerId);
};

/**
 * The next batch off the queue: `size` accounts, and the rest of the last one's person, so a person's accounts run
 * on one stack (their partition and their clock are that stack's).
 */
export const takeBatch = (queue: SyntheticAccount[], size: number): SyntheticAccount[] => {
  let end = Math.min(size, queue.length);
  while (end < queue.length && personIndexOf(queue[end]!) === personIndexOf(queue[end - 1]!)) end += 1;
  return queue.splice(0, end);
};

/** What a run did per person, in sums that add up across batches and workers. */
export interface PeopleTally {
  people: number;
  accounts: number;
  /** Person-days by the number of contacts the person had that local day. */
  personDaysByContacts: Record<string, number>;
  personCapBlocks: number;
}

/** Counts finished accounts per person; `done` folds them once every account of the batch has finished. */
export const peopleCounter = (pack: PolicyPack) => {
  const persons = new Set<string>();
  const contacts = new Map<string, { count: number; calls: number; messages: number; accountId: string; at: string }>();
  let accounts = 0;
  let blocks = 0;
  return {
    add(account: SimulatedAccount) {
      accounts += 1;
      const person = account.state.customerId ?? account.state.accountId;
      persons.add(person);
      for (const e of account.record) {
        if (e.kind === 'contact-blocked' && /\/person-(calls|messages)-per-day$/.test(e.rule)) blocks += 1;
        if (e.kind !== 'contact') continue;
        const key = `${person}|${localDate(new Date(e.at), account.state.timezone)}`;
        const day = contacts.get(key) ?? {
          count: 0,
          calls: 0,
          messages: 0,
          accountId: account.state.accountId,
          at: e.at,
        };
        day.count += 1;
        day[contactKindOf(e.channel)] += 1;
        contacts.set(key, day);
      }
    },
    /** The batch's tally, and the person-days over the person's caps (violations of docs/contract.md §3.4). */
    done(): { tally: PeopleTally; violations: Violation[] } {
      const personDaysByContacts: Record<string, number> = {};
      const violations: Violation[] = [];
      for (const [key, day] of contacts) {
        personDaysByContacts[day.count] = (personDaysByContacts[day.count] ?? 0) + 1;
        for (const kind of ['calls', 'messages'] as const)
          if (day[kind] > personCapOf(pack, kind))
            violations.push({
              accountId: key.split('|')[0]!,
              rule: `person-${kind}-per-day`,
              at: day.at,
              detail: `${day[kind]} ${kind} on ${key.split('|')[1]}, the pack allows ${personCapOf(pack, kind)}`,
            });
      }
      return { tally: { people: persons.size, accounts, personDaysByContacts, personCapBlocks: blocks }, violations };
    },
  };
};

/** The person figures of kpis.json (docs/contract.md §11.1). */
export const peopleKpis = (tally: PeopleTally | undefined) => {
  if (!tally) return {};
  const busiest = Object.entries(tally.personDaysByContacts)
    .filter(([, days]) => days > 0)
    .map(([count]) => Number(count));
  return {
    people: tally.people,
    accountsPerPerson: tally.people ? Math.round((tally.accounts / tally.people) * 100) / 100 : 0,
    maxContactsPerPersonDay: Math.max(0, ...busiest),
    personCapBlocks: tally.personCapBlocks,
  };
};
