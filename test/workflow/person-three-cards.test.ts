// Caps across three cards (docs/contract.md §11.1): one person, three past-due cards opened the same afternoon. Each
// card alone would contact them as often as the per-debt rules allow; together the person hears at most the pack's
// `personCaps` of each kind in their local day, and the contacts held back say which person rule held them.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { localDate } from '../../functions/domain/zoned-time';
import { POLICY_PACKS } from '../../policies/built-in-packs';
import { contacts, entries, OUR_SCENARIOS, run } from '../support/scenarios';

const FILE = path.join(OUR_SCENARIOS, 'person-three-cards.json');
const ZONE = 'America/Denver';
const caps = POLICY_PACKS['us-regf'].personCaps;

const localDay = (at: string) => localDate(new Date(at), ZONE);

describe('person-three-cards.json', () => {
  it("holds the person's calls and messages a day to the pack's caps across the three cards", async () => {
    const { result } = await run(FILE, { store: 'memory' });
    expect(result.accounts.map((a) => a.customerId)).toEqual(['CIF-3C', 'CIF-3C', 'CIF-3C']);
    const perDay = new Map<string, number>();
    for (const account of result.accounts)
      for (const c of contacts(account)) {
        const key = `${localDay(c.at)} ${c.channel === 'call' ? 'calls' : 'messages'}`;
        perDay.set(key, (perDay.get(key) ?? 0) + 1);
      }
    const most = (kind: string) => Math.max(...[...perDay].filter(([k]) => k.endsWith(kind)).map(([, n]) => n));
    expect(most('messages')).toBe(caps.messagesPerDay);
    expect(most('calls')).toBeLessThanOrEqual(caps.callsPerDay);
    // The first day: three cards each wanted a first message; the third was held by the person's cap.
    const held = result.accounts.flatMap((a) => entries(a, 'contact-blocked'));
    expect(held.length).toBeGreaterThan(0);
    expect(new Set(held.map((e) => (e as { rule?: string }).rule))).toEqual(
      new Set(['us-regf/person-messages-per-day']),
    );
    expect(result.kpis).toMatchObject({ people: 1, accountsPerPerson: 3, personCapBlocks: held.length });
    expect(result.kpis.maxContactsPerPersonDay).toBeLessThanOrEqual(caps.callsPerDay + caps.messagesPerDay);
    expect(result.violations).toEqual([]);
  });
});
