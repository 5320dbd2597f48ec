// Events delivered between two states of an execution (workflows/twin/interleaving.ts), as the fuzzer delivers them:
// the race the fuzzer found first (a payment cures, the bank's update of the amount due lands between Diagnose and
// Close) is kept as a named scenario, run with the seed that found it. And work completing in the same instant is
// applied in an order drawn from the seed, so a race between a wait's timeout and an event is tried both ways.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../workflows/tools/scenario/run-scenario';
import type { Scenario, ScenarioEvent } from '../../workflows/tools/scenario/scenario-file';
import { EXAMPLE_SCENARIOS, loadScenario, OUR_SCENARIOS, run } from '../support/scenarios';

describe('an event between Diagnose and Close (named scenario event-between-diagnose-and-close)', () => {
  it('goes on waiting when the fresh state no longer says close, and no execution fails', async () => {
    const { result, artifacts } = await run(path.join(OUR_SCENARIOS, 'event-between-diagnose-and-close.json'), {
      store: 'memory',
      faultRate: 0.05,
      seed: 7,
      interleave: 0.25,
      keepHistory: true,
    });
    const { stack } = artifacts;
    expect(stack.interleaving?.delivered()).toBeGreaterThan(0);
    // The race was run: Close found the state changed and answered so.
    const histories = [...stack.engine.executions.values()].map((e) => JSON.stringify(e.history));
    expect(histories.some((h) => h.includes('state-changed'))).toBe(true);
    expect(result.failures).toEqual([]);
    expect(result.violations).toEqual([]);
    const f1 = result.accounts.find((a) => a.accountId === 'F1')!;
    // The update asked for 0.01 more after the payment: the cycle is not cured, and stays open.
    expect(f1.status).toBe('open');
  });
});

describe('a settlement offer decided in the instant a payment lands (named scenario)', () => {
  it('does not count that payment again toward an amount worked out on the balance it lowered', async () => {
    const file = path.join(OUR_SCENARIOS, 'settlement-offer-after-payment-same-instant.json');
    const { result } = await run(file, { store: 'memory', faultRate: 0.05, seed: 20_261_207, interleave: 0.25 });
    const f3 = result.accounts.find((a) => a.accountId === 'F3')!;
    const at = (kind: string) => f3.timeline.find((e) => e.kind === kind)?.at;
    // The race was run: the offer and the payment in the same instant.
    expect(at('settlement-offered')).toBeDefined();
    expect(at('settlement-offered')).toBe(at('payment'));
    expect(f3.closeReason).not.toBe('settled');
    expect(result.violations).toEqual([]);
  });
});

describe('a wait timing out in the second a payment lands (completions of one instant reordered)', () => {
  const cure = loadScenario(path.join(EXAMPLE_SCENARIOS, 'cure.json'));
  const [delinquent, payment] = cure.events as [ScenarioEvent, ScenarioEvent];
  /** The payment moved to `at`, the instant the account's first wait times out. */
  const paidAt = (at: string): Scenario => ({
    ...cure,
    events: [delinquent, { ...payment, at, detail: { ...(payment.detail as object), postedAt: at } }],
  });
  /** Whether a reminder went out in the instant the payment landed: the timeout's Diagnose came first. */
  const remindedAsPaid = async (scenario: Scenario, seed?: number) => {
    const { result, artifacts } = await runScenario(scenario, {
      store: 'memory',
      ...(seed === undefined ? {} : { seed, interleave: 0.25 }),
    });
    const a1 = result.accounts.find((a) => a.accountId === 'A1')!;
    // Either order is one AWS may take: the account is cured and every rule holds.
    expect(a1.closeReason).toBe('cured');
    expect(result.violations).toEqual([]);
    expect(result.failures).toEqual([]);
    const paidAtInstant = a1.timeline.find((e) => e.kind === 'payment')!.at;
    const reminded = a1.timeline.some((e) => e.kind === 'contact' && e.at === paidAtInstant);
    // A reminder in that instant only when the interleaving let the timeout go before the payment, scheduled first.
    if (reminded) expect(artifacts.stack.interleaving?.reordered()).toBeGreaterThan(0);
    return { reminded, timeline: JSON.stringify(a1.timeline) };
  };

  it('tries both orders across seeds, the same order again for a seed, and the scheduled one without', async () => {
    // The instant the first wait times out, from a run with no payment at all.
    const alone = await runScenario({ ...cure, events: [delinquent] }, { store: 'memory' });
    const firstContact = alone.result.accounts[0]!.timeline.find((e) => e.kind === 'contact')!;
    expect(firstContact.at).not.toBe(delinquent.at);
    const race = paidAt(firstContact.at);

    // Without the interleaving the payment, scheduled first, goes first: nothing is sent.
    expect((await remindedAsPaid(race)).reminded).toBe(false);
    const seeds = [1, 2, 3, 4, 5, 6, 7, 8];
    const runs = new Map<number, { reminded: boolean; timeline: string }>();
    for (const seed of seeds) runs.set(seed, await remindedAsPaid(race, seed));
    expect(new Set([...runs.values()].map((r) => r.reminded))).toEqual(new Set([true, false]));
    for (const seed of seeds.slice(0, 4)) expect(await remindedAsPaid(race, seed)).toEqual(runs.get(seed));
  }, 120_000);
});
