// The collectors' side of the HTTP API (docs/contract.md §7) against a real live stack, at the desk: bearer tokens
// from the local issuer, the call queue, claims and dials, negotiating on the phone, and per-client rate limits.
import { describe, expect, it } from 'vitest';
import { POLICY_PACKS } from '../../policies/built-in-packs';
import { api, collector, live, other, queuedTask, useAgentStack, type Queue } from '../support/agent-stack';
import { waitFor } from '../support/live';
import { idContactedBy } from '../support/own-time';

// Accounts whose own time of day (docs/contract.md §10.5) has come by 09:00, so their call task is queued at once.
const Q1 = idContactedBy('Q1', POLICY_PACKS['us-regf'], { hour: 9 });
const Q2 = idContactedBy('Q2', POLICY_PACKS['us-regf'], { hour: 9 });
const N1 = idContactedBy('N1', POLICY_PACKS['us-regf'], { hour: 9 });
const N2 = idContactedBy('N2', POLICY_PACKS['us-regf'], { hour: 9 });

useAgentStack();

describe('collector credentials', () => {
  it('refuses no token and a forged one with 401, and a user outside the collectors group with 403', async () => {
    expect((await api('/api/agent/queue', undefined)).status).toBe(401);
    const [header, payload] = collector.split('.');
    const forged = await api('/api/agent/queue', `${header}.${payload}.AAAA`);
    expect(forged.status).toBe(401);
    expect(forged.headers.get('content-type')).toBe('application/problem+json');
    // Why the verifier refused it (a signature, a key set out of reach) is not the caller's to read.
    expect(((await forged.json()) as { detail: string }).detail).toBe('The token was refused: sign in again.');
    const outsider = await (await import('../../workflows/twin/local-agents')).localAgents();
    expect((await api('/api/agent/queue', await outsider.issue('agent-9'))).status).toBe(401); // another issuer's key
    const manager = await api('/api/agent/queue', await live.issuer.issue('manager-1', { groups: ['managers'] }));
    expect(manager.status).toBe(403);
    expect(((await manager.json()) as { detail: string }).detail).toContain('collectors');
  });
});

describe('the call queue at the desk', () => {
  it('offers a new task with figures but no PII, and hides name and phone until a claim', async () => {
    const task = await queuedTask(Q1);
    expect(task).toMatchObject({ accountId: Q1, bucket: 'B1', amountDue: 12_000, currency: 'USD' });
    expect(task.customerLocalTime).toMatch(/^(09|1\d):\d\d$/);
    const queue = JSON.stringify(await (await api('/api/agent/queue', collector)).json());
    expect(queue).not.toMatch(/Ana|Diaz|\+1312|@example/);
    const before = (await (await api(`/api/agent/accounts/${Q1}`, collector)).json()) as {
      account: Record<string, unknown>;
    };
    expect(before.account.name).toBeUndefined();
    expect(before.account.phone).toBeUndefined();
  });

  it('gives a task to one of two collectors claiming at once; the winner sees the name and phone', async () => {
    const task = await queuedTask(Q2);
    const [a, b] = await Promise.all([
      api(`/api/agent/tasks/${task.taskId}/claim`, collector, {}),
      api(`/api/agent/tasks/${task.taskId}/claim`, other, {}),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const [winner, loser] = a.status === 200 ? [collector, other] : [other, collector];
    const claim = (await (a.status === 200 ? a : b).json()) as {
      account: Record<string, unknown>;
      script: string;
      timeline: { kind: string }[];
    };
    expect(claim.account).toMatchObject({
      accountId: Q2,
      name: 'Ana Diaz',
      phone: '+13125550100',
      amountDue: 12_000,
      penaltyAprBps: 2999,
    });
    expect(claim.script).toMatch(/120\.00 USD/);
    expect(claim.script).toMatch(/29\.99%/);
    expect(Array.isArray(claim.timeline)).toBe(true);
    expect(
      ((await (await api(`/api/agent/accounts/${Q2}`, winner)).json()) as { account: { name?: string } }).account.name,
    ).toBe('Ana Diaz');
    expect(
      ((await (await api(`/api/agent/accounts/${Q2}`, loser)).json()) as { account: { name?: string } }).account.name,
    ).toBeUndefined();
    // The other collector may not record the dial; the holder may, once the body is right.
    expect((await api(`/api/agent/tasks/${task.taskId}/outcome`, loser, { outcome: 'right-party' })).status).toBe(409);
    const bad = await api(`/api/agent/tasks/${task.taskId}/outcome`, winner, { outcome: 'maybe' });
    expect(bad.status).toBe(422);
    expect(((await bad.json()) as { errors: { field: string }[] }).errors[0]!.field).toBe('outcome');
    const dialled = await api(`/api/agent/tasks/${task.taskId}/outcome`, winner, { outcome: 'right-party' });
    expect(dialled.status).toBe(202);
    const timeline = await waitFor('the dial in the timeline', async () => {
      const { timeline: t } = (await (await api(`/api/agent/accounts/${Q2}`, winner)).json()) as {
        timeline: { kind: string; channel?: string; outcome?: string }[];
      };
      return t.some((e) => e.kind === 'call-outcome') && t;
    });
    expect(timeline.filter((e) => e.kind === 'contact' && e.channel === 'call')).toHaveLength(1);
    expect(timeline.find((e) => e.kind === 'call-outcome')?.outcome).toBe('right-party');
    // The task is done: out of the queue, and a second claim is refused.
    expect(
      ((await (await api('/api/agent/queue', winner)).json()) as Queue).tasks.some((t) => t.taskId === task.taskId),
    ).toBe(false);
    expect((await api(`/api/agent/tasks/${task.taskId}/claim`, winner, {})).status).toBe(409);
    expect((await api('/api/agent/tasks/NOPE/claim', winner, {})).status).toBe(404);
  });
});

describe('negotiating on the phone', () => {
  it('records a promise the customer makes to the collector', async () => {
    const task = await queuedTask(N1);
    expect((await api(`/api/agent/tasks/${task.taskId}/claim`, collector, {})).status).toBe(200);
    const promised = await api(`/api/agent/accounts/${N1}/promise`, collector, {
      amount: 6_000,
      dueDate: '2026-03-09',
    });
    expect(promised.status).toBe(202);
    await waitFor('the promise', async () => (await live.stack.store.getState(N1))?.promise?.amount === 6_000);
    const bad = await api(`/api/agent/accounts/${N1}/promise`, collector, { amount: -1, dueDate: 'soon' });
    expect(((await bad.json()) as { errors: { field: string }[] }).errors.map((e) => e.field).sort()).toEqual([
      'amount',
      'dueDate',
    ]);
    const past = await api(`/api/agent/accounts/${N1}/promise`, collector, { amount: 6_000, dueDate: '2026-02-27' });
    expect(past.status).toBe(422);
    expect(((await past.json()) as { errors: { field: string }[] }).errors.map((e) => e.field)).toEqual(['dueDate']);
    expect((await api('/api/agent/accounts/NOPE', collector)).status).toBe(404);
  });

  it(
    'records a plan the collector offers on the call as offered and accepted (docs/contract.md §7), within the ' +
      "pack's limits",
    async () => {
      // The customer calls in: the collector finds the account by the phone it calls from.
      await queuedTask(N2);
      const inbound = await api('/api/agent/inbound', collector, { accountId: N2 });
      expect(inbound.status).toBe(200);
      const view = (await (await api(`/api/agent/accounts/${N2}`, collector)).json()) as {
        account: { offers: unknown[]; planTerms: { instalments: number }[] };
      };
      // Nothing offered yet by the workflow; the collector may offer the pack's plans.
      expect(view.account.offers).toEqual([]);
      expect(view.account.planTerms.map((t) => t.instalments)).toContain(6);
      const tooLong = await api(`/api/agent/accounts/${N2}/plan`, collector, { instalments: 36 });
      expect(tooLong.status).toBe(422);
      expect(((await tooLong.json()) as { errors: { field: string }[] }).errors.map((e) => e.field)).toEqual([
        'instalments',
      ]);
      // With autopay (docs/contract.md §3.17): the bank will debit each instalment.
      const agreed = await api(`/api/agent/accounts/${N2}/plan`, collector, { instalments: 6, autopay: true });
      expect(agreed.status).toBe(202);
      const plan = await waitFor('the plan', async () => (await live.stack.store.getState(N2))?.plan);
      expect(plan.instalments).toHaveLength(6);
      expect(plan.autopay).toBe(true);
      const offered = await waitFor('PlanOffered out', async () =>
        live.stack.outputs.eventsOut.find((e) => e.detailType === 'PlanOffered' && e.detail.accountId === N2),
      );
      expect(offered.detail.planId).toBe(plan.planId);
      const { timeline } = (await (await api(`/api/agent/accounts/${N2}`, collector)).json()) as {
        timeline: { kind: string; planId?: string }[];
      };
      expect(timeline.filter((e) => e.planId === plan.planId).map((e) => e.kind)).toEqual([
        'plan-offered',
        'plan-accepted',
      ]);
      // A second plan while this one runs is not possible now.
      expect((await api(`/api/agent/accounts/${N2}/plan`, collector, { instalments: 3 })).status).toBe(409);
    },
  );
});

describe('per-client rate limits (docs/contract.md §7)', () => {
  it("answers one collector's flood with 429 and Retry-After, and keeps serving another collector", async () => {
    const flooder = await live.issuer.issue('agent-flood');
    // A task id that breaks the pattern: answered 404 after the token and the limit, with no table read.
    const flood = await Promise.all(Array.from({ length: 75 }, () => api('/api/agent/tasks/~/claim', flooder, {})));
    const refused = flood.filter((r) => r.status === 429);
    expect(refused.length).toBeGreaterThan(0);
    expect(flood.filter((r) => r.status === 404).length).toBeGreaterThanOrEqual(60);
    expect(Number(refused[0]!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await api('/api/agent/queue', other)).status).toBe(200);
    // The address's own bucket (every request here comes from 127.0.0.1) fills again before the next test.
    await new Promise((resolve) => setTimeout(resolve, 3000));
  });
});
