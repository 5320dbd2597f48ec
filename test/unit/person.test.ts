import { describe, expect, it } from 'vitest';
import {
  bankFlagsOf,
  contactKindOf,
  inheritFacts,
  noPerson,
  personIdOf,
  withFact,
} from '../../functions/domain/person';
import { parseAddressed } from '../../functions/domain/person-events';
import { anAccount } from '../support/fixtures';

describe('the person behind an account', () => {
  it('is the customer number, or the account itself when the bank sent none', () => {
    expect(personIdOf(anAccount({ accountId: 'A1', customerId: 'CIF-1' }))).toBe('CIF-1');
    expect(personIdOf(anAccount({ accountId: 'A1' }))).toBe('A1');
  });

  it('keeps each fact once', () => {
    const person = [
      { kind: 'opt-out', channel: 'sms' },
      { kind: 'cease' },
      { kind: 'opt-out', channel: 'email' },
      { kind: 'opt-out', channel: 'sms' },
    ].reduce((p, fact) => withFact(p, fact as never), noPerson('CIF-1'));
    expect(person).toMatchObject({ ceased: true, optOuts: ['email', 'sms'], bankrupt: false });
  });

  it('hands a newly opened account its cease and opt-outs, recorded, and its bankruptcy', () => {
    const person = { ...noPerson('CIF-1'), ceased: true, optOuts: ['sms' as const], bankrupt: true };
    const inherited = inheritFacts(anAccount({ optOuts: ['email'] }), person, '2026-03-05T16:00:00.000Z');
    expect(inherited.state).toMatchObject({
      ceased: true,
      optOuts: ['email', 'sms'],
      flags: { bankrupt: true, deceased: false },
    });
    expect(inherited.entries).toEqual([
      { kind: 'cease', at: '2026-03-05T16:00:00.000Z' },
      { kind: 'opt-out', at: '2026-03-05T16:00:00.000Z', channel: 'sms' },
      { kind: 'flag-inherited', at: '2026-03-05T16:00:00.000Z', flag: 'bankrupt', customerId: 'CIF-1' },
    ]);
  });

  it("leaves the person's bankruptcy or death to a flag the bank set on the account itself, true or false", () => {
    const person = { ...noPerson('CIF-1'), bankrupt: true, deceased: true };
    const inherited = inheritFacts(anAccount(), person, '2026-03-05T16:00:00.000Z', { bankrupt: false });
    expect(inherited.state.flags).toMatchObject({ bankrupt: false, deceased: true });
    expect(inherited.entries).toEqual([
      { kind: 'flag-inherited', at: '2026-03-05T16:00:00.000Z', flag: 'deceased', customerId: 'CIF-1' },
    ]);
  });

  it('reads the stopping flags the bank sent in an event, and only those', () => {
    const update = (flags: Record<string, boolean>) =>
      ({ detailType: 'AccountUpdated', detail: { accountId: 'A1', flags } }) as const;
    expect(bankFlagsOf(update({ bankrupt: false, hardship: true }))).toEqual({ bankrupt: false });
    expect(bankFlagsOf({ detailType: 'CeaseCommunication', detail: { accountId: 'A1' } })).toEqual({});
  });

  it('hands nothing to an account of a person with nothing to hold', () => {
    const account = anAccount();
    expect(inheritFacts(account, noPerson('CIF-1'), '2026-03-05T16:00:00.000Z')).toEqual({
      state: account,
      entries: [],
    });
  });

  it('counts calls and messages apart', () => {
    expect([contactKindOf('call'), contactKindOf('email'), contactKindOf('sms')]).toEqual([
      'calls',
      'messages',
      'messages',
    ]);
  });
});

describe('events naming the person', () => {
  const payment = { paymentId: 'P1', amount: 10_000, currency: 'USD', postedAt: '2026-03-20T17:00:00Z' };

  it('take customerId in place of accountId', () => {
    const parsed = parseAddressed('bank.core', 'PaymentPosted', { customerId: 'CIF-1', ...payment });
    expect(parsed).toEqual({
      ok: true,
      person: { detailType: 'PaymentPosted', detail: { customerId: 'CIF-1', ...payment }, source: 'bank.core' },
    });
    expect(parseAddressed('collections.customer', 'CeaseCommunication', { customerId: 'CIF-1' }).ok).toBe(true);
    expect(parseAddressed('collections.customer', 'ChannelOptOut', { customerId: 'CIF-1', channel: 'sms' }).ok).toBe(
      true,
    );
  });

  it('name exactly one of accountId and customerId', () => {
    expect(parseAddressed('collections.customer', 'CeaseCommunication', { accountId: 'A1', customerId: 'C1' })).toEqual(
      {
        ok: false,
        reason: 'customerId: name accountId or customerId, not both',
        issues: [{ field: 'customerId', reason: 'name accountId or customerId, not both' }],
      },
    );
    expect(parseAddressed('collections.customer', 'CeaseCommunication', {})).toMatchObject({
      ok: false,
      reason: 'accountId: expected accountId or customerId (exactly one)',
    });
  });

  it('refuse a customerId that breaks the id pattern, and a split on a payment naming an account', () => {
    expect(parseAddressed('collections.customer', 'CeaseCommunication', { customerId: 'bad id' })).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^customerId: /),
    });
    const split = { accountId: 'A1', ...payment, allocation: [{ accountId: 'A1', amount: 10_000 }] };
    expect(parseAddressed('bank.core', 'PaymentPosted', split)).toMatchObject({
      ok: false,
      reason: 'allocation: only a payment naming customerId is split across accounts',
    });
  });

  it('refuse an allocation that is not a list of parts, naming the field', () => {
    const bad = { customerId: 'CIF-1', ...payment, allocation: [{ accountId: 'A1', amount: 12.5 }] };
    expect(parseAddressed('bank.core', 'PaymentPosted', bad)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^allocation\.0\.amount: /),
    });
  });

  it('come from the source their type names', () => {
    expect(parseAddressed('collections.agent', 'PaymentPosted', { customerId: 'CIF-1', ...payment })).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^source: /),
    });
  });

  it('leave every other event to the usual validation', () => {
    expect(parseAddressed('collections.customer', 'PromiseToPayMade', { customerId: 'CIF-1' })).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^accountId: /),
    });
  });
});
