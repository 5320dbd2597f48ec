// Deterministic simulation testing on every CI run: a fixed seed and budget of generated scenarios, each through
// the local stack on the in-process store with faults, every §3 rule and the §10.3 invariants checked.
import { describe, expect, it } from 'vitest';
import { fuzz } from '../../workflows/tools/fuzz/fuzz';

describe('npm run fuzz (CI budget)', () => {
  it('finds no broken rule in 80 generated scenarios of both packs, with the same verdicts per seed', async () => {
    const options = { runs: 80, seed: 20_261_203, faultRate: 0.05, policies: ['us-regf', 'cn'] as const };
    const result = await fuzz(options);
    expect(result.failure?.problem ?? null).toBeNull();
    expect(result.runs).toBe(80);
    const again = await fuzz({ ...options, runs: 10 });
    expect(again.failure).toBeNull();
  }, 240_000);
});
