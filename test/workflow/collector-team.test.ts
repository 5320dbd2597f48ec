// Sizing a team (docs/contract.md §9 `--agents`): a limited pool of collectors works one queue on the clock every
// account shares. The same seed gives the same dials; a smaller team keeps customers waiting longer.
import { POLICY_PACKS } from '../../policies/built-in-packs';
import { describe, expect, it } from 'vitest';
import { computeKpis } from '../../workflows/tools/simulation/kpis';
import { runSimulation } from '../../workflows/tools/simulation/run-simulation';

// Enough accounts that one collector is busy in the first weeks, when calls start (spread over the day by each
// account's own time, docs/contract.md §10.5, so it takes more of them than when every task came at 08:00).
const options = {
  accounts: 500,
  days: 15,
  pack: POLICY_PACKS['us-regf'],
  seed: 3,
  store: 'memory' as const,
  keepRecords: true,
};
const fates = (run: Awaited<ReturnType<typeof runSimulation>>) =>
  run.accounts.map((a) => `${a.state.accountId}:${a.state.status}:${a.state.collected}:${a.record.length}`);

describe('a limited collector team', () => {
  it(
    'gives the same dials for the same seed, keeps tasks waiting longer when smaller, and reports its ' +
      'productivity',
    async () => {
      const [one, again, many] = [
        await runSimulation({ ...options, agents: 1 }),
        await runSimulation({ ...options, agents: 1 }),
        await runSimulation({ ...options, agents: 12 }),
      ];
      expect(fates(one)).toHaveLength(500);
      expect(fates(again)).toEqual(fates(one));
      const [solo, crowd] = [computeKpis(one).calls, computeKpis(many).calls];
      expect(solo.tasks).toBeGreaterThan(100);
      expect(computeKpis(again).calls).toEqual(solo);
      // Tasks created after the shift expire whatever the team's size; a smaller team adds waiting, never dials.
      expect(solo.expired).toBeGreaterThanOrEqual(crowd.expired);
      expect(solo.averageQueueWaitMinutes!).toBeGreaterThan(1.3 * crowd.averageQueueWaitMinutes!);
      expect(solo.collectors).toMatchObject({ agents: 1 });
      expect(solo.collectors!.dialsPerCollectorHour!).toBeGreaterThan(crowd.collectors!.dialsPerCollectorHour!);
      // Every dial in the record was made by the team (a task the account moved past meanwhile is taken but not
      // dialled);
      // none broke the policy.
      expect(one.collectors!.dials).toBeGreaterThanOrEqual(solo.dialled);
      expect(one.collectors!.dials - solo.dialled).toBeLessThan(5);
      expect(one.violations).toEqual([]);
    },
    120_000,
  );
});
