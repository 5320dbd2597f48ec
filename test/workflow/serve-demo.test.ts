// `npm run serve --demo`: the service runs the weeks before launch at full speed, so a collector who opens the desk
// at launch finds calls to make, and the accounts stand where the demo says: a promise due today, a plan running,
// one with the agency.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POLICY_PACKS } from '../../policies/built-in-packs';
import { localParts } from '../../functions/domain/zoned-time';
import { demoPortfolio, demoStart } from '../../workflows/tools/cli/demo-portfolio';
import { LiveStack } from '../../workflows/twin/live-stack';
import { dynamoEndpoint } from '../support/dynamo';
import { inbox, waitFor } from '../support/live';

// 07:30 UTC: night on the American mainland, evening in China, morning in London.
const start = new Date('2026-12-03T07:30:00Z');
let live: LiveStack;

beforeAll(async () => {
  live = await LiveStack.start({
    pack: POLICY_PACKS['us-regf'],
    port: 0,
    speed: 60,
    demo: demoStart({ accounts: 20, country: 'US', seed: 1 }),
    start,
    dynamoEndpoint: await dynamoEndpoint(),
    // As `npm run serve` does by default: pay links lead to the local bank's page (docs/contract.md §3.18).
    payUrl: 'local-bank',
  });
});
afterAll(async () => live?.stop());

describe('the serve demo', () => {
  it('has callable tasks on the desk at launch', async () => {
    // The virtual clock starts at launch, after the weeks before it ran at full speed.
    expect(live.clock.now().getTime() - start.getTime()).toBeGreaterThanOrEqual(0);
    expect(live.clock.now().getTime() - start.getTime()).toBeLessThan(30 * 60_000);
    const { token } = live.addresses.agents[0]!;
    const response = await fetch(`${live.addresses.apiUrl}/api/agent/queue`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const { tasks } = (await response.json()) as { tasks: { accountId: string; customerLocalTime: string }[] };
    expect(tasks.length).toBeGreaterThan(0);
    for (const task of tasks) expect(Number(task.customerLocalTime.slice(0, 2))).toBeGreaterThanOrEqual(8);
  });

  it('starts its accounts where their stages say', async () => {
    const demo = demoPortfolio({ accounts: 20, country: 'US', start, seed: 1 });
    const stateOf = async (stage: string) => {
      const account = demo.find((a) => a.stage === stage)!;
      return { account, state: (await live.stack.store.getState(account.event.detail.accountId))! };
    };
    const promised = await stateOf('a promise falling due today');
    expect(promised.state.promise?.dueDate).toBe(
      localParts(start, promised.account.event.detail.customer.timezone).date,
    );
    expect((await stateOf('on a plan')).state.plan?.instalments.length).toBeGreaterThan(1);
    expect((await stateOf('with the agency')).state.placement?.agency).toBeTruthy();
    const b3 = (await stateOf('B3, a call due')).state;
    expect(b3.escalationLevel).toBeGreaterThanOrEqual(1);
    expect(b3.history.lastReminderAt).not.toBeNull();
  });

  it("gives a person's cards one call: a collector claims one, sees all, records one outcome on each", async () => {
    const { token } = live.addresses.agents[1]!;
    const api = async (path: string, body?: unknown) =>
      fetch(`${live.addresses.apiUrl}${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    type Task = { taskId: string; accountId: string; accountIds: string[] };
    // The demo's people hold two cards each: their calls of the day are one task, listing both.
    const task = await waitFor('a task for a person with two cards', async () =>
      ((await (await api('/api/agent/queue')).json()) as { tasks: Task[] }).tasks.find((t) => t.accountIds.length > 1),
    );
    expect(task.accountIds[0]).toBe(task.accountId);
    const claim = await api(`/api/agent/tasks/${task.taskId}/claim`, {});
    expect(claim.status).toBe(200);
    const claimed = (await claim.json()) as {
      account: { accountId: string; name: string };
      accounts: { accountId: string; amountDue: number; promise: unknown; plan: unknown; settlement: unknown }[];
    };
    // One card claimed, every open card of the person shown, with its figures; the name is the person's.
    expect(task.accountIds).toContain(claimed.account.accountId);
    expect(claimed.accounts.map((a) => a.accountId).sort()).toEqual([...task.accountIds].sort());
    for (const a of claimed.accounts) expect(a.amountDue).toBeGreaterThan(0);
    expect((await api(`/api/agent/tasks/${task.taskId}/outcome`, { outcome: 'voicemail' })).status).toBe(202);
    for (const accountId of task.accountIds) {
      const call = await waitFor(`the call on ${accountId}'s record`, async () => {
        const { timeline } = (await (await api(`/api/agent/accounts/${accountId}`)).json()) as {
          timeline: { kind: string; channel?: string; accountIds?: string[] }[];
        };
        return timeline.find((e) => e.kind === 'contact' && e.channel === 'call' && e.accountIds);
      });
      expect([...call.accountIds!].sort()).toEqual([...task.accountIds].sort());
    }
  });

  it('takes a customer from the pay link in an email to the local bank, and the payment cures it', async () => {
    const payLink = /Pay now: (http:\/\/127\.0\.0\.1:\d+\/pay\?\S+)/;
    // A reminder with a pay link for the overdue amount, to an account nothing has been paid on.
    const candidates = (await inbox(live)).flatMap((e) => {
      const link = payLink.exec(e.text)?.[1];
      return link && e.subject === 'Payment reminder' ? [new URL(link)] : [];
    });
    let chosen: URL | undefined;
    for (const link of candidates) {
      const state = await live.stack.store.getState(link.searchParams.get('account')!);
      if (state?.status === 'open' && !state.plan && !state.promise && state.collected === 0) chosen ??= link;
    }
    expect(chosen?.origin).toBe(live.addresses.bankUrl);
    const accountId = chosen!.searchParams.get('account')!;
    expect(Number(chosen!.searchParams.get('amount'))).toBe((await live.stack.store.getState(accountId))!.amountDue);
    const page = await fetch(chosen!);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("A stand-in for the bank's own payment page");
    const paid = await fetch(chosen!, { method: 'POST', body: new URLSearchParams([...chosen!.searchParams]) });
    expect(await paid.text()).toContain('PaymentPosted');
    const state = await waitFor('the account cured', async () => {
      const s = await live.stack.store.getState(accountId);
      return s?.status === 'closed' && s;
    });
    expect(state.closeReason).toBe('cured');
  });
});
