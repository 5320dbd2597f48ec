// The checker's fold of the ledger is proven by a defect planted where it could hide: the domain moves the balance for
// a payment but leaves the payment's entry out of the record (docs/contract.md §3.19). The runner's own fold must find
// it on a named scenario, and the fuzzer must find it within a few generated runs.
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { fuzz } from '../../workflows/tools/fuzz/fuzz';
import { OUR_SCENARIOS, run } from '../support/scenarios';

vi.mock('../../functions/domain/ledger', async (original) => {
  const real = await original<typeof import('../../functions/domain/ledger')>();
  return {
    ...real,
    post: (...args: Parameters<typeof real.post>) => {
      const change = real.post(...args);
      return args[2].kind === 'payment' ? { ...change, entries: [] } : change;
    },
  };
});

describe('the ledger check, against a planted defect', () => {
  it('finds a payment whose entry is missing from the record, and a balance that no longer adds up', async () => {
    const { result } = await run(path.join(OUR_SCENARIOS, 'paid-in-full.json'), { store: 'memory' });
    const mismatches = result.violations.filter((v) => v.rule === 'ledger-mismatch');
    expect(mismatches.length).toBeGreaterThan(0);
    expect(mismatches.map((v) => v.detail)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^payment \S+ is not on the ledger$/)]),
    );
    expect(result.kpis.ledgerMismatches).toBe(mismatches.length);
  });

  it('is found by the fuzzer: the result’s ledger no longer adds up to its balance', async () => {
    const result = await fuzz({ runs: 40, seed: 11, faultRate: 0, policies: ['us-regf'], shrink: false });
    // The invariant on the result comes before the checker's violations, which name the same defect.
    expect(result.failure?.problem.rule).toBe('ledger-adds-up');
  }, 240_000);
});
