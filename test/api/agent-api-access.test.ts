// The collectors' side of the HTTP API (docs/contract.md §7) against a real live stack, access by need (§10.7):
// inbound calls, claims and their leases, who is named in events, and settlements within a collector's limit.
import { describe, expect, it } from 'vitest';
import { POLICY_PACKS } from '../../policies/built-in-packs';
import { api, bank, collector, live, other, queuedTask, useAgentStack } from '../support/agent-stack';
import { delinquency, putEvent, waitFor } from '../support/live';
import { idContactedBy } from '../support/own-time';

// Accounts whose own time of day (docs/contract.md §10.5) has come by 09:00, so their call task is queued at once.
const AC1 = idContactedBy('AC1', POLICY_PACKS['us-regf'], { hour: 9 });
const AC2 = idContactedBy('AC2', POLICY_PACKS['us-regf'], { hour: 9 });
const AC3 = idContactedBy('AC3', POLICY_PACKS['us-regf'], { hour: 9 });
const SUB1 = idContactedBy('SUB1', POLICY_PACKS['us-regf'], { hour: 9 });
const LEASE1 = idContactedBy('LEASE1', POLICY_PACKS['us-regf'], { hour: 9 });

useAgentStack();

describe('access by need (docs/contract.md §10.7)', () => {
  it('refuses a promise on an account with no claim or call, then takes it after an inbound call', async () => {
    await queuedTask(AC1, '+13125550177');
    const refused = await api(`/api/agent/accounts/${AC1}/promise`, other, { amount: 6_000, dueDate: '2026-03-09' });
    expect(refused.status).toBe(403);
    expect(refused.headers.get('content-type')).toBe('application/problem+json');
    expect(((await refused.json()) as { detail: string }).detail).toMatch(/claim its call task or take/);
    expect((await api(`/api/agent/accounts/${AC1}/plan`, other, { instalments: 6 })).status).toBe(403);
    const view = (await (await api(`/api/agent/accounts/${AC1}`, other)).json()) as { account: { name?: string } };
    expect(view.account.name).toBeUndefined();

    const call = await api('/api/agent/inbound', other, { phone: '+13125550177' });
    expect(call.status).toBe(200);
    expect(call.headers.get('cache-control')).toBe('no-store');
    const taken = (await call.json()) as { callId: string; accessUntil: string; account: Record<string, unknown> };
    expect(taken.account).toMatchObject({ accountId: AC1, name: 'Ana Diaz', phone: '+13125550177' });
    expect(Date.parse(taken.accessUntil) - Date.parse('2026-03-02T15:00:00Z')).toBeGreaterThanOrEqual(30 * 60_000);
    const promised = await api(`/api/agent/accounts/${AC1}/promise`, other, { amount: 6_000, dueDate: '2026-03-09' });
    expect(promised.status).toBe(202);
    // Why the customer is late, asked on the call (docs/contract.md §10.6); a reason outside the list is a 422 naming
    // it.
    const badReason = await api(`/api/agent/accounts/${AC1}/reason`, other, { reason: 'lazy' });
    expect(badReason.status).toBe(422);
    expect(((await badReason.json()) as { errors: { field: string }[] }).errors[0]!.field).toBe('reason');
    expect((await api(`/api/agent/accounts/${AC1}/reason`, collector, { reason: 'job-loss' })).status).toBe(403);
    expect(
      (await api(`/api/agent/accounts/${AC1}/reason`, other, { reason: 'job-loss', note: 'laid off' })).status,
    ).toBe(202);
    await waitFor('the reason', async () => (await live.stack.store.getState(AC1))?.reason?.reason === 'job-loss');
    // A job loss makes the account a hardship case on the desk (docs/contract.md §3.15).
    const withReason = (await (await api(`/api/agent/accounts/${AC1}`, other)).json()) as {
      account: { reason: string; hardship: boolean };
    };
    expect(withReason.account).toMatchObject({ reason: 'job-loss', hardship: true });
    const timeline = await waitFor('the inbound call in the timeline', async () => {
      const t = (
        (await (await api(`/api/agent/accounts/${AC1}`, other)).json()) as { timeline: Record<string, unknown>[] }
      ).timeline;
      return t.some((e) => e.kind === 'inbound-call') && t;
    });
    expect(timeline.find((e) => e.kind === 'inbound-call')).toMatchObject({ callId: taken.callId, agentId: 'agent-2' });
    // An inbound call is a conversation, not an attempt: it adds no contact.
    const state = (await live.stack.store.getState(AC1))!;
    expect(state.history.lastRightPartyAt).not.toBeNull();
  });

  it('answers 404 for an unknown phone, 409 for a phone several open accounts share, 422 for a bad one', async () => {
    expect((await api('/api/agent/inbound', collector, { phone: '+19995550000' })).status).toBe(404);
    await queuedTask(AC2);
    await queuedTask(AC3);
    const shared = await api('/api/agent/inbound', collector, { phone: '+13125550100' });
    expect(shared.status).toBe(409);
    // How many, not which: the collector has no access to these accounts.
    const detail = ((await shared.json()) as { detail: string }).detail;
    expect(detail).toMatch(/^\d+ open accounts have this phone number/);
    expect(detail).not.toContain(AC2);
    expect(detail).not.toMatch(/Ana|\+1312/);
    const bad = await api('/api/agent/inbound', collector, { phone: '555-0100' });
    expect(bad.status).toBe(422);
    expect(((await bad.json()) as { errors: { field: string }[] }).errors[0]!.field).toBe('phone');
    expect((await api('/api/agent/inbound', collector, {})).status).toBe(422);
    expect((await api('/api/agent/inbound', collector, { accountId: 'NOPE' })).status).toBe(404);
  });

  it('takes only its own fields, and records whether the number came from the telephony or was typed', async () => {
    const token = await live.issuer.issue('agent-in1');
    await putEvent(
      bank,
      'bank.core',
      'AccountDelinquent',
      delinquency('IN1', { customer: { ...delinquency('IN1').customer, phone: '+13125550161' } }),
    );
    await putEvent(
      bank,
      'bank.core',
      'AccountDelinquent',
      delinquency('IN2', { customer: { ...delinquency('IN2').customer, phone: '+13125550162' } }),
    );
    await waitFor(
      'IN1 and IN2 opened',
      async () => (await live.stack.store.getState('IN1')) && live.stack.store.getState('IN2'),
    );
    const extra = await api('/api/agent/inbound', token, { accountId: 'IN1', grantAll: true });
    expect(extra.status).toBe(422);
    expect(((await extra.json()) as { errors: { field: string }[] }).errors.map((e) => e.field)).toEqual(['grantAll']);
    expect((await api('/api/agent/inbound', token, { callerNumber: '+13125550161' })).status).toBe(200);
    expect((await api('/api/agent/inbound', token, { phone: '+13125550162' })).status).toBe(200);
    const inboundOf = (accountId: string) =>
      waitFor(`the inbound call on ${accountId}`, async () =>
        (await live.stack.store.record(accountId, 'C1')).find((e) => e.kind === 'inbound-call'),
      );
    expect(await inboundOf('IN1')).toMatchObject({ agentId: 'agent-in1', numberSource: 'telephony' });
    expect(await inboundOf('IN2')).toMatchObject({ agentId: 'agent-in1', numberSource: 'typed' });
  });

  it('holds a collector to 3 open inbound calls, and to a slow rate of them', async () => {
    const token = await live.issuer.issue('agent-in2');
    for (const id of ['IC1', 'IC2', 'IC3', 'IC4'])
      await putEvent(bank, 'bank.core', 'AccountDelinquent', delinquency(id));
    await waitFor(
      'IC1–IC4 opened',
      async () => (await live.stack.store.getStates(['IC1', 'IC2', 'IC3', 'IC4'])).size === 4,
    );
    for (const id of ['IC1', 'IC2', 'IC3'])
      expect((await api('/api/agent/inbound', token, { accountId: id })).status).toBe(200);
    const fourth = await api('/api/agent/inbound', token, { accountId: 'IC4' });
    expect(fourth.status).toBe(409);
    expect(((await fourth.json()) as { detail: string }).detail).toMatch(/3 inbound calls open, the most at once/);
    expect(
      ((await (await api('/api/agent/accounts/IC4', token)).json()) as { account: { name?: string } }).account.name,
    ).toBeUndefined();
    // Lookups that open nothing still count toward the collector's rate of inbound calls.
    const lookups = [];
    for (let i = 0; i < 10; i += 1)
      lookups.push((await api('/api/agent/inbound', token, { phone: '+19995550000' })).status);
    expect(lookups).toContain(429);
  });

  it('shows why the customer is late only to a collector with access', async () => {
    await putEvent(bank, 'bank.core', 'AccountDelinquent', delinquency('RS1'));
    await waitFor('RS1 opened', () => live.stack.store.getState('RS1'));
    await putEvent(bank, 'collections.customer', 'DelinquencyReasonRecorded', {
      accountId: 'RS1',
      reasonId: 'RS1-R1',
      reason: 'bereavement',
    });
    await waitFor('the reason', async () => (await live.stack.store.getState('RS1'))?.reason);
    const view = async (token: string) =>
      (await (await api('/api/agent/accounts/RS1', token)).json()) as {
        account: { reason: string | null };
        timeline: Record<string, unknown>[];
      };
    const outsider = await live.issuer.issue('agent-rs');
    const without = await view(outsider);
    expect(without.account.reason).toBeNull();
    expect(without.timeline.find((e) => e.kind === 'reason')).toEqual({
      kind: 'reason',
      at: expect.any(String),
      reasonId: 'RS1-R1',
    });
    expect(JSON.stringify(without)).not.toContain('bereavement');
    expect((await api('/api/agent/inbound', outsider, { accountId: 'RS1' })).status).toBe(200);
    const withAccess = await view(outsider);
    expect(withAccess.account.reason).toBe('bereavement');
    expect(withAccess.timeline.find((e) => e.kind === 'reason')).toMatchObject({ reason: 'bereavement' });
  });

  it('lets a collector hold 3 claims at once, and renews no lease by claiming again', async () => {
    const token = await live.issuer.issue('agent-cap');
    const tasks = [];
    for (const id of ['CP1', 'CP2', 'CP3', 'CP4'].map((p) => idContactedBy(p, POLICY_PACKS['us-regf'], { hour: 9 })))
      tasks.push(await queuedTask(id));
    const first = (await (await api(`/api/agent/tasks/${tasks[0]!.taskId}/claim`, token, {})).json()) as {
      leaseUntil: string;
    };
    for (const task of tasks.slice(1, 3))
      expect((await api(`/api/agent/tasks/${task.taskId}/claim`, token, {})).status).toBe(200);
    const fourth = await api(`/api/agent/tasks/${tasks[3]!.taskId}/claim`, token, {});
    expect(fourth.status).toBe(409);
    expect(((await fourth.json()) as { detail: string }).detail).toMatch(/3 claims already/);
    await new Promise((resolve) => setTimeout(resolve, 200)); // two virtual minutes pass, inside the lease
    const again = await api(`/api/agent/tasks/${tasks[0]!.taskId}/claim`, token, {});
    expect(again.status).toBe(200);
    expect(((await again.json()) as { leaseUntil: string }).leaseUntil).toBe(first.leaseUntil);
  });

  it('refuses an outcome on a claim whose lease has ended (409), and records nothing', async () => {
    const token = await live.issuer.issue('agent-lease');
    const task = await queuedTask(LEASE1);
    const claim = (await (await api(`/api/agent/tasks/${task.taskId}/claim`, token, {})).json()) as {
      leaseUntil: string;
    };
    // 15 virtual minutes at 600 times real time: 1.5 s.
    await waitFor('the lease to end', async () => live.clock.now().getTime() > Date.parse(claim.leaseUntil), 10_000);
    const late = await api(`/api/agent/tasks/${task.taskId}/outcome`, token, { outcome: 'right-party' });
    expect(late.status).toBe(409);
    expect(late.headers.get('content-type')).toBe('application/problem+json');
    expect(((await late.json()) as { detail: string }).detail).toMatch(/lease ended at .*claim the task again/);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const cycleId = (await live.stack.store.getState(LEASE1))!.cycleId;
    expect((await live.stack.store.record(LEASE1, cycleId)).some((e) => e.kind === 'call-outcome')).toBe(false);
  });

  it("names a collector in events by the token's subject, whatever its user name", async () => {
    const token = await live.issuer.issue('c0ffee-42', { username: 'jane.doe@bank.example' });
    const task = await queuedTask(SUB1);
    expect((await api(`/api/agent/tasks/${task.taskId}/claim`, token, {})).status).toBe(200);
    expect((await api(`/api/agent/tasks/${task.taskId}/outcome`, token, { outcome: 'no-answer' })).status).toBe(202);
    const outcome = await waitFor('the dial', async () =>
      (await live.stack.store.record(SUB1, (await live.stack.store.getState(SUB1))!.cycleId)).find(
        (e) => e.kind === 'call-outcome',
      ),
    );
    // The dial is dated when the collector recorded it, so a late arrival is judged at that moment.
    expect(outcome).toMatchObject({ agentId: 'c0ffee-42', dialledAt: expect.any(String) });
    // A retry of the same outcome is recognised: one dial, one contact.
    expect((await api(`/api/agent/tasks/${task.taskId}/outcome`, token, { outcome: 'no-answer' })).status).toBe(202);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const cycleId = (await live.stack.store.getState(SUB1))!.cycleId;
    expect((await live.stack.store.record(SUB1, cycleId)).filter((e) => e.kind === 'call-outcome')).toHaveLength(1);
  });

  it('answers odd paths and ids with 404 or 422, never 500, and keeps account data out of caches', async () => {
    const long = 'A'.repeat(300);
    for (const path of [
      `/api/agent/accounts/${long}`,
      '/api/agent/accounts/..%2F..',
      `/api/agent/tasks/${long}/claim`,
    ]) {
      const res = await api(path, collector, path.endsWith('claim') ? {} : undefined);
      expect([404, 422], path).toContain(res.status);
    }
    const queue = await api('/api/agent/queue', collector);
    expect(queue.headers.get('cache-control')).toBe('no-store');
    for (const path of ['/api/customer/abc/constructor', '/api/customer/abc.def/toString', `/api/customer/${long}`]) {
      const res = await fetch(`${live.addresses.apiUrl}${path}`, {
        method: path.split('/').length > 4 ? 'POST' : 'GET',
        headers: { 'content-type': 'application/json' },
        body: path.split('/').length > 4 ? '{}' : undefined,
      });
      expect(res.status, path).toBeLessThan(500);
    }
  });

  it("agrees a settlement on the phone within a collector's limit, beyond it as a supervisor (§3.16)", async () => {
    const opened = async (accountId: string) => {
      await putEvent(bank, 'bank.core', 'AccountDelinquent', delinquency(accountId));
      await waitFor(`${accountId} opened`, () => live.stack.store.getState(accountId));
    };
    const plain = await live.issuer.issue('agent-7');
    const supervisor = await live.issuer.issue('sup-1', { groups: ['collectors', 'supervisors'] });
    await opened('SA1');
    await opened('SA2');
    // Access by an inbound call: a settlement is an account action (§10.7).
    expect((await api('/api/agent/accounts/SA1/settlement', plain, { amount: 200_000 })).status).toBe(403);
    expect((await api('/api/agent/inbound', plain, { accountId: 'SA1' })).status).toBe(200);
    // 2,500.00 USD: a collector alone may go down to 1,875.00 (25% off), a supervisor to 1,500.00 (40%).
    const view = (await (await api('/api/agent/accounts/SA1', plain)).json()) as { account: { limits: object } };
    expect(view.account.limits).toMatchObject({ collectorMinSettlement: 187_500, supervisorMinSettlement: 150_000 });
    const beyond = await api('/api/agent/accounts/SA1/settlement', plain, { amount: 150_000 });
    expect(beyond.status).toBe(403);
    expect(((await beyond.json()) as { detail: string }).detail).toContain('supervisors');
    const outside = await api('/api/agent/accounts/SA1/settlement', plain, { amount: 149_999 });
    expect(outside.status).toBe(422);
    expect(((await outside.json()) as { errors: { field: string }[] }).errors.map((e) => e.field)).toEqual(['amount']);
    expect((await api('/api/agent/accounts/SA1/settlement', plain, {})).status).toBe(422);
    expect((await api('/api/agent/accounts/SA1/settlement', plain, { amount: 187_500 })).status).toBe(202);
    const agreed = await waitFor('the settlement', async () => (await live.stack.store.getState('SA1'))?.settlement);
    expect(agreed).toMatchObject({ amount: 187_500, acceptedAt: expect.any(String) });
    // Dated when the collector recorded it, by the time the API put on the event, not when the intake applied it.
    const event = await live.stack.store.getClaim('SA1', `SETTLEMENT#${agreed.settlementId}#ACCEPTED`);
    expect(event?.agreedAt).toEqual(expect.stringMatching(/^2026-/));
    expect([agreed.offeredAt, agreed.acceptedAt]).toEqual([event?.agreedAt, event?.agreedAt]);
    // One settlement at a time.
    expect((await api('/api/agent/accounts/SA1/settlement', plain, { amount: 200_000 })).status).toBe(409);
    expect((await api('/api/agent/inbound', supervisor, { accountId: 'SA2' })).status).toBe(200);
    expect((await api('/api/agent/accounts/SA2/settlement', supervisor, { amount: 150_000 })).status).toBe(202);
    await waitFor("the supervisor's settlement", async () => (await live.stack.store.getState('SA2'))?.settlement);
    // The record says who agreed each, and as what.
    const accepted = async (accountId: string) =>
      (await live.stack.store.record(accountId, 'C1')).find((e) => e.kind === 'settlement-accepted');
    expect(await accepted('SA1')).toMatchObject({ amount: 187_500, agentId: 'agent-7', agentRole: 'collector' });
    expect(await accepted('SA2')).toMatchObject({ amount: 150_000, agentId: 'sup-1', agentRole: 'supervisor' });
  });

  it('rejects at the intake a settlement on the bus beyond the collector limit that no supervisor agreed', async () => {
    await putEvent(bank, 'bank.core', 'AccountDelinquent', delinquency('SA3'));
    await waitFor('SA3 opened', () => live.stack.store.getState('SA3'));
    // Any settlement id, 40% off: what a forged or replayed collector event would ask for.
    await putEvent(bank, 'collections.agent', 'SettlementAccepted', {
      accountId: 'SA3',
      settlementId: 'C1-ST9',
      amount: 150_000,
    });
    const letter = await waitFor('the dead letter', async () =>
      live.stack.outputs.deadLetters.find((d) => d.body.includes('C1-ST9')),
    );
    expect(letter.reason).toMatch(/^agentRole: 150000 is below 187500, .*no supervisor agreed it/);
    expect((await live.stack.store.getState('SA3'))?.settlement ?? null).toBeNull();
  });

  it('records which collector took a promise, a plan and a reason on the phone', async () => {
    await putEvent(bank, 'bank.core', 'AccountDelinquent', delinquency('AG1'));
    await waitFor('AG1 opened', () => live.stack.store.getState('AG1'));
    expect((await api('/api/agent/inbound', other, { accountId: 'AG1' })).status).toBe(200);
    expect((await api('/api/agent/accounts/AG1/reason', other, { reason: 'forgot' })).status).toBe(202);
    expect((await api('/api/agent/accounts/AG1/promise', other, { amount: 6_000, dueDate: '2026-03-09' })).status).toBe(
      202,
    );
    const record = await waitFor('the promise and the reason', async () => {
      const entries = await live.stack.store.record('AG1', 'C1');
      return entries.some((e) => e.kind === 'ptp-made') && entries.some((e) => e.kind === 'reason') && entries;
    });
    expect(record.filter((e) => e.kind === 'ptp-made' || e.kind === 'reason')).toEqual([
      expect.objectContaining({ agentId: 'agent-2' }),
      expect.objectContaining({ agentId: 'agent-2' }),
    ]);
  });

  it('holds a collector to the floor the desk shows, to the minor unit (§3.16)', async () => {
    await putEvent(bank, 'bank.core', 'AccountDelinquent', delinquency('SA4', { balance: 250_001 }));
    await waitFor('SA4 opened', () => live.stack.store.getState('SA4'));
    const plain = await live.issuer.issue('agent-8');
    expect((await api('/api/agent/inbound', plain, { accountId: 'SA4' })).status).toBe(200);
    // 2,500.01 USD less 25% is 1,875.0075: the floor shown is 1,875.01, and a cent below it is a supervisor's.
    const view = (await (await api('/api/agent/accounts/SA4', plain)).json()) as { account: { limits: object } };
    expect(view.account.limits).toMatchObject({ collectorMinSettlement: 187_501 });
    expect((await api('/api/agent/accounts/SA4/settlement', plain, { amount: 187_500 })).status).toBe(403);
    expect((await api('/api/agent/accounts/SA4/settlement', plain, { amount: 187_501 })).status).toBe(202);
    const agreed = await waitFor('the settlement', async () => (await live.stack.store.getState('SA4'))?.settlement);
    expect(agreed.amount).toBe(187_501);
  });
});
