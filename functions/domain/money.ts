// Money in integer minor units, and how amounts and rates read in each supported locale.

export type Locale = 'en-US' | 'zh-CN';
export const LOCALES = ['en-US', 'zh-CN'] as const;

/** An amount in minor units (cents, fen) of an ISO 4217 currency. Never a float. */
export interface Money {
  amount: number;
  currency: string;
}

const groupThousands = (digits: string): string => digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');

const digitsCache = new Map<string, number>();

/** The currency's own minor digits (ISO 4217 as the runtime knows it): 2 for USD and CNY, 0 for JPY, 3 for KWD. */
export const minorDigits = (currency: string): number => {
  let digits = digitsCache.get(currency);
  if (digits === undefined) {
    digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    digitsCache.set(currency, digits);
  }
  return digits;
};

/**
 * `12000` USD → `120.00 USD`, `12000` JPY → `12,000 JPY` (both locales show the ISO code; zh-CN readers see it too).
 */
export const formatMoney = ({ amount, currency }: Money, _locale: Locale): string => {
  if (!Number.isSafeInteger(amount))
    throw new RangeError(`amount: expected an integer number of minor units, got ${amount}`);
  const sign = amount < 0 ? '-' : '';
  const abs = Math.abs(amount);
  const digits = minorDigits(currency);
  const scale = 10 ** digits;
  const major = groupThousands(String(Math.floor(abs / scale)));
  const minor = digits > 0 ? `.${String(abs % scale).padStart(digits, '0')}` : '';
  return `${sign}${major}${minor} ${currency}`;
};

/** A typed amount in major units (`120.5`, `1,200.00`) as minor units of `currency`, or null if it is not one. */
export const parseMajorAmount = (text: string, currency: string): number | null => {
  const digits = minorDigits(currency);
  const match = /^(\d{1,15})(?:\.(\d+))?$/.exec(text.trim().replace(/,/g, ''));
  if (!match || (match[2] ?? '').length > digits) return null;
  const minor = Number(match[1]) * 10 ** digits + Number((match[2] ?? '').padEnd(digits, '0') || 0);
  return Number.isSafeInteger(minor) ? minor : null;
};

/** Basis points as a percentage with two decimals: `2999` → `29.99%`. */
export const formatRateBps = (bps: number): string => `${Math.floor(bps / 100)}.${String(bps % 100).padStart(2, '0')}%`;
