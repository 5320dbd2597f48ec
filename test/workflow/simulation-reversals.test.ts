// The simulation's bank taking payments back (`--reversal-rate`, docs/contract.md §3.21): the amounts are owed again,
// every ledger still adds up, and without the option the run is the run it always was.
import { describe, expect, it } from 'vitest';
import { POLICY_PACKS } from '../../policies/built-in-packs';
import { computeKpis } from '../../workflows/tools/simulation/kpis';
import { runSimulation, type SimulationRun } from '../../workflows/tools/simulation/run-simulation';

const options = { accounts: 60, days: 60, pack: POLICY_PACKS['us-regf'], seed: 5, keepRecords: true };
const fate = (r: SimulationRun) =>
  r.accounts.map((a) => [a.state.accountId, a.state.closeReason, a.state.collected, a.state.balance]);

describe('the simulated bank reversing payments', () => {
  it('reverses a share of payments with every ledger adding up, and none without the option', async () => {
    const reversing = await runSimulation({ ...options, reversalRate: 0.3 });
    const reversals = reversing.accounts.flatMap((a) => a.record.filter((e) => e.kind === 'payment-reversed'));
    expect(reversals.length).toBeGreaterThan(0);
    expect(reversing.violations).toEqual([]);
    expect(computeKpis(reversing).ledgerMismatches).toBe(0);
    const plain = await runSimulation(options);
    const off = await runSimulation({ ...options, reversalRate: 0 });
    expect(plain.accounts.flatMap((a) => a.record).some((e) => e.kind === 'payment-reversed')).toBe(false);
    expect(fate(off)).toEqual(fate(plain));
    expect(fate(reversing)).not.toEqual(fate(plain));
  }, 240_000);
});
