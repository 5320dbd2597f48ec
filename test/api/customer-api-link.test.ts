// The customer's side of the HTTP API (docs/contract.md §7) against a real live stack, through the link: the whole
// cycle from the bank's SDK to a closed cycle, links that reach only their own account, and the customer's actions.
// Actions must reach the account through the intake.
import { describe, expect, it } from 'vitest';
import { POLICY_PACKS } from '../../policies/built-in-packs';
import { signLinkToken } from '../../functions/adapters/hmac-customer-links';
import { api, bank, live, opened, post, stateOf, tokenFor, useCustomerStack } from '../support/customer-stack';
import { delinquency, inbox, linkIn, putEvent, waitFor } from '../support/live';
import { idContactedBy } from '../support/own-time';

// Accounts whose own time of day (docs/contract.md §10.5) comes in the first half hour, so their messages go at once.
const [E2E1, P2, ST1] = ['E2E1', 'P2', 'ST1'].map((id) =>
  idContactedBy(id, POLICY_PACKS['us-regf'], { hour: 8, minute: 30 }),
) as [string, string, string];

useCustomerStack();

describe(
  'a bank integrates with its own SDK: delinquency in, email with a link, promise through the link, ' +
    'payment in, cycle closed',
  () => {
    it('runs the whole cycle through the bus and the link', async () => {
      const put = await putEvent(bank, 'bank.core', 'AccountDelinquent', delinquency(E2E1));
      expect(put.FailedEntryCount).toBe(0);
      expect(put.Entries?.[0]?.EventId).toMatch(/^[0-9a-f-]{36}$/);

      const email = await waitFor('the first reminder', async () =>
        (await inbox(live)).find((e) => e.to === `${E2E1.toLowerCase()}@example.com`),
      );
      // §3.2 facts, §3.11 opt-out instruction and link.
      expect(email.text).toContain('120.00 USD');
      expect(email.text).toContain('To stop emails from us');
      // §3.18: the pay link, for the overdue amount, with the reference of this message's own link.
      expect(email.text).toMatch(
        new RegExp(`Pay now: https://pay\\.bank\\.example/pay\\?a=${E2E1}&m=12000&c=USD&r=[\\w-]{22}\n`),
      );
      const link = linkIn(email.text);
      expect(link.startsWith(`${live.addresses.apiUrl}/c/`)).toBe(true);
      const token = link.split('/c/')[1]!;

      const view = (await (await api(`/api/customer/${token}`)).json()) as Record<string, unknown>;
      expect(view).toMatchObject({
        accountId: E2E1,
        cycleId: 'C1',
        status: 'open',
        currency: 'USD',
        amountDue: 12_000,
        balance: 250_000,
        penaltyAprBps: 2999,
        channels: { email: 'allowed', sms: 'allowed', call: 'allowed' },
      });
      expect(view.daysPastDue).toBe(5); // 2026-02-25 → 2026-03-02 in Chicago
      expect(JSON.stringify(view)).not.toMatch(/Ana|Diaz|@example\.com|\+1312/);

      const promised = await post(`/api/customer/${token}/promise`, { amount: 12_000, dueDate: '2026-03-06' });
      expect(promised.status).toBe(202);
      expect(((await promised.json()) as { eventId: string }).eventId).toBeTruthy();
      const withPromise = await waitFor('the promise on the account', async () => (await stateOf(E2E1))?.promise);
      expect(withPromise).toMatchObject({ amount: 12_000, dueDate: '2026-03-06' });

      await putEvent(bank, 'bank.core', 'PaymentPosted', {
        accountId: E2E1,
        paymentId: 'PAY1',
        amount: 12_000,
        currency: 'USD',
        postedAt: live.clock
          .now()
          .toISOString()
          .replace(/\.\d{3}Z$/, 'Z'),
      });
      const closed = await waitFor('the cycle closed', async () => {
        const s = await stateOf(E2E1);
        return s?.status === 'closed' && s;
      });
      expect(closed.closeReason).toBe('cured');
      // Events out follow the write through the outbox (the stream), so they arrive just after it.
      const closedEvent = await waitFor('CycleClosed out', async () =>
        live.stack.outputs.eventsOut.find((e) => e.detailType === 'CycleClosed' && e.detail.accountId === E2E1),
      );
      expect(closedEvent.detail.reason).toBe('cured');
      const kept = live.stack.outputs.eventsOut.filter(
        (e) => e.detailType === 'PromiseKept' && e.detail.accountId === E2E1,
      );
      expect(kept).toHaveLength(1);

      // The cycle is over: the link still shows it, but nothing more can be done.
      expect(((await (await api(`/api/customer/${token}`)).json()) as { status: string }).status).toBe('closed');
      const late = await post(`/api/customer/${token}/promise`, { amount: 100, dueDate: '2026-03-09' });
      expect(late.status).toBe(409);
    });
  },
);

describe('links', () => {
  it('refuses a forged, a malformed and an expired link with 401 problem+json', async () => {
    await opened('L1');
    const good = tokenFor('L1');
    const otherKeysMac = signLinkToken(Buffer.alloc(32, 1), 'L1', 'C1', new Date('2026-04-30T00:00:00Z')).split('.')[1];
    const forged = `${good.split('.')[0]}.${otherKeysMac}`;
    const expired = tokenFor('L1', 'C1', new Date('2026-03-01T00:00:00Z'));
    expect((await api(`/api/customer/${good}`)).status).toBe(200);
    for (const [token, reason] of [
      [forged, 'signature'],
      ['not-a-token', 'malformed'],
      [expired, 'expired'],
    ] as const) {
      const response = await api(`/api/customer/${token}`);
      expect(response.status).toBe(401);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
      expect(((await response.json()) as { detail: string }).detail).toContain(reason);
    }
  });

  it('reaches only its own account and cycle', async () => {
    await opened('L2');
    await opened('L3');
    expect(((await (await api(`/api/customer/${tokenFor('L2')}`)).json()) as { accountId: string }).accountId).toBe(
      'L2',
    );
    // A link from an earlier cycle does not show the account's current one.
    const earlier = await api(`/api/customer/${tokenFor('L3', 'C0')}`);
    expect(earlier.status).toBe(403);
    expect((await api(`/api/customer/${tokenFor('NOPE')}`)).status).toBe(404);
  });
});

describe('customer actions', () => {
  it('names each bad field with 422', async () => {
    await opened('V1');
    const token = tokenFor('V1');
    const bad = await post(`/api/customer/${token}/promise`, { amount: '12.00', dueDate: '2026-02-30', extra: 1 });
    expect(bad.status).toBe(422);
    expect(((await bad.json()) as { errors: { field: string }[] }).errors.map((e) => e.field)).toEqual(['extra']);
    const invalid = await post(`/api/customer/${token}/promise`, { amount: '12.00', dueDate: '2026-02-30' });
    const fields = ((await invalid.json()) as { errors: { field: string; reason: string }[] }).errors;
    expect(fields.map((e) => e.field).sort()).toEqual(['amount', 'dueDate']);
    expect(fields.find((e) => e.field === 'amount')?.reason).toContain('minor units');
    expect((await post(`/api/customer/${token}/promise`, 'not json')).status).toBe(422);
    expect((await post(`/api/customer/${token}/opt-out`, { channel: 'fax' })).status).toBe(422);
    expect((await post(`/api/customer/${token}/dispute`, { reason: '' })).status).toBe(422);
    expect((await post(`/api/customer/${token}/wave`, {})).status).toBe(404);
  });

  it(
    "applies the intake's own rules before answering: a promise dated before the customer's today is a 422 " +
      'naming the field',
    async () => {
      await opened('V2');
      const past = await post(`/api/customer/${tokenFor('V2')}/promise`, { amount: 5_000, dueDate: '2026-02-20' });
      expect(past.status).toBe(422);
      const { errors } = (await past.json()) as { errors: { field: string; reason: string }[] };
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatchObject({
        field: 'dueDate',
        reason: expect.stringMatching(/^2026-02-20 is before today \(2026-03-0\d\) in the customer's time zone$/),
      });
    },
  );

  it("bounds a promise by the balance and the pack's promise rule: 422 naming the field at the API", async () => {
    await opened('PB1');
    const token = tokenFor('PB1');
    const promise = async (amount: number, dueDate: string) => {
      const res = await post(`/api/customer/${token}/promise`, { amount, dueDate });
      return { status: res.status, errors: ((await res.json()) as { errors?: { field: string }[] }).errors ?? [] };
    };
    // The balance is 250,000; the overdue amount 12,000, of which us-regf wants 10% at least; 30 days at most.
    expect(await promise(1e12, '2026-03-09')).toEqual({
      status: 422,
      errors: [expect.objectContaining({ field: 'amount' })],
    });
    expect(await promise(1, '2026-03-09')).toEqual({
      status: 422,
      errors: [expect.objectContaining({ field: 'amount' })],
    });
    expect(await promise(1_200, '2026-08-01')).toEqual({
      status: 422,
      errors: [expect.objectContaining({ field: 'dueDate' })],
    });
    const view = (await (await api(`/api/customer/${token}`)).json()) as { promiseAmounts: object };
    expect(view.promiseAmounts).toEqual({ least: 1_200, most: 250_000 });
    expect((await post(`/api/customer/${token}/promise`, { amount: 1_200, dueDate: '2026-03-09' })).status).toBe(202);
  });

  it('rejects a promise on the bus above what is owed, with the reason in the dead-letter queue', async () => {
    await opened('PB2');
    await putEvent(bank, 'collections.customer', 'PromiseToPayMade', {
      accountId: 'PB2',
      promiseId: 'PB2-BIG',
      amount: 1e12,
      dueDate: '2026-03-09',
    });
    const letter = await waitFor('the dead letter', async () =>
      live.stack.outputs.deadLetters.find((d) => d.body.includes('PB2-BIG')),
    );
    expect(letter.reason).toContain('amount: 1000000000000 is more than the balance owed, 250000');
    expect((await stateOf('PB2'))?.promise).toBeNull();
  });

  it('refuses a plan that is not on offer with 409', async () => {
    await opened('P1');
    const response = await post(`/api/customer/${tokenFor('P1')}/plan`, { planId: 'C1-PL1', instalments: 6 });
    expect(response.status).toBe(409);
    expect(((await response.json()) as { detail: string }).detail).toContain('No plan has been offered');
  });

  it('accepts the plan on offer at a length the pack allows, and only that', async () => {
    // Hardship: the strategy offers a plan at 5 days past due, which this account already is.
    await opened(P2, { flags: { hardship: true } });
    const token = tokenFor(P2);
    const view = await waitFor('the offer', async () => {
      const v = (await (await api(`/api/customer/${token}`)).json()) as {
        offers: { planId: string; terms: { instalments: number; monthlyAmount: number }[] }[];
        maxInstalments: number;
      };
      return v.offers.length > 0 && v;
    });
    const [offer] = view.offers;
    expect(offer!.terms.every((t) => t.instalments <= 12 && t.monthlyAmount > 0)).toBe(true);
    const tooLong = await post(`/api/customer/${token}/plan`, { planId: offer!.planId, instalments: 24 });
    expect(tooLong.status).toBe(422);
    expect(((await tooLong.json()) as { errors: { field: string; reason: string }[] }).errors).toEqual([
      { field: 'instalments', reason: 'expected 2 to 12 under us-regf, got 24' },
    ]);
    expect((await post(`/api/customer/${token}/plan`, { planId: 'C1-PL9', instalments: 6 })).status).toBe(409);
    const accepted = await post(`/api/customer/${token}/plan`, {
      planId: offer!.planId,
      instalments: 6,
      autopay: true,
    });
    expect(accepted.status).toBe(202);
    const plan = await waitFor('the plan', async () => (await stateOf(P2))?.plan);
    // Autopay (docs/contract.md §3.17): the bank debits each instalment on its due date.
    expect(plan).toMatchObject({ planId: offer!.planId, autopay: true });
    expect(plan.instalments).toHaveLength(6);
  });

  it('offers a settlement at 120 days past due, takes the one on offer once, and nothing else (§3.16)', async () => {
    // 2025-11-01 is 121 days before 2026-03-02 in Chicago: past us-regf's settlement.fromDpd.
    await opened(ST1, { dueDate: '2025-11-01' });
    const token = tokenFor(ST1);
    type View = { settlement: { settlementId: string; amount: number; validUntil: string } | null; payUrl: string };
    const view = await waitFor('the settlement on the view', async () => {
      const v = (await (await api(`/api/customer/${token}`)).json()) as View;
      return v.settlement && v;
    });
    // 2,500.00 USD less 40%, valid 14 days from the day it was made.
    expect(view.settlement).toEqual({ settlementId: 'C1-ST1', amount: 150_000, validUntil: '2026-03-16' });
    expect(view.payUrl).toContain('m=150000&');
    const other = await post(`/api/customer/${token}/settlement`, { settlementId: 'C1-ST9' });
    expect(other.status).toBe(409);
    const wrongType = await post(`/api/customer/${token}/settlement`, { settlementId: 7 });
    expect(wrongType.status).toBe(422);
    expect(((await wrongType.json()) as { errors: { field: string }[] }).errors[0]!.field).toBe('settlementId');
    expect((await post(`/api/customer/${token}/settlement`, { settlementId: 'C1-ST1' })).status).toBe(202);
    await waitFor('the acceptance', async () => (await stateOf(ST1))?.settlement?.acceptedAt);
    const again = await post(`/api/customer/${token}/settlement`, { settlementId: 'C1-ST1' });
    expect(again.status).toBe(409);
    expect(((await again.json()) as { detail: string }).detail).toContain('accepted already');
  });

  it('opts out of a channel, raises a dispute and ceases communication through the intake', async () => {
    await opened('O1');
    const token = tokenFor('O1');
    expect((await post(`/api/customer/${token}/opt-out`, { channel: 'sms' })).status).toBe(202);
    await waitFor(
      'the opt-out',
      async () =>
        ((await api(`/api/customer/${token}`).then((r) => r.json())) as { channels: { sms: string } }).channels.sms ===
        'opted-out',
    );
    expect((await post(`/api/customer/${token}/dispute`, { reason: 'I never had this card' })).status).toBe(202);
    await waitFor('the dispute', async () => (await stateOf('O1'))?.openDisputes.length === 1);
    expect((await post(`/api/customer/${token}/cease`, {})).status).toBe(202);
    await waitFor('the cease', async () => (await stateOf('O1'))?.ceased);
  });

  it('takes why the payment is late, shows it, names a reason outside the list (docs/contract.md §10.6)', async () => {
    await opened('W1');
    const token = tokenFor('W1');
    const before = (await api(`/api/customer/${token}`).then((r) => r.json())) as Record<string, unknown>;
    expect(before).toMatchObject({ reason: null, settlement: null, payNow: 12_000 });
    expect(before.payUrl).toMatch(/^https:\/\/pay\.bank\.example\/pay\?a=W1&m=12000&c=USD&r=[\w-]{22}$/);
    const bad = await post(`/api/customer/${token}/reason`, { reason: 'busy', note: 'x'.repeat(501) });
    expect(bad.status).toBe(422);
    expect(((await bad.json()) as { errors: { field: string }[] }).errors.map((e) => e.field).sort()).toEqual([
      'note',
      'reason',
    ]);
    expect((await post(`/api/customer/${token}/reason`, { reason: 'illness', note: 'in hospital' })).status).toBe(202);
    await waitFor(
      'the reason on the view',
      async () =>
        ((await api(`/api/customer/${token}`).then((r) => r.json())) as { reason: string }).reason === 'illness',
    );
    // The page's form, without JavaScript, with no note.
    const form = await api(`/c/${token}/reason`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'reason=forgot&note=&lang=en-US',
      redirect: 'manual',
    });
    expect(form.status).toBe(303);
    await waitFor('the second reason', async () => (await stateOf('W1'))?.reason?.reason === 'forgot');
  });
});
