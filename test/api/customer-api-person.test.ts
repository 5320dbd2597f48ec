// The person through the customer's link (docs/contract.md §7, §11.1), against a real live stack: the link shows
// every open account of its person, each with its amount due, plan, promise, settlement and pay link, and its actions
// name the account they are for; it reaches no account of another person.
import { describe, expect, it } from 'vitest';
import { api, opened, post, stateOf, tokenFor, useCustomerStack } from '../support/customer-stack';
import { waitFor } from '../support/live';

useCustomerStack();

const customer = (customerId: string) => ({
  customerId,
  name: 'Ines Moreau',
  email: 'ines@example.com',
  phone: '+13125550144',
  locale: 'en-US',
  timezone: 'America/Chicago',
});

type View = {
  accountId: string;
  amountDue: number;
  payUrl: string | null;
  promise: { amount: number } | null;
  accounts: { accountId: string; amountDue: number; payUrl: string | null; promise: unknown; plan: unknown }[];
};

describe("a person's link", () => {
  it('shows every open account of the person, each with its figures and pay link, and no contact point', async () => {
    await opened('PL1', { amountDue: 12_000, customer: customer('CIF-PL') });
    await opened('PL2', { amountDue: 7_500, customer: customer('CIF-PL') });
    await opened('PLX', { amountDue: 5_000, customer: customer('CIF-OTHER') });
    const view = (await (await api(`/api/customer/${tokenFor('PL2')}`)).json()) as View;
    // The link's own account first and as before, for v3 clients; then the person's others.
    expect(view).toMatchObject({ accountId: 'PL2', amountDue: 7_500 });
    expect(view.accounts.map((a) => [a.accountId, a.amountDue])).toEqual([
      ['PL2', 7_500],
      ['PL1', 12_000],
    ]);
    for (const a of view.accounts) {
      expect(a.payUrl).toContain(`a=${a.accountId}&m=${a.amountDue}`);
      expect(a).toMatchObject({ promise: null, plan: null });
    }
    expect(JSON.stringify(view)).not.toMatch(/Ines|Moreau|@example\.com|\+1312/);
  });

  it("takes an action for another account of the person, naming it, and for no one else's", async () => {
    const token = tokenFor('PL2');
    const promised = await post(`/api/customer/${token}/promise`, {
      accountId: 'PL1',
      amount: 12_000,
      dueDate: '2026-03-06',
    });
    expect(promised.status).toBe(202);
    await waitFor('the promise on PL1', async () => (await stateOf('PL1'))?.promise);
    expect((await stateOf('PL2'))?.promise).toBeNull();
    const view = (await (await api(`/api/customer/${token}`)).json()) as View;
    expect(view.accounts.find((a) => a.accountId === 'PL1')?.promise).toMatchObject({ amount: 12_000 });

    const stranger = await post(`/api/customer/${token}/promise`, {
      accountId: 'PLX',
      amount: 5_000,
      dueDate: '2026-03-06',
    });
    expect(stranger.status).toBe(403);
    expect(((await stranger.json()) as { detail: string }).detail).toBe('This link does not reach account PLX.');
    const malformed = await post(`/api/customer/${token}/cease`, { accountId: '../PL1' });
    expect(malformed.status).toBe(422);
    expect((await stateOf('PLX'))?.promise).toBeNull();
  });

  it('shows the other account on the page, its forms naming it', async () => {
    const page = await (await api(`/c/${tokenFor('PL2')}`)).text();
    expect(page).toContain('Your card account PL1');
    expect(page).toContain('<input type="hidden" name="accountId" value="PL1">');
    expect(page).not.toContain('value="PLX"');
  });
});
