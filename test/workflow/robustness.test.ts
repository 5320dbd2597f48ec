// Faults change no outcome (§3.9), nothing personal leaks into histories, logs or events (§3.10), and a
// long cycle hands over to a new execution without changing what happens to the account.
import { POLICY_PACKS } from '../../policies/built-in-packs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadWorkflow } from '../../workflows/twin/synthesized-workflow';
import { account, OUR_SCENARIOS, run, EXAMPLE_SCENARIOS } from '../support/scenarios';

describe('transient faults (§3.9)', () => {
  it('gives the same outcome, timelines and rejections with 10% of calls failing as with none', async () => {
    const file = path.join(OUR_SCENARIOS, 'plan-lifecycle.json');
    // The faults are injected at DynamoDB Local's proxy and every local endpoint; the clean run, on the in-process
    // store (the same outcomes, proven by the store contract tests), is what they must not change.
    const clean = await run(file, { store: 'memory' });
    const faulty = await run(file, { faultRate: 0.1, seed: 7 });
    expect(faulty.artifacts.stack.meter.faultsInjected).toBeGreaterThan(10);
    expect(faulty.result.accounts).toEqual(clean.result.accounts);
    expect(faulty.result.kpis).toEqual(clean.result.kpis);
    expect(faulty.result.failures).toEqual([]);
  });

  it('sends no duplicate message and loses no payment under faults', async () => {
    const file = path.join(EXAMPLE_SCENARIOS, 'bad-input.json');
    const faulty = await run(file, { faultRate: 0.1, seed: 3 });
    const clean = await run(file);
    expect(faulty.result.rejected).toEqual(clean.result.rejected);
    expect(account(faulty.result.accounts, 'A3').collected).toBe(1000);
    expect(faulty.artifacts.stack.meter.usage.invocations.remind).toBeGreaterThanOrEqual(
      clean.artifacts.stack.meter.usage.invocations.remind ?? 0,
    );
    expect(faulty.result.accounts).toEqual(clean.result.accounts);
  });
});

describe('no PII in execution input, history, logs or events out (§3.10)', () => {
  it('keeps names, emails and phones out of everything the trace holds', async () => {
    const { result, artifacts } = await run(path.join(EXAMPLE_SCENARIOS, 'cure.json'), { keepHistory: true });
    const { stack } = artifacts;
    const executions = [...stack.engine.executions.values()];
    expect(executions.length).toBe(1);
    expect(executions[0]!.history.length).toBeGreaterThan(20);
    for (const e of executions)
      expect(Object.keys(e.input).sort()).toEqual(['accountId', 'cycleId', 'generation', 'loop']);
    const everything = JSON.stringify({ executions, logs: stack.outputs.logs, events: stack.outputs.eventsOut });
    for (const pii of ['Ana Diaz', 'ana@example.com', '+13125550100', '3125550100'])
      expect(everything).not.toContain(pii);
    expect(stack.outputs.logs.length).toBeGreaterThan(5);
    expect(stack.outputs.eventsOut.map((e) => e.detailType)).toEqual([
      'CollectionStarted',
      'ContactAttempted',
      'ContactAttempted',
      'CycleClosed',
    ]);
    expect(result.violations).toEqual([]);
  });
});

describe('long cycles', () => {
  it('continues as a new execution after the loop limit, with the same outcome', async () => {
    const file = path.join(OUR_SCENARIOS, 'ladder.json');
    // The handover is the engine's and the workflow's: the in-process store keeps this 60-loop run quick.
    const single = await run(file, { store: 'memory' });
    const handedOver = await run(file, {
      store: 'memory',
      workflow: await loadWorkflow(POLICY_PACKS['us-regf'], 10),
    });
    const names = [...handedOver.artifacts.stack.engine.executions.keys()];
    expect(names.length).toBeGreaterThan(5);
    expect(names.slice(0, 3)).toEqual(['N1-2026-01', 'N1-2026-01-g1', 'N1-2026-01-g2']);
    expect([...single.artifacts.stack.engine.executions.keys()]).toEqual(['N1-2026-01']);
    expect(handedOver.result.accounts).toEqual(single.result.accounts);
    expect(handedOver.result.failures).toEqual([]);
  });
});

describe('events out (§2)', () => {
  it('announces promises, plan offers, escalations and the close, with ids and no PII', async () => {
    const broken = await run(path.join(EXAMPLE_SCENARIOS, 'promise-broken.json'));
    const out = broken.artifacts.stack.outputs.eventsOut;
    expect(out.find((e) => e.detailType === 'PromiseBroken')?.detail).toEqual({
      eventId: expect.stringMatching(/^A2\/EVENT#/),
      accountId: 'A2',
      cycleId: '2026-01',
      at: '2026-01-16T08:15:19.000Z',
      promiseId: 'PR1',
    });
    const offered = out.find((e) => e.detailType === 'PlanOffered')!.detail as {
      planId: string;
      options: { instalments: number; monthlyAmount: number }[];
    };
    expect(offered.planId).toBe('2026-01-PL1');
    expect(offered.options.map((o) => o.instalments)).toEqual([3, 6, 12]);
    const attempted = out.filter((e) => e.detailType === 'ContactAttempted');
    expect(attempted.length).toBeGreaterThan(0);
    for (const e of attempted)
      expect(Object.keys(e.detail).sort().join()).toBe('accountId,at,channel,contactId,cycleId,eventId,rule,template');
    // Each event out carries its own id, the key of the record item that announced it.
    expect(new Set(out.map((e) => e.detail.eventId)).size).toBe(out.length);

    const ladder = await run(path.join(OUR_SCENARIOS, 'ladder.json'));
    const escalated = ladder.artifacts.stack.outputs.eventsOut
      .filter((e) => e.detailType === 'AccountEscalated')
      .map((e) => [e.detail.level, e.detail.to]);
    expect(escalated).toEqual([
      [1, 'senior-collector'],
      [2, 'final-notice'],
      [3, 'agency'],
    ]);
    expect(
      ladder.artifacts.stack.outputs.eventsOut.find((e) => e.detailType === 'AccountPlaced')?.detail,
    ).toMatchObject({
      accountId: 'N1',
      agency: 'northwind-recoveries',
    });
    expect(ladder.artifacts.stack.outputs.eventsOut.at(-1)).toMatchObject({
      detailType: 'CycleClosed',
      detail: { accountId: 'N1', reason: 'charged-off' },
    });
    expect(JSON.stringify(ladder.artifacts.stack.outputs.eventsOut)).not.toMatch(/Nils|@example\.com|\+1312/);
  });
});
