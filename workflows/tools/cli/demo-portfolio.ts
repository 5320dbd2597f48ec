// The accounts `npm run serve -- --demo N` starts with: spread over the lifecycle, so that a collector opening the
// desk sees people's work at once, and over time zones, so that at any hour of the day some customers with a call
// due are inside contact hours. The service runs the weeks before launch at full speed (DEMO_WARM_UP_DAYS), so at
// launch each account has the history its stage implies: reminders sent, plans offered, a promise made days ago and
// falling due today, a plan accepted, the ladder climbed to the agency. Every event is one the bank or the customer
// would send; some customers have opted out of texts and have no email, so collectors call them; some hold two cards.
import type { DemoAccount, DemoStart, FollowUp } from '../../twin/demo-account';
import { addDays, localParts } from '../../../functions/domain/zoned-time';
import { generatePortfolio } from '../simulation/portfolio';

/** How long the service runs before launch, at full speed, to give the accounts their history. */
export const DEMO_WARM_UP_DAYS = 21;
const DAY_MS = 86_400_000;

/** Where an account stands at launch: days past due, and whether collectors work it by phone. */
interface Stage {
  name: string;
  dpd: [number, number];
  callable: boolean;
  hardship?: boolean;
  followUp?: FollowUp;
}

/** One round of ten accounts; a portfolio repeats it. Call stages come first so a small demo has them too. */
const ROUND: readonly Stage[] = [
  { name: 'B2, a call due', dpd: [33, 44], callable: true },
  { name: 'B3, a call due', dpd: [62, 78], callable: true },
  { name: 'just past due', dpd: [2, 6], callable: false },
  { name: 'a promise falling due today', dpd: [8, 14], callable: false, followUp: 'promise-due-today' },
  { name: 'on a plan', dpd: [9, 12], callable: false, hardship: true, followUp: 'plan-accepted' },
  { name: 'with the agency', dpd: [122, 135], callable: false },
  { name: 'B4, a call due', dpd: [92, 110], callable: true },
  { name: 'just past due', dpd: [3, 8], callable: false },
  { name: 'B2, a call due', dpd: [36, 55], callable: true },
  { name: 'B1, reminders running', dpd: [10, 25], callable: false },
];

interface DemoZone {
  timezone: string;
  locale: 'en-US' | 'zh-CN';
  phonePrefix: string;
}
/**
 * Where demo customers live: at every hour of the day (UTC) at least one of these zones is between 09:00 and 19:00,
 * inside contact hours with the morning's call tasks made. US cardholders on the mainland, in Hawaii and Guam, and
 * abroad; Chinese cardholders in China and abroad.
 */
const ZONES: Record<string, readonly DemoZone[]> = {
  US: [
    { timezone: 'America/New_York', locale: 'en-US', phonePrefix: '+1212555' },
    { timezone: 'America/Chicago', locale: 'en-US', phonePrefix: '+1312555' },
    { timezone: 'America/Los_Angeles', locale: 'en-US', phonePrefix: '+1213555' },
    { timezone: 'Pacific/Honolulu', locale: 'en-US', phonePrefix: '+1808555' },
    { timezone: 'Pacific/Guam', locale: 'en-US', phonePrefix: '+1671555' },
    { timezone: 'Asia/Shanghai', locale: 'zh-CN', phonePrefix: '+8613800' },
    { timezone: 'Europe/London', locale: 'en-US', phonePrefix: '+4477009' },
  ],
  CN: [
    { timezone: 'Asia/Shanghai', locale: 'zh-CN', phonePrefix: '+8613900' },
    { timezone: 'Asia/Urumqi', locale: 'zh-CN', phonePrefix: '+8613600' },
    { timezone: 'Asia/Hong_Kong', locale: 'en-US', phonePrefix: '+8529100' },
    { timezone: 'Europe/London', locale: 'zh-CN', phonePrefix: '+4477009' },
    { timezone: 'America/New_York', locale: 'zh-CN', phonePrefix: '+1212555' },
    { timezone: 'America/Los_Angeles', locale: 'zh-CN', phonePrefix: '+1213555' },
  ],
};

/** Zones where it is 09:00–19:00 at `at`: contact hours, past the morning's first calls. */
export const zonesAwake = (zones: readonly DemoZone[], at: Date): DemoZone[] =>
  zones.filter((zone) => {
    const { hour } = localParts(at, zone.timezone);
    return hour >= 9 && hour < 19;
  });

const spread = (index: number, [min, max]: [number, number]) => min + ((index * 7) % (max - min + 1));

/**
 * People with several cards (docs/contract.md §11.1): in each round, the cards at these places of ROUND belong to one
 * customer, the first named's (reached by phone only), and fell due with it, so their calls come on the same days: one
 * task a collector works for both.
 */
const PEOPLE: readonly (readonly number[])[] = [[8, 0]];

/** The card whose customer a card shares: the first named of its group in its round, or none. */
const personOf = (index: number): number | null => {
  const group = PEOPLE.find((g) => g.includes(index % ROUND.length));
  return group ? index - (index % ROUND.length) + group[0]! : null;
};

/** The same options always give the same accounts. `start` is the service's virtual time at launch. */
export const demoPortfolio = ({
  accounts,
  country,
  start,
  seed,
}: {
  accounts: number;
  country: string;
  start: Date;
  seed: number;
}): DemoAccount[] => {
  const zones = ZONES[country];
  if (!zones)
    throw new Error(`country: no demo customers for ${country}; there are for ${Object.keys(ZONES).join(', ')}`);
  // Customers whom collectors call live where it is daytime at launch: the desk has work at once.
  const awake = zonesAwake(zones, start);
  if (awake.length === 0) throw new Error(`no demo zone of ${country} is in daytime at ${start.toISOString()}`);
  const counters = { callable: 0, other: 0 };
  const demo = generatePortfolio({ accounts, country, start, seed }).map(({ index, event }): DemoAccount => {
    const stage = ROUND[index % ROUND.length]!;
    const turn = stage.callable ? counters.callable++ : counters.other++;
    const zone = stage.callable ? awake[turn % awake.length]! : zones[turn % zones.length]!;
    const today = localParts(start, zone.timezone).date;
    const { customer, flags: _flags, ...detail } = event.detail;
    const dueDate = addDays(today, -spread(index, stage.dpd));
    const delinquentAt =
      Math.max(start.getTime() - DEMO_WARM_UP_DAYS * DAY_MS, Date.parse(`${dueDate}T12:00:00Z`) + DAY_MS) +
      index * 60_000;
    // Every other callable customer is reached by phone only: no email, texts stopped.
    const phoneOnly = stage.callable && turn % 2 === 1;
    const followUps: DemoAccount['followUps'] = [
      ...(phoneOnly ? [{ at: delinquentAt + 60_000, action: 'sms-opt-out' as const }] : []),
      ...(stage.followUp ? [{ at: start.getTime() - 2 * DAY_MS, action: stage.followUp }] : []),
    ];
    return {
      stage: stage.name,
      callable: stage.callable,
      delinquentAt,
      followUps,
      event: {
        detailType: 'AccountDelinquent',
        detail: {
          ...detail,
          dueDate,
          customer: {
            ...(phoneOnly ? { name: customer.name } : customer),
            locale: zone.locale,
            timezone: zone.timezone,
            // A collector can only call a customer with a phone: one at every call stage.
            ...(customer.phone || stage.callable
              ? { phone: `${zone.phonePrefix}${String(index % 10_000).padStart(4, '0')}` }
              : {}),
          },
          ...(stage.hardship ? { flags: { hardship: true } } : {}),
        },
      },
    };
  });
  // A person's cards share the first named card's customer (name, contact points, zone) under one customer number,
  // whether the texts were stopped, and its due date.
  return demo.map((account, index) => {
    const first = personOf(index);
    if (first === null || !demo[first]) return account;
    const owner = demo[first]!;
    const customer = { ...owner.event.detail.customer, customerId: `DEMO-CUS-${String(first + 1).padStart(4, '0')}` };
    if (first === index)
      return { ...account, event: { ...account.event, detail: { ...account.event.detail, customer } } };
    const delinquentAt = owner.delinquentAt + 60_000;
    const phoneOnly = owner.followUps.some((f) => f.action === 'sms-opt-out');
    const followUps = [
      ...account.followUps.filter((f) => f.action !== 'sms-opt-out'),
      ...(phoneOnly ? [{ at: delinquentAt + 60_000, action: 'sms-opt-out' as const }] : []),
    ];
    const { dueDate } = owner.event.detail;
    return {
      ...account,
      delinquentAt,
      followUps,
      event: { ...account.event, detail: { ...account.event.detail, dueDate, customer } },
    };
  });
};

/** What `npm run serve -- --demo N` hands the live stack: N accounts for its launch, after the warm-up. */
export const demoStart = ({
  accounts,
  country,
  seed,
}: {
  accounts: number;
  country: string;
  seed: number;
}): DemoStart => ({
  warmUpDays: DEMO_WARM_UP_DAYS,
  accounts: (start) => demoPortfolio({ accounts, country, start, seed }),
});
