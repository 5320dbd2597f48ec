import { describe, expect, it } from 'vitest';
import { formatMoney, formatRateBps, minorDigits, parseMajorAmount } from '../../functions/domain/money';

describe('money', () => {
  it('formats minor units with two decimals and the currency code', () => {
    expect(formatMoney({ amount: 12_000, currency: 'USD' }, 'en-US')).toBe('120.00 USD');
    expect(formatMoney({ amount: 5, currency: 'USD' }, 'en-US')).toBe('0.05 USD');
  });

  it('groups thousands in zh-CN as the bank statement does', () => {
    expect(formatMoney({ amount: 1_200_000, currency: 'CNY' }, 'zh-CN')).toBe('12,000.00 CNY');
  });

  it('refuses a float amount, naming the field', () => {
    expect(() => formatMoney({ amount: 12.5, currency: 'USD' }, 'en-US')).toThrow(
      'amount: expected an integer number of minor units, got 12.5',
    );
  });

  it('states rates in basis points as percentages', () => {
    expect(formatRateBps(2999)).toBe('29.99%');
    expect(formatRateBps(1805)).toBe('18.05%');
  });

  it("uses the currency's own minor digits: none for JPY, three for KWD", () => {
    expect([minorDigits('USD'), minorDigits('CNY'), minorDigits('JPY'), minorDigits('KWD')]).toEqual([2, 2, 0, 3]);
    expect(formatMoney({ amount: 12_000, currency: 'JPY' }, 'en-US')).toBe('12,000 JPY');
    expect(formatMoney({ amount: 12_345, currency: 'KWD' }, 'zh-CN')).toBe('12.345 KWD');
  });

  it('reads a typed amount in major units as minor units, refusing more digits than the currency has', () => {
    expect(parseMajorAmount('120.5', 'USD')).toBe(12_050);
    expect(parseMajorAmount('1,200.00', 'USD')).toBe(120_000);
    expect(parseMajorAmount('120', 'CNY')).toBe(12_000);
    expect(parseMajorAmount('5000', 'JPY')).toBe(5000);
    expect(parseMajorAmount('1.5', 'JPY')).toBeNull();
    expect(parseMajorAmount('1.234', 'USD')).toBeNull();
    for (const junk of ['', '-5', 'abc', '1e3', '12.']) expect(parseMajorAmount(junk, 'USD')).toBeNull();
  });
});
