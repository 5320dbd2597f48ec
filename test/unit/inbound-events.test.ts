import { describe, expect, it } from 'vitest';
import { eventKey, parseInbound } from '../../functions/domain/inbound-events';
import { delinquent } from '../support/fixtures';

const payment = { accountId: 'A3', paymentId: 'P3', amount: 1000, currency: 'USD', postedAt: '2026-01-06T15:00:00Z' };

describe('inbound event validation', () => {
  it('accepts a well-formed event and keeps the source it came from', () => {
    const parsed = parseInbound('bank.core', 'PaymentPosted', payment);
    expect(parsed).toEqual({ ok: true, event: { detailType: 'PaymentPosted', detail: payment, source: 'bank.core' } });
  });

  it('rejects a decimal-string amount, naming the field', () => {
    expect(parseInbound('bank.core', 'PaymentPosted', { ...payment, amount: '120.00' })).toEqual({
      ok: false,
      reason: 'amount: expected integer > 0 (minor units), got string "120.00"',
      issues: [{ field: 'amount', reason: 'expected integer > 0 (minor units), got string "120.00"' }],
    });
  });

  it('rejects a float amount', () => {
    const parsed = parseInbound('bank.core', 'PaymentPosted', { ...payment, amount: 12.5 });
    expect(parsed.ok || parsed.reason).toBe('amount: expected integer > 0 (minor units), got number 12.5');
  });

  it("takes a promise or a plan from a collector on the customer's behalf, but no payment", () => {
    expect(
      parseInbound('collections.agent', 'PromiseToPayMade', {
        accountId: 'A1',
        promiseId: 'P1',
        amount: 100,
        dueDate: '2026-03-09',
      }).ok,
    ).toBe(true);
    expect(
      parseInbound('collections.agent', 'PlanAccepted', { accountId: 'A1', planId: 'PL1', instalments: 6 }).ok,
    ).toBe(true);
    expect(parseInbound('collections.agent', 'PaymentPosted', payment).ok).toBe(false);
  });

  it('rejects an event from the wrong source', () => {
    const parsed = parseInbound('collections.customer', 'PaymentPosted', payment);
    expect(parsed.ok || parsed.reason).toBe(
      'source: PaymentPosted must come from bank.core, got "collections.customer"',
    );
  });

  it('rejects an unknown detail-type', () => {
    const parsed = parseInbound('bank.core', 'AccountClosed', {});
    expect(parsed.ok || parsed.reason).toMatch(
      /^detail-type: unknown "AccountClosed"; expected one of AccountDelinquent/,
    );
  });

  it('names nested customer fields and lists every problem', () => {
    const { detail } = delinquent({
      customer: { name: 'X', locale: 'fr-FR' as never, timezone: 'Mars/Base', phone: '555' },
    });
    const parsed = parseInbound('bank.core', 'AccountDelinquent', detail);
    expect(parsed.ok || parsed.reason).toBe(
      'customer.phone: expected an E.164 phone number like +13125550100; customer.locale: expected one of ' +
        'en-US, zh-CN; customer.timezone: expected an IANA time zone like America/Chicago',
    );
  });

  it('takes an ISO 3166-2 region for the customer, and names a bad one', () => {
    const ok = parseInbound(
      'bank.core',
      'AccountDelinquent',
      delinquent({ customer: { ...delinquent().detail.customer, region: 'US-MA' } }).detail,
    );
    expect(ok.ok && ok.event.detailType === 'AccountDelinquent' && ok.event.detail.customer.region).toBe('US-MA');
    const bad = parseInbound(
      'bank.core',
      'AccountDelinquent',
      delinquent({ customer: { ...delinquent().detail.customer, region: 'Massachusetts' } }).detail,
    );
    expect(bad.ok || bad.reason).toBe('customer.region: expected an ISO 3166-2 subdivision like US-MA');
  });

  it('rejects an amount due larger than the balance it is part of, naming the field and both amounts', () => {
    const parsed = parseInbound('bank.core', 'AccountDelinquent', delinquent({ balance: 100, amountDue: 200 }).detail);
    expect(parsed.ok || parsed.issues).toEqual([{ field: 'amountDue', reason: '200 is more than the balance 100' }]);
    expect(parseInbound('bank.core', 'AccountDelinquent', delinquent({ balance: 200, amountDue: 200 }).detail).ok).toBe(
      true,
    );
  });

  it('rejects instants that name no real moment: 31 February, hour 24, year 0000', () => {
    for (const postedAt of [
      '2026-02-31T10:00:00Z',
      '2026-02-28T24:00:00Z',
      '0000-01-01T00:00:00Z',
      '2026-01-06T15:60Z',
    ]) {
      const parsed = parseInbound('bank.core', 'PaymentPosted', { ...payment, postedAt });
      expect(parsed.ok || parsed.issues, postedAt).toEqual([
        { field: 'postedAt', reason: 'expected an ISO 8601 UTC instant like 2026-03-02T14:05:00Z' },
      ]);
    }
    expect(parseInbound('bank.core', 'PaymentPosted', { ...payment, postedAt: '2028-02-29T23:59:59.999Z' }).ok).toBe(
      true,
    );
  });

  it('rejects impossible dates and bad ids', () => {
    const parsed = parseInbound('collections.customer', 'PromiseToPayMade', {
      accountId: 'A 1',
      promiseId: 'PR1',
      amount: 100,
      dueDate: '2026-02-30',
    });
    expect(parsed.ok || parsed.reason).toBe(
      'accountId: expected 1–64 letters, digits, _ or -, starting with a letter or digit; dueDate: expected a ' +
        'real date YYYY-MM-DD',
    );
  });

  it('keys idempotent events by their id', () => {
    expect(eventKey({ detailType: 'PaymentPosted', detail: payment })).toBe('PAYMENT#P3');
    expect(eventKey({ detailType: 'CeaseCommunication', detail: { accountId: 'A3' } })).toBeNull();
  });
});
