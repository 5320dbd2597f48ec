// The person at the desk (docs/contract.md §7, §11.1) against a real live stack: a person's cards that want a call are
// on one task, which the queue lists with all its accounts; a claim shows the person with all their open accounts and
// gives access to each; one outcome is recorded on every card; an inbound call on their shared phone opens them all.
import { describe, expect, it } from 'vitest';
import { POLICY_PACKS } from '../../policies/built-in-packs';
import { api, bank, collector, live, other, useAgentStack, type Queue } from '../support/agent-stack';
import { delinquency, putEvent, waitFor } from '../support/live';
import { idContactedBy } from '../support/own-time';

// Accounts whose own time of day (docs/contract.md §10.5) has come by 09:00, so their calls are wanted at once.
const soon = (prefix: string) => idContactedBy(prefix, POLICY_PACKS['us-regf'], { hour: 9 });
const [P1, P2, P3, S1, S2] = [soon('PA'), soon('PB'), soon('PC'), soon('SA'), soon('SB')] as const;
const STRANGER = idContactedBy('PX', POLICY_PACKS['us-regf'], { hour: 9 });

/** A card of the person `customerId`, all on one phone. */
const card = (accountId: string, customerId: string, phone: string, amountDue: number) =>
  delinquency(accountId, {
    amountDue,
    customer: { customerId, name: 'Rui Costa', phone, locale: 'en-US', timezone: 'America/Chicago' },
  });

type Claimed = {
  taskId: string;
  accountIds: string[];
  account: { accountId: string; name: string; phone: string };
  accounts: { accountId: string; amountDue: number; script: string | null; name?: string }[];
};

/** Opens the person's cards and waits until every one of them is on one call task in the queue. */
const personTask = async (ids: string[], customerId: string, phone: string) => {
  for (const [i, id] of ids.entries())
    await putEvent(bank, 'bank.core', 'AccountDelinquent', card(id, customerId, phone, 10_000 + i * 1000));
  return waitFor(
    `one task for ${ids.join(', ')}`,
    async () =>
      ((await (await api('/api/agent/queue', collector)).json()) as Queue).tasks.find(
        (t) => (t as { accountIds?: string[] }).accountIds?.length === ids.length && ids.includes(t.accountId),
      ) as (Queue['tasks'][number] & { accountIds: string[] }) | undefined,
  );
};

useAgentStack();

describe("a person's cards at the desk", () => {
  it('are one task in the queue, whose claim shows the person with every open card and opens them all', async () => {
    await putEvent(bank, 'bank.core', 'AccountDelinquent', card(STRANGER, 'CIF-STRANGER', '+13125550199', 5000));
    const task = await personTask([P1, P2, P3], 'CIF-P', '+13125550177');
    expect([...task.accountIds].sort()).toEqual([P1, P2, P3].sort());
    expect(task.accountId).toBe(task.accountIds[0]);
    const queue = JSON.stringify(await (await api('/api/agent/queue', collector)).json());
    expect(queue).not.toMatch(/Rui|Costa|\+1312555017/);

    // Before the claim: figures only, on every card.
    const before = (await (await api(`/api/agent/accounts/${P2}`, collector)).json()) as Claimed;
    expect(before.account.name).toBeUndefined();
    expect(
      (await api(`/api/agent/accounts/${P3}/promise`, collector, { amount: 5000, dueDate: '2026-03-10' })).status,
    ).toBe(403);

    const response = await api(`/api/agent/tasks/${task.taskId}/claim`, collector, {});
    expect(response.status).toBe(200);
    const claimed = (await response.json()) as Claimed;
    expect(claimed.accountIds).toEqual(task.accountIds);
    expect(claimed.account).toMatchObject({ accountId: task.accountIds[0], name: 'Rui Costa', phone: '+13125550177' });
    expect(claimed.accounts.map((a) => [a.accountId, a.amountDue])).toEqual(
      expect.arrayContaining([
        [P1, 10_000],
        [P2, 11_000],
        [P3, 12_000],
      ]),
    );
    expect(claimed.accounts).toHaveLength(3);
    // Each card on the call has its own script: the §3.2 facts of that debt. No card shows another's contact points.
    for (const a of claimed.accounts) expect(a.script).toMatch(/past due/);
    expect(claimed.accounts.every((a) => a.name === undefined)).toBe(true);

    // Access to one card of the person is access to all; the stranger's stays closed, to this and to another collector.
    for (const id of [P1, P2, P3]) {
      const view = (await (await api(`/api/agent/accounts/${id}`, collector)).json()) as Claimed;
      expect(view.account).toMatchObject({ accountId: id, name: 'Rui Costa' });
    }
    expect(((await (await api(`/api/agent/accounts/${STRANGER}`, collector)).json()) as Claimed).account.name).toBe(
      undefined,
    );
    expect(((await (await api(`/api/agent/accounts/${P2}`, other)).json()) as Claimed).account.name).toBeUndefined();
    // Actions name the card they are for.
    const promised = await api(`/api/agent/accounts/${P3}/promise`, collector, { amount: 5000, dueDate: '2026-03-10' });
    expect(promised.status).toBe(202);
    await waitFor('the promise on the third card', async () => (await live.stack.store.getState(P3))?.promise);
    expect((await live.stack.store.getState(P1))?.promise).toBeNull();
  });

  it('records one outcome on every card of the task, as a call naming them all', async () => {
    const task = await personTask([S1, S2], 'CIF-S', '+13125550155');
    expect((await api(`/api/agent/tasks/${task.taskId}/claim`, other, {})).status).toBe(200);
    expect((await api(`/api/agent/tasks/${task.taskId}/outcome`, other, { outcome: 'right-party' })).status).toBe(202);
    for (const id of [S1, S2]) {
      const call = await waitFor(`the call on ${id}`, async () =>
        (await live.stack.store.record(id, 'C1')).find((e) => e.kind === 'contact' && e.channel === 'call'),
      );
      expect(call).toMatchObject({ accountIds: [S1, S2].sort() });
      const state = (await live.stack.store.getState(id))!;
      expect(state.callTask).toBeNull();
      expect(state.history.lastRightPartyAt).not.toBeNull();
    }
    const queue = ((await (await api('/api/agent/queue', collector)).json()) as Queue).tasks;
    expect(queue.find((t) => t.taskId === task.taskId)).toBeUndefined();
  });

  it('opens the person on an inbound call from the phone their cards share, not a 409', async () => {
    const response = await api('/api/agent/inbound', other, { callerNumber: '+13125550177' });
    expect(response.status).toBe(200);
    const call = (await response.json()) as Claimed;
    expect(call.account.name).toBe('Rui Costa');
    expect(call.accounts.map((a) => a.accountId).sort()).toEqual([P1, P2, P3].sort());
  });
});
