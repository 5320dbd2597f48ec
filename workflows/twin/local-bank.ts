// The local bank of `npm run serve`: a stand-in for the bank's own systems, never part of the deployed product. Its
// one-page "payment" is where pay links lead (docs/contract.md §3.18): paying there posts `PaymentPosted` back, so a
// link followed from an email cures the account end to end. It also answers instalment debits (§3.17) with a
// `PaymentPosted`, or a `PaymentFailed` for a configurable share, so an autopay plan can be watched running.
import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { html } from 'hono/html';
import { formatMoney } from '../../functions/domain/money';
import type { OutboundEvent } from './outputs';

/** The path of the payment page; a pay URL template for it carries all four placeholders. */
export const BANK_PAY_PATH = '/pay';
export const bankPayUrl = (bankUrl: string): string =>
  `${bankUrl}${BANK_PAY_PATH}?account={accountId}&amount={amount}&currency={currency}&reference={reference}`;

/** An event from the bank (`bank.core`) for the collections bus, at a virtual moment. */
export type BankDelivery = (detailType: 'PaymentPosted' | 'PaymentFailed', detail: Record<string, unknown>) => void;

export interface LocalBankOptions {
  /** Share of debits the bank refuses (0..1): the same debit always gets the same answer. */
  debitFailureRate: number;
  /** The service's virtual time now. */
  now: () => Date;
  deliver: BankDelivery;
}

export interface LocalBank {
  url: string;
  /** Hear the workflow's events out: an InstalmentDebitRequested is answered. */
  onEventOut(event: OutboundEvent): void;
  /** Payments taken on the page so far. */
  readonly payments: number;
  close(): Promise<void>;
}

/** A stable draw in [0, 1) from a payment id: whether a debit fails does not depend on timing. */
const draw = (id: string): number => createHash('sha256').update(id).digest().readUInt32BE(0) / 2 ** 32;

const ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

const payPage = (q: { account: string; amount: number; currency: string; reference: string }, done: boolean) => html`
<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>Local bank: pay</title></head>
<body style="font-family:system-ui,sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem">
<main>
<h1>Local bank</h1>
<p><strong>A stand-in for the bank's own payment page</strong>, served by <code>npm run serve</code> only.</p>
${
  done
    ? html`<p role="status">Paid ${formatMoney({ amount: q.amount, currency: q.currency }, 'en-US')} on account
${q.account}. The payment is on its way to collections as <code>PaymentPosted</code>.</p>`
    : html`<p>Pay ${formatMoney({ amount: q.amount, currency: q.currency }, 'en-US')} on card account ${q.account}
(reference ${q.reference}).</p>
<form method="post">
<input type="hidden" name="account" value="${q.account}"><input type="hidden" name="amount" value="${q.amount}">
<input type="hidden" name="currency" value="${q.currency}"><input type="hidden" name="reference" value="${q.reference}">
<button type="submit">Pay</button>
</form>`
}
</main></body></html>`;

/** What a pay link carries, checked: an account id, a positive amount in minor units, a currency, a reference. */
const paymentOf = (fields: Record<string, string | undefined>) => {
  const amount = Number(fields.amount);
  const valid =
    ID.test(fields.account ?? '') &&
    Number.isSafeInteger(amount) &&
    amount > 0 &&
    /^[A-Z]{3}$/.test(fields.currency ?? '') &&
    /^[A-Za-z0-9_-]{1,64}$/.test(fields.reference ?? '');
  return valid ? { account: fields.account!, amount, currency: fields.currency!, reference: fields.reference! } : null;
};

export const startLocalBank = async ({ debitFailureRate, now, deliver }: LocalBankOptions): Promise<LocalBank> => {
  let payments = 0;
  const app = new Hono();
  app.get(BANK_PAY_PATH, (c) => {
    const payment = paymentOf(c.req.query());
    if (!payment) return c.text('This pay link is not valid: account, amount, currency and reference are needed.', 400);
    return c.html(payPage(payment, false));
  });
  app.post(BANK_PAY_PATH, async (c) => {
    const form = Object.fromEntries(Object.entries(await c.req.parseBody()).map(([k, v]) => [k, String(v)]));
    const payment = paymentOf(form);
    if (!payment) return c.text('This payment is not valid.', 400);
    payments += 1;
    deliver('PaymentPosted', {
      accountId: payment.account,
      // One payment per reference: paying the same link twice is the same payment (the intake applies it once).
      paymentId: `PAY-${payment.reference}`.slice(0, 64),
      amount: payment.amount,
      currency: payment.currency,
      postedAt: now().toISOString(),
    });
    return c.html(payPage(payment, true));
  });
  const server = await new Promise<ServerType>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
    s.once('error', reject);
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get payments() {
      return payments;
    },
    onEventOut(event) {
      if (event.detailType !== 'InstalmentDebitRequested') return;
      const d = event.detail as { accountId: string; paymentId: string; amount: number; currency: string };
      const failed = draw(d.paymentId) < debitFailureRate;
      const answer = { accountId: d.accountId, paymentId: d.paymentId, amount: d.amount, currency: d.currency };
      if (failed) deliver('PaymentFailed', { ...answer, reason: 'insufficient funds (local bank)' });
      else deliver('PaymentPosted', { ...answer, postedAt: now().toISOString() });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      }),
  };
};
