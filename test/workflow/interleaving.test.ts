// Events delivered between two states of an execution (workflows/twin/interleaving.ts), as the fuzzer delivers them:
// the race the fuzzer found first (a payment cures, the bank's update of the amount due lands between Diagnose and
// Close) is kept as a named scenario, run with the seed that found it.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { OUR_SCENARIOS, run } from '../support/scenarios';

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
