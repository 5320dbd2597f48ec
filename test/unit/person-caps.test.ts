import { describe, expect, it } from 'vitest';
import { decideContact } from '../../functions/domain/contact-policy';
import { contactSlot, personCapReached } from '../../functions/domain/person-caps';
import { parsePolicyPack } from '../../functions/domain/policy-packs';
import { POLICY_PACKS } from '../../policies/built-in-packs';
import { anAccount, at } from '../support/fixtures';

const us = POLICY_PACKS['us-regf'];
const cn = POLICY_PACKS.cn;
const chicago = (over: Parameters<typeof anAccount>[0] = {}) => anAccount({ timezone: 'America/Chicago', ...over });
// 2026-01-06 10:00 in Chicago.
const now = at('2026-01-06T16:00:00Z');

describe("the person's caps, as the account sees them", () => {
  it('blocks a third message of the day under us-regf (2 messages a person a day), naming the person rule', () => {
    const account = chicago({
      history: {
        recentContacts: [
          { at: '2026-01-06T14:10:00Z', channel: 'email' },
          { at: '2026-01-06T15:10:00Z', channel: 'sms' },
        ],
      },
    });
    expect(decideContact(account, 'email', us, now)).toEqual({
      kind: 'blocked',
      channel: 'email',
      rule: 'us-regf/person-messages-per-day',
      // The next local day's 08:00 in Chicago.
      retryAt: at('2026-01-07T14:00:00Z'),
    });
  });

  it('counts calls apart from messages, and yesterday not at all', () => {
    const account = chicago({
      history: {
        recentContacts: [
          { at: '2026-01-05T20:00:00Z', channel: 'email' },
          { at: '2026-01-06T14:10:00Z', channel: 'email' },
          { at: '2026-01-06T15:10:00Z', channel: 'sms' },
        ],
      },
    });
    expect(decideContact(account, 'call', us, now).kind).toBe('allowed');
    expect(
      decideContact({ ...account, history: { ...account.history, recentContacts: [] } }, 'sms', us, now).kind,
    ).toBe('allowed');
  });

  it('lets a third call of the day go under cn (3 calls a person a day) and not under us-regf (2)', () => {
    const calls = [
      { at: '2026-01-06T14:10:00Z', channel: 'call' as const },
      { at: '2026-01-06T15:10:00Z', channel: 'call' as const },
    ];
    const account = chicago({ history: { recentContacts: calls } });
    expect(decideContact(account, 'call', us, now).rule).toBe('us-regf/person-calls-per-day');
    expect(decideContact(account, 'call', { ...cn, maxContactsPerDay: 5 }, now).kind).toBe('allowed');
  });

  it("holds a kind of contact until the next day's window once the person's other accounts took its places", () => {
    const account = chicago({ customerId: 'CIF-1' });
    const pending = {
      contactId: '2026-01-C1',
      at: now.toISOString(),
      channel: 'sms' as const,
      template: 'reminder-gentle',
      locale: 'en-US' as const,
      rule: 'us-regf/contact-allowed',
      subject: '',
      text: 'text',
      attempts: 0,
      offer: null,
      remindedFor: null,
    };
    const held = personCapReached({ ...account, pendingContact: pending }, pending, us, now);
    expect(held.entries).toEqual([
      { kind: 'contact-blocked', at: now.toISOString(), channel: 'sms', rule: 'us-regf/person-messages-per-day' },
    ]);
    expect(held.state.pendingContact).toBeNull();
    // The cadence is not moved on: the reminder is still owed.
    expect(held.state.history.lastReminderAt).toBe(account.history.lastReminderAt);
    expect(decideContact(held.state, 'email', us, now)).toMatchObject({
      kind: 'blocked',
      rule: 'us-regf/person-messages-per-day',
      retryAt: at('2026-01-07T14:00:00Z'),
    });
    expect(decideContact(held.state, 'call', us, now).kind).toBe('allowed');
    expect(decideContact(held.state, 'email', us, at('2026-01-07T14:00:00Z')).kind).toBe('allowed');
  });

  it("names a contact's place on the person's ledger by the customer's local day, its kind and its account", () => {
    expect(
      contactSlot(chicago({ customerId: 'CIF-1', accountId: 'A7' }), { contactId: '2026-01-C3', channel: 'call' }, now),
    ).toEqual({ customerId: 'CIF-1', date: '2026-01-06', kind: 'calls', contactId: 'A7:2026-01-C3' });
    // 23:30 in Chicago is the next day in UTC: the customer's day counts.
    expect(contactSlot(chicago(), { contactId: 'C1', channel: 'email' }, at('2026-01-07T05:30:00Z'))).toMatchObject({
      customerId: 'A1',
      date: '2026-01-06',
      kind: 'messages',
    });
  });
});

describe("the pack's personCaps", () => {
  it('are us-regf 2 and 2, cn 3 and 2', () => {
    expect(us.personCaps).toEqual({ callsPerDay: 2, messagesPerDay: 2 });
    expect(cn.personCaps).toEqual({ callsPerDay: 3, messagesPerDay: 2 });
  });

  it('are validated like the other fields, naming the field', () => {
    const { personCaps: _caps, ...without } = us;
    expect(() => parsePolicyPack(without, 'own.json')).toThrow('own.json: personCaps: expected an object');
    expect(() => parsePolicyPack({ ...us, personCaps: { callsPerDay: 0, messagesPerDay: 2 } }, 'own.json')).toThrow(
      'own.json: personCaps.callsPerDay: must be >= 1',
    );
  });
});
