import { describe, expect, it } from 'vitest';
import { decideContact, earliestContact } from '../../functions/domain/contact-policy';
import { POLICY_PACKS } from '../../policies/built-in-packs';
import { anAccount, at } from '../support/fixtures';

const us = POLICY_PACKS['us-regf'];
const cn = POLICY_PACKS.cn;
const callsAt = (...times: string[]) => times.map((t) => ({ at: t, channel: 'call' as const }));

describe('contact hours', () => {
  const chicago = anAccount({ timezone: 'America/Chicago' });

  it('allows 08:00 local and names the rule', () => {
    expect(decideContact(chicago, 'email', us, at('2026-01-06T14:00:00Z'))).toEqual({
      kind: 'allowed',
      channel: 'email',
      rule: 'us-regf/contact-allowed',
      at: at('2026-01-06T14:00:00Z'),
    });
  });

  it('blocks 07:59 local and retries at 08:00 the same day', () => {
    expect(decideContact(chicago, 'sms', us, at('2026-01-06T13:59:00Z'))).toEqual({
      kind: 'blocked',
      channel: 'sms',
      rule: 'us-regf/contact-hours',
      retryAt: at('2026-01-06T14:00:00Z'),
    });
  });

  it('blocks 21:00 local and retries at 08:00 the next day', () => {
    expect(decideContact(chicago, 'sms', us, at('2026-01-07T03:00:00Z'))).toMatchObject({
      kind: 'blocked',
      retryAt: at('2026-01-07T14:00:00Z'),
    });
    expect(decideContact(chicago, 'sms', us, at('2026-01-07T02:59:00Z')).kind).toBe('allowed');
  });

  it('follows daylight saving time: 08:00 CDT is 13:00Z on the change day', () => {
    expect(decideContact(chicago, 'email', us, at('2026-03-08T12:30:00Z')).kind).toBe('blocked');
    expect(decideContact(chicago, 'email', us, at('2026-03-08T13:00:00Z')).kind).toBe('allowed');
  });

  it('uses Shanghai hours under the cn pack', () => {
    const shanghai = anAccount({ timezone: 'Asia/Shanghai', locale: 'zh-CN' });
    expect(decideContact(shanghai, 'sms', cn, at('2026-01-05T23:59:00Z')).rule).toBe('cn/contact-hours');
    expect(decideContact(shanghai, 'sms', cn, at('2026-01-06T00:00:00Z')).rule).toBe('cn/contact-allowed');
  });
});

describe('stops and holds', () => {
  const noon = at('2026-01-06T18:00:00Z');
  it.each([
    ['cease-communication', anAccount({ ceased: true })],
    ['dispute-hold', anAccount({ openDisputes: ['D1'] })],
    ['bankrupt', anAccount({ flags: { bankrupt: true, deceased: false, hardship: false } })],
    ['deceased', anAccount({ flags: { bankrupt: false, deceased: true, hardship: false } })],
    ['cycle-closed', anAccount({ status: 'closed' })],
  ])('blocks every channel on %s until something changes', (rule, account) => {
    for (const channel of ['email', 'sms', 'call'] as const) {
      expect(decideContact(account, channel, us, noon)).toEqual({
        kind: 'blocked',
        channel,
        rule: `us-regf/${rule}`,
        retryAt: null,
      });
    }
  });

  it('blocks only the opted-out channel', () => {
    const account = anAccount({ optOuts: ['sms'] });
    expect(decideContact(account, 'sms', us, noon).rule).toBe('us-regf/channel-opt-out');
    expect(decideContact(account, 'email', us, noon).kind).toBe('allowed');
  });

  it('blocks a channel without a contact point', () => {
    expect(decideContact(anAccount({ reachable: ['email'] }), 'call', us, noon).rule).toBe('us-regf/no-contact-point');
  });
});

describe('us-regf call frequency (12 CFR 1006.14)', () => {
  const seven = callsAt(
    '2026-01-01T15:00:00Z',
    '2026-01-02T15:00:00Z',
    '2026-01-03T15:00:00Z',
    '2026-01-04T15:00:00Z',
    '2026-01-05T15:00:00Z',
    '2026-01-06T15:00:00Z',
    '2026-01-07T15:00:00Z',
  );

  it('allows a 7th call in 7 days', () => {
    expect(
      decideContact(
        anAccount({ history: { recentContacts: seven.slice(0, 6) } }),
        'call',
        us,
        at('2026-01-07T16:00:00Z'),
      ).kind,
    ).toBe('allowed');
  });

  it('blocks an 8th call while the oldest is still inside the 7 days', () => {
    const decision = decideContact(
      anAccount({ history: { recentContacts: seven } }),
      'call',
      us,
      at('2026-01-08T14:59:00Z'),
    );
    expect(decision).toEqual({
      kind: 'blocked',
      channel: 'call',
      rule: 'us-regf/call-cap-7-in-7',
      retryAt: at('2026-01-08T15:00:00Z'),
    });
  });

  it('allows it again exactly 7 days after the oldest call', () => {
    expect(
      decideContact(anAccount({ history: { recentContacts: seven } }), 'call', us, at('2026-01-08T15:00:00Z')).kind,
    ).toBe('allowed');
  });

  it('does not count emails and texts against the call cap', () => {
    const mixed = seven.map((c) => ({ ...c, channel: 'email' as const }));
    expect(
      decideContact(anAccount({ history: { recentContacts: mixed } }), 'call', us, at('2026-01-08T14:00:00Z')).rule,
    ).not.toBe('us-regf/call-cap-7-in-7');
  });

  it('does not call for 7 days after a conversation, then may', () => {
    const talked = anAccount({ history: { lastRightPartyAt: '2026-01-06T16:00:00.000Z' } });
    expect(decideContact(talked, 'call', us, at('2026-01-13T15:59:00Z'))).toMatchObject({
      rule: 'us-regf/call-after-conversation',
      retryAt: at('2026-01-13T16:00:00Z'),
    });
    expect(decideContact(talked, 'call', us, at('2026-01-13T16:00:00Z')).kind).toBe('allowed');
    expect(decideContact(talked, 'email', us, at('2026-01-08T16:00:00Z')).kind).toBe('allowed');
  });

  it('has no call cap under cn', () => {
    expect(
      decideContact(
        anAccount({ timezone: 'UTC', history: { recentContacts: seven } }),
        'call',
        cn,
        at('2026-01-08T10:00:00Z'),
      ).kind,
    ).toBe('allowed');
  });
});

describe('earliest allowed contact', () => {
  it('chains rules: a cap that lifts at night waits for 08:00', () => {
    const calls = callsAt(
      '2026-01-01T03:30:00Z',
      '2026-01-02T15:00:00Z',
      '2026-01-03T15:00:00Z',
      '2026-01-04T15:00:00Z',
      '2026-01-05T15:00:00Z',
      '2026-01-06T15:00:00Z',
      '2026-01-07T15:00:00Z',
    );
    // The oldest call leaves the window at 2026-01-08T03:30Z = 21:30 Chicago: too late, so 08:00 next morning.
    const decision = earliestContact(
      anAccount({ history: { recentContacts: calls } }),
      'call',
      us,
      at('2026-01-07T20:00:00Z'),
    );
    expect(decision).toMatchObject({ kind: 'allowed', at: at('2026-01-08T14:00:00Z') });
  });

  it('gives up with the block when time alone cannot lift it', () => {
    expect(earliestContact(anAccount({ ceased: true }), 'email', us, at('2026-01-07T20:00:00Z'))).toMatchObject({
      kind: 'blocked',
      retryAt: null,
    });
  });

  it('caps contacts per local day across channels', () => {
    const today = [
      { at: '2026-01-06T14:00:00Z', channel: 'email' as const },
      { at: '2026-01-06T15:00:00Z', channel: 'call' as const },
      { at: '2026-01-06T16:00:00Z', channel: 'call' as const },
    ];
    // One message and two calls: within the person's caps (2 and 2), and at the account's daily cap of 3.
    expect(
      decideContact(anAccount({ history: { recentContacts: today } }), 'email', us, at('2026-01-06T18:00:00Z')),
    ).toMatchObject({ rule: 'us-regf/daily-contact-cap', retryAt: at('2026-01-07T14:00:00Z') });
  });
});

describe('regional overlays: Massachusetts (940 CMR 7.04(1)(f))', () => {
  const twoTouches = [
    { at: '2026-01-05T15:00:00.000Z', channel: 'call' as const },
    { at: '2026-01-06T15:00:00.000Z', channel: 'sms' as const },
  ];

  it("allows no third call or text in 7 days to a US-MA customer, naming the overlay's rule", () => {
    const ma = anAccount({ region: 'US-MA', history: { recentContacts: twoTouches } });
    for (const channel of ['call', 'sms'] as const) {
      expect(decideContact(ma, channel, us, at('2026-01-07T15:00:00Z'))).toEqual({
        kind: 'blocked',
        channel,
        rule: 'us-regf/US-MA/calls-and-texts-2-in-7',
        retryAt: at('2026-01-12T15:00:00Z'),
      });
    }
    // Email is not a call or a text under the rule; and a week after the first touch, one more is allowed.
    expect(decideContact(ma, 'email', us, at('2026-01-07T15:00:00Z')).kind).toBe('allowed');
    expect(decideContact(ma, 'call', us, at('2026-01-12T15:00:00Z')).kind).toBe('allowed');
  });

  it("leaves customers elsewhere under the pack's own cap", () => {
    expect(
      decideContact(
        anAccount({ region: 'US-CA', history: { recentContacts: twoTouches } }),
        'call',
        us,
        at('2026-01-07T15:00:00Z'),
      ).kind,
    ).toBe('allowed');
    expect(
      decideContact(anAccount({ history: { recentContacts: twoTouches } }), 'sms', us, at('2026-01-07T15:00:00Z')).kind,
    ).toBe('allowed');
  });
});

describe('regional overlays: New York (6 RCNY 5-77, read as binding the whole state)', () => {
  it('allows no third attempt in 7 days on any channel, email included', () => {
    const ny = anAccount({
      region: 'US-NY',
      history: {
        recentContacts: [
          { at: '2026-01-05T15:00:00.000Z', channel: 'email' as const },
          { at: '2026-01-06T15:00:00.000Z', channel: 'call' as const },
        ],
      },
    });
    for (const channel of ['call', 'sms', 'email'] as const) {
      expect(decideContact(ny, channel, us, at('2026-01-07T15:00:00Z'))).toMatchObject({
        kind: 'blocked',
        rule: 'us-regf/US-NY/nyc-2-in-7',
      });
    }
    expect(decideContact(ny, 'email', us, at('2026-01-12T15:00:00Z')).kind).toBe('allowed');
  });
});
