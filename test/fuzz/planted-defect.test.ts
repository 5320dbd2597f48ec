// The fuzzer is proven by a defect planted where it could hide: the contact policy made to overlook a cease
// (docs/contract.md §3.5). Within the CI budget the fuzzer must find it and shrink it to a scenario of a handful of
// events.
import { describe, expect, it, vi } from 'vitest';
import type { AccountState } from '../../functions/domain/account';
import { fuzz } from '../../workflows/tools/fuzz/fuzz';

vi.mock('../../functions/domain/contact-policy', async (original) => {
  const real = await original<typeof import('../../functions/domain/contact-policy')>();
  const overlookCease = (state: AccountState) => ({ ...state, ceased: false });
  return {
    ...real,
    decideContact: (state: AccountState, ...rest: [never, never, never]) =>
      real.decideContact(overlookCease(state), ...rest),
    earliestContact: (state: AccountState, ...rest: [never, never, never]) =>
      real.earliestContact(overlookCease(state), ...rest),
  };
});

describe('the fuzzer, against a planted defect', () => {
  it('finds contact after a cease and shrinks it to a handful of events', async () => {
    const result = await fuzz({ runs: 120, seed: 20_261_203, faultRate: 0.05, policies: ['us-regf', 'cn'] });
    expect(result.failure?.problem.rule).toBe('cease');
    const { scenario } = result.failure!;
    expect(scenario.events.map((e) => e.detailType)).toContain('CeaseCommunication');
    expect(scenario.events.length).toBeLessThanOrEqual(6);
  }, 240_000);
});
