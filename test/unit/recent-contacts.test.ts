// The contact policy's read of an account's recent contacts: parsed and dated once per state.
import { describe, expect, it } from 'vitest';
import { recentContactsOf } from '../../functions/domain/recent-contacts';
import { anAccount } from '../support/fixtures';

describe("an account's recent contacts, as the policy reads them", () => {
  const contacts = [
    { at: '2026-01-05T05:30:00.000Z', channel: 'email' as const },
    { at: '2026-01-05T15:00:00.000Z', channel: 'call' as const },
  ];

  it("dates each contact in the account's zone", () => {
    const read = recentContactsOf(anAccount({ timezone: 'America/Chicago', history: { recentContacts: contacts } }));
    expect(read).toEqual([
      { at: Date.parse('2026-01-05T05:30:00Z'), channel: 'email', date: '2026-01-04' },
      { at: Date.parse('2026-01-05T15:00:00Z'), channel: 'call', date: '2026-01-05' },
    ]);
  });

  it('reads a list once, and again for another zone or a list grown in place', () => {
    const chicago = anAccount({ timezone: 'America/Chicago', history: { recentContacts: [...contacts] } });
    const first = recentContactsOf(chicago);
    expect(recentContactsOf(chicago)).toBe(first);
    const shanghai = { ...chicago, timezone: 'Asia/Shanghai' };
    expect(recentContactsOf(shanghai).map((k) => k.date)).toEqual(['2026-01-05', '2026-01-05']);
    chicago.history.recentContacts.push({ at: '2026-01-06T15:00:00.000Z', channel: 'sms' });
    expect(recentContactsOf(chicago).map((k) => k.date)).toEqual(['2026-01-04', '2026-01-05', '2026-01-06']);
  });
});
