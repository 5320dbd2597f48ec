// The fuzzer is proven by a defect planted in the person's caps (docs/contract.md §3.4, §11.1): the person's ledger
// skipped, so caps count per account only. Generated people with several accounts must bring it out, shrunk.
import { describe, expect, it, vi } from 'vitest';
import { fuzz } from '../../workflows/tools/fuzz/fuzz';

vi.mock('../../functions/use-cases/person-ledger', async (original) => {
  const real = await original<typeof import('../../functions/use-cases/person-ledger')>();
  // Every contact has its place, whatever the person's other accounts took: caps per account only.
  return { ...real, takePlace: async () => true };
});

describe('the fuzzer, against caps counted per account only', () => {
  it('finds a person contacted past their cap in a day, across accounts, and shrinks it', async () => {
    const result = await fuzz({ runs: 120, seed: 20_261_207, faultRate: 0.05, policies: ['us-regf', 'cn'] });
    expect(result.failure?.problem.rule).toMatch(/^person-(calls|messages)-per-day$/);
    const { scenario } = result.failure!;
    const people = scenario.events
      .filter((e) => e.detailType === 'AccountDelinquent')
      .map((e) => (e.detail as { customer: { customerId: string } }).customer.customerId);
    // Two accounts at least under one customer number: the defect shows only across a person's accounts.
    expect(people.length).toBeGreaterThan(new Set(people).size);
    expect(scenario.events.length).toBeLessThanOrEqual(8);
  }, 400_000);
});
