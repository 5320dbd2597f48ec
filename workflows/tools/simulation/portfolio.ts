// A seeded synthetic portfolio of delinquent accounts: balances, amounts due, APRs, zones, locales,
// contact points and the behaviour profile each simulated customer follows.
import type { InboundOf } from '../../../functions/domain/inbound-events';
import { addDays } from '../../../functions/domain/zoned-time';
import { seededRandom, type Random } from '../../twin/random';

export const PROFILES = [
  'self-cure',
  'promise-keeper',
  'promise-breaker',
  'plan-taker',
  'unreachable',
  'disputer',
  'non-payer',
  'hardship',
] as const;
/** How a simulated customer behaves (a profile of the portfolio; not the contact profile of functions/domain). */
export type Behaviour = (typeof PROFILES)[number];

export interface SyntheticAccount {
  index: number;
  /** The index of the person's first account, where the account is one of a person's several (people.ts). */
  person?: number;
  profile: Behaviour;
  delinquentAt: number;
  event: InboundOf<'AccountDelinquent'>;
}

/** Share of each profile in a portfolio, from typical early-stage card delinquency. */
const PROFILE_MIX: Record<Behaviour, number> = {
  'self-cure': 0.2,
  'promise-keeper': 0.14,
  'promise-breaker': 0.1,
  'plan-taker': 0.14,
  unreachable: 0.1,
  disputer: 0.05,
  'non-payer': 0.17,
  hardship: 0.1,
};

interface Region {
  timezone: string;
  locale: 'en-US' | 'zh-CN';
  currency: string;
  weight: number;
  phonePrefix: string;
}
/** Synthetic customers by the pack's country. */
const REGIONS: Record<string, Region[]> = {
  US: [
    { timezone: 'America/New_York', locale: 'en-US', currency: 'USD', weight: 0.3, phonePrefix: '+1212555' },
    { timezone: 'America/Chicago', locale: 'en-US', currency: 'USD', weight: 0.24, phonePrefix: '+1312555' },
    { timezone: 'America/Denver', locale: 'en-US', currency: 'USD', weight: 0.1, phonePrefix: '+1303555' },
    { timezone: 'America/Phoenix', locale: 'en-US', currency: 'USD', weight: 0.05, phonePrefix: '+1602555' },
    { timezone: 'America/Los_Angeles', locale: 'en-US', currency: 'USD', weight: 0.2, phonePrefix: '+1213555' },
    { timezone: 'America/Anchorage', locale: 'en-US', currency: 'USD', weight: 0.02, phonePrefix: '+1907555' },
    { timezone: 'Pacific/Honolulu', locale: 'en-US', currency: 'USD', weight: 0.03, phonePrefix: '+1808555' },
    { timezone: 'Asia/Shanghai', locale: 'zh-CN', currency: 'USD', weight: 0.06, phonePrefix: '+8613800' },
  ],
  CN: [
    { timezone: 'Asia/Shanghai', locale: 'zh-CN', currency: 'CNY', weight: 0.8, phonePrefix: '+8613900' },
    { timezone: 'Asia/Urumqi', locale: 'zh-CN', currency: 'CNY', weight: 0.05, phonePrefix: '+8613600' },
    { timezone: 'Asia/Hong_Kong', locale: 'en-US', currency: 'CNY', weight: 0.1, phonePrefix: '+8529100' },
    { timezone: 'America/Los_Angeles', locale: 'zh-CN', currency: 'CNY', weight: 0.05, phonePrefix: '+1213555' },
  ],
};

const pick = <T>(random: Random, weighted: readonly (readonly [T, number])[]): T => {
  let roll = random() * weighted.reduce((sum, [, w]) => sum + w, 0);
  for (const [value, weight] of weighted) {
    roll -= weight;
    if (roll <= 0) return value;
  }
  return weighted.at(-1)![0];
};
export const between = (random: Random, min: number, max: number) => min + Math.floor(random() * (max - min + 1));

export interface PortfolioOptions {
  accounts: number;
  country: string;
  start: Date;
  seed: number;
}

/** The same options always give the same portfolio. */
export const generatePortfolio = ({ accounts, country, start, seed }: PortfolioOptions): SyntheticAccount[] => {
  const random = seededRandom(seed);
  const profiles = Object.entries(PROFILE_MIX) as [Behaviour, number][];
  const population = REGIONS[country];
  if (!population)
    throw new Error(`country: no synthetic customers for ${country}; there are for ${Object.keys(REGIONS).join(', ')}`);
  const regions = population.map((r) => [r, r.weight] as const);
  return Array.from({ length: accounts }, (_, index) => {
    const profile = pick(random, profiles);
    const region = pick(random, regions);
    const id = `ACC${String(index + 1).padStart(6, '0')}`;
    // Log-uniform balances from 500 to 15,000 in major units.
    const balance = Math.round(Math.exp(Math.log(50_000) + random() * Math.log(30)) / 100) * 100;
    const lateFee = country === 'CN' ? 0 : between(random, 29, 41) * 100;
    const amountDue = Math.max(2_500, Math.round((balance * between(random, 3, 10)) / 100)) + lateFee;
    const hasEmail = random() < 0.9;
    const hasPhone = !hasEmail || random() < 0.85;
    const delinquentAt = start.getTime() + between(random, 0, 2 * 24 * 60) * 60_000;
    const dueDate = addDays(new Date(delinquentAt).toISOString().slice(0, 10), -between(random, 1, 8));
    return {
      index,
      profile,
      delinquentAt,
      event: {
        detailType: 'AccountDelinquent',
        detail: {
          accountId: id,
          cycleId: 'C1',
          currency: region.currency,
          balance,
          amountDue: Math.min(amountDue, balance),
          dueDate,
          aprBps: country === 'CN' ? 1825 : between(random, 1999, 3599),
          ...(lateFee ? { lateFee } : {}),
          customer: {
            name: `Synthetic Customer ${index + 1}`,
            ...(hasEmail ? { email: `customer${index + 1}@example.com` } : {}),
            ...(hasPhone ? { phone: `${region.phonePrefix}${String(index % 10_000).padStart(4, '0')}` } : {}),
            locale: region.locale,
            timezone: region.timezone,
          },
          ...(profile === 'hardship' ? { flags: { hardship: true } } : {}),
        },
      },
    };
  });
};
