import { describe, expect, it } from 'vitest';
import { formatMoney, formatRateBps } from '../../functions/domain/money';

describe('money', () => {
  it('formats minor units with two decimals and the currency code', () => {
    expect(formatMoney({ amount: 12_000, currency: 'USD' }, 'en-US')).toBe('120.00 USD');
    expect(formatMoney({ amount: 5, currency: 'USD' }, 'en-US')).toBe('0.05 USD');
  });

  it('groups thousands in zh-CN as the bank statement does', () => {
    expect(formatMoney({ amount: 1_200_000, currency: 'CNY' }, 'zh-CN')).toBe('12,000.00 CNY');
  });

  it('refuses a float amount, naming the field', () => {
    expect(() => formatMoney({ amount: 12.5, currency: 'USD' }, 'en-US')).toThrow('amount: expected an integer number of minor units, got 12.5');
  });

  it('states rates in basis points as percentages', () => {
    expect(formatRateBps(2999)).toBe('29.99%');
    expect(formatRateBps(1805)).toBe('18.05%');
  });
});
