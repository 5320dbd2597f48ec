import { describe, expect, it } from 'vitest';
import { parseInbound } from '../../functions/domain/inbound-events';
import { generatePortfolio, PROFILES } from '../../workflows/tools/simulation/portfolio';

const options = { accounts: 400, country: 'US' as const, start: new Date('2026-01-05T00:00:00Z'), seed: 11 };

describe('synthetic portfolio', () => {
  it('is the same for the same seed and different for another', () => {
    expect(generatePortfolio(options)).toEqual(generatePortfolio(options));
    expect(generatePortfolio({ ...options, seed: 12 })).not.toEqual(generatePortfolio(options));
  });

  it('produces only events the bus accepts', () => {
    for (const account of generatePortfolio(options)) {
      const parsed = parseInbound('bank.core', 'AccountDelinquent', account.event.detail);
      expect(parsed.ok || parsed.reason).toBe(true);
    }
  });

  it('covers every behaviour profile, several zones and both locales', () => {
    const portfolio = generatePortfolio(options);
    expect(new Set(portfolio.map((a) => a.profile))).toEqual(new Set(PROFILES));
    expect(new Set(portfolio.map((a) => a.event.detail.customer.timezone)).size).toBeGreaterThanOrEqual(6);
    expect(new Set(portfolio.map((a) => a.event.detail.customer.locale))).toEqual(new Set(['en-US', 'zh-CN']));
    expect(portfolio.every((a) => a.event.detail.amountDue <= a.event.detail.balance)).toBe(true);
  });

  it('uses CNY and Chinese customers under the cn pack', () => {
    const cn = generatePortfolio({ ...options, country: 'CN' });
    expect(new Set(cn.map((a) => a.event.detail.currency))).toEqual(new Set(['CNY']));
    expect(cn.filter((a) => a.event.detail.customer.locale === 'zh-CN').length).toBeGreaterThan(300);
  });
});
