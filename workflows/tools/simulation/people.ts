// People in the simulated portfolio (docs/contract.md §11.1): banks collect from people, and about a quarter of them
// hold more than one card. The generated accounts are gathered into people of one to three under a customer number
// (their own random stream, so each account's own draws stay as they were), and what the run did is counted per
// person: people, accounts per person, the most contacts a person had in a local day, contacts the person's caps held.
import type { PolicyPack } from '../../../functions/domain/policy-packs';
import type { RecordEntry } from '../../../functions/domain/record';
import { seededRandom } from '../../twin/random';
import type { Scheduler } from '../../twin/scheduler';
import { checkPeople, personTally, type PeopleTally } from '../scenario/person-check';
import type { Scenario } from '../scenario/scenario-file';
import type { AccountRun, Violation } from '../scenario/violation';
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

/** The portfolio's account openings, as a scenario's events: whose person each account is, for the person checker. */
const openings = (portfolio: readonly SyntheticAccount[]): Scenario['events'] =>
  portfolio.map((a) => ({
    at: new Date(a.delinquentAt).toISOString(),
    source: 'bank.core',
    detailType: a.event.detailType,
    detail: a.event.detail,
  }));

/** Kinds of entries the person checker reads: only these are kept of a finished account. */
const PERSON_KINDS: ReadonlySet<RecordEntry['kind']> = new Set([
  'contact',
  'contact-blocked',
  'closed',
  'payment',
  'payment-allocated',
]);

/**
 * Keeps what the person checker reads of each finished account (the batch's people finish in it); `done` checks the
 * people by the runner's own checker (caps per person-day, stops, splits) and tallies them.
 */
export const peopleCounter = (pack: PolicyPack, portfolio: readonly SyntheticAccount[]) => {
  const runs: AccountRun[] = [];
  return {
    add(account: SimulatedAccount) {
      runs.push({ state: account.state, record: account.record.filter((e) => PERSON_KINDS.has(e.kind)) });
    },
    done(): { tally: PeopleTally; violations: Violation[] } {
      const events = openings(portfolio);
      return { tally: personTally(events, runs), violations: checkPeople(events, runs, pack) };
    },
  };
};
