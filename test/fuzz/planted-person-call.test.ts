// The checker's rule of one call for all debts (docs/contract.md §11.1) is proven by a defect planted in the contact
// step: an account never looks for the person's open task and makes a task of its own, as before people were. The
// checker must find it on the named scenario, and generated people whose cards want a call on the same day must bring
// it out, shrunk.
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { fuzz } from '../../workflows/tools/fuzz/fuzz';
import { OUR_SCENARIOS, run } from '../support/scenarios';

vi.mock('../../functions/use-cases/person-call-task', async (original) => {
  const real = await original<typeof import('../../functions/use-cases/person-call-task')>();
  // Every account places its call alone: a task of its own, whatever task of the person's is open.
  return { ...real, placeOnPersonTask: async () => ({ kind: 'alone' as const }) };
});

describe('one call for all debts, against a call task per account', () => {
  it("finds the person's second card queued for a call of its own while the first's task is open", async () => {
    const { result } = await run(path.join(OUR_SCENARIOS, 'person-one-call.json'), { store: 'memory' });
    expect(result.violations.map((v) => [v.accountId, v.rule])).toEqual([['ONE2', 'person-one-call-task']]);
  });

  it('finds a person with two open call tasks at once, across their accounts, and shrinks it', async () => {
    const result = await fuzz({ runs: 400, seed: 20_261_208, faultRate: 0.05, policies: ['us-regf', 'cn'] });
    expect(result.failure?.problem.rule).toBe('person-one-call-task');
    const { scenario } = result.failure!;
    const people = scenario.events
      .filter((e) => e.detailType === 'AccountDelinquent')
      .map((e) => (e.detail as { customer: { customerId: string } }).customer.customerId);
    // Two accounts at least under one customer number: the defect shows only across a person's accounts.
    expect(people.length).toBeGreaterThan(new Set(people).size);
    expect(scenario.events.length).toBeLessThanOrEqual(8);
  }, 600_000);
});
