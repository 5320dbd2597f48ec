// Money in integer minor units, and how amounts and rates read in each supported locale.

export type Locale = 'en-US' | 'zh-CN';
export const LOCALES = ['en-US', 'zh-CN'] as const;

/** An amount in minor units (cents, fen) of an ISO 4217 currency. Never a float. */
export interface Money { amount: number; currency: string }

const groupThousands = (digits: string): string => digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/** `12000` USD → `120.00 USD` (both locales show the ISO code; zh-CN readers see it too). */
export const formatMoney = ({ amount, currency }: Money, _locale: Locale): string => {
  if (!Number.isSafeInteger(amount)) throw new RangeError(`amount: expected an integer number of minor units, got ${amount}`);
  const sign = amount < 0 ? '-' : '';
  const abs = Math.abs(amount);
  const major = groupThousands(String(Math.floor(abs / 100)));
  const minor = String(abs % 100).padStart(2, '0');
  return `${sign}${major}.${minor} ${currency}`;
};

/** Basis points as a percentage with two decimals: `2999` → `29.99%`. */
export const formatRateBps = (bps: number): string =>
  `${Math.floor(bps / 100)}.${String(bps % 100).padStart(2, '0')}%`;
