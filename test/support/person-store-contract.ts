// The PersonStore contract (docs/contract.md §11.1): every implementation (DynamoDB, in process) keeps these
// promises, so the intake and the contact step behave the same on either.
import { expect, it } from 'vitest';
import type { ContactSlot, PersonStore } from '../../functions/ports';

const slot = (contactId: string, over: Partial<ContactSlot> = {}): ContactSlot => ({
  customerId: 'CIF-1',
  date: '2026-03-05',
  kind: 'messages',
  contactId,
  ...over,
});

export const personStoreContract = (make: () => Promise<PersonStore>) => {
  it('knows no person before an account of theirs arrives', async () => {
    expect(await (await make()).getPerson('CIF-NONE')).toBeNull();
  });

  it("lists the person's accounts once each, sorted, however often they are added", async () => {
    const store = await make();
    await store.addAccount('CIF-1', 'B2');
    await store.addAccount('CIF-1', 'A1');
    await store.addAccount('CIF-1', 'B2');
    expect(await store.getPerson('CIF-1')).toEqual({
      customerId: 'CIF-1',
      accountIds: ['A1', 'B2'],
      ceased: false,
      optOuts: [],
      bankrupt: false,
      deceased: false,
    });
  });

  it('takes an account off the person, and another person is left as it was; again is fine', async () => {
    const store = await make();
    await store.addAccount('CIF-3', 'A1');
    await store.addAccount('CIF-3', 'B2');
    await store.addAccount('CIF-4', 'A1');
    await store.removeAccount('CIF-3', 'A1');
    await store.removeAccount('CIF-3', 'A1');
    await store.removeAccount('CIF-NONE', 'A1');
    expect((await store.getPerson('CIF-3'))?.accountIds).toEqual(['B2']);
    expect((await store.getPerson('CIF-4'))?.accountIds).toEqual(['A1']);
    expect(await store.getPerson('CIF-NONE')).toBeNull();
  });

  it('keeps a cease, opt-outs and bankruptcy on the person, each once', async () => {
    const store = await make();
    await store.addAccount('CIF-2', 'A1');
    for (const fact of [
      { kind: 'opt-out', channel: 'sms' },
      { kind: 'cease' },
      { kind: 'opt-out', channel: 'email' },
      { kind: 'opt-out', channel: 'sms' },
      { kind: 'bankrupt' },
    ] as const)
      await store.addFact('CIF-2', fact);
    expect(await store.getPerson('CIF-2')).toMatchObject({
      accountIds: ['A1'],
      ceased: true,
      optOuts: ['email', 'sms'],
      bankrupt: true,
      deceased: false,
    });
  });

  it('clears bankruptcy or death from the person when the bank says otherwise, and nothing else', async () => {
    const store = await make();
    await store.addAccount('CIF-5', 'A1');
    for (const fact of [{ kind: 'bankrupt' }, { kind: 'deceased' }, { kind: 'cease' }] as const)
      await store.addFact('CIF-5', fact);
    await store.clearFact('CIF-5', 'bankrupt');
    await store.clearFact('CIF-5', 'bankrupt');
    await store.clearFact('CIF-NONE', 'deceased');
    expect(await store.getPerson('CIF-5')).toMatchObject({ ceased: true, bankrupt: false, deceased: true });
    expect(await store.getPerson('CIF-NONE')).toBeNull();
  });

  it('gives places on a day up to the cap, then answers full; a contact holding a place takes it again', async () => {
    const store = await make();
    expect(await store.reserveContact(slot('A1-C1'), 2)).toBe('reserved');
    expect(await store.reserveContact(slot('B2-C1'), 2)).toBe('reserved');
    expect(await store.reserveContact(slot('A1-C2'), 2)).toBe('full');
    expect(await store.reserveContact(slot('A1-C1'), 2)).toBe('reserved');
    expect(await store.contactsOn('CIF-1', '2026-03-05', 'messages')).toEqual(['A1-C1', 'B2-C1']);
  });

  it('counts each local day and each kind of contact apart', async () => {
    const store = await make();
    expect(await store.reserveContact(slot('A1-C1'), 1)).toBe('reserved');
    expect(await store.reserveContact(slot('A1-C2', { kind: 'calls' }), 1)).toBe('reserved');
    expect(await store.reserveContact(slot('A1-C3', { date: '2026-03-06' }), 1)).toBe('reserved');
    expect(await store.reserveContact(slot('A1-C4', { customerId: 'CIF-9' }), 1)).toBe('reserved');
    expect(await store.reserveContact(slot('A1-C5'), 1)).toBe('full');
  });

  it('gives back a place a contact did not use, so another may take it; giving back twice is fine', async () => {
    const store = await make();
    expect(await store.reserveContact(slot('A1-C1'), 1)).toBe('reserved');
    await store.releaseContact(slot('A1-C1'));
    await store.releaseContact(slot('A1-C1'));
    await store.releaseContact(slot('X-C1', { date: '2026-01-01' }));
    expect(await store.contactsOn('CIF-1', '2026-03-05', 'messages')).toEqual([]);
    expect(await store.reserveContact(slot('B2-C1'), 1)).toBe('reserved');
    expect(await store.contactsOn('CIF-1', '2026-03-05', 'messages')).toEqual(['B2-C1']);
  });

  it("lets only one of two accounts racing for the person's last place of the day take it", async () => {
    const store = await make();
    expect(await store.reserveContact(slot('A1-C1'), 2)).toBe('reserved');
    const answers = await Promise.all([store.reserveContact(slot('A1-C2'), 2), store.reserveContact(slot('B2-C1'), 2)]);
    expect(answers.sort()).toEqual(['full', 'reserved']);
    expect(await store.contactsOn('CIF-1', '2026-03-05', 'messages')).toHaveLength(2);
  });

  it('holds the cap when many contacts race for a day at once', async () => {
    const store = await make();
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, i) => store.reserveContact(slot(`A${i}-C1`, { kind: 'calls' }), 3)),
    );
    expect(answers.filter((a) => a === 'reserved')).toHaveLength(3);
    expect(await store.contactsOn('CIF-1', '2026-03-05', 'calls')).toHaveLength(3);
  });

  it("keeps each round of a person's payment's split once, and answers the first kept to a later one", async () => {
    const store = await make();
    const round = (n: number, accountId: string, amount: number, refused: string[] = []) => ({
      round: n,
      parts: [{ accountId, amount }],
      refused,
      keptAt: '2026-03-05T16:00:00.000Z',
    });
    expect(await store.allocationOf('CIF-1', 'P1', 1)).toBeNull();
    expect(await store.keepAllocation('CIF-1', 'P1', round(1, 'A1', 9000))).toEqual(round(1, 'A1', 9000));
    expect(await store.allocationOf('CIF-1', 'P1', 1)).toEqual(round(1, 'A1', 9000));
    expect(await store.keepAllocation('CIF-1', 'P1', round(1, 'B2', 9000))).toEqual(round(1, 'A1', 9000));
    expect(await store.allocationOf('CIF-1', 'P1', 2)).toBeNull();
    expect(await store.keepAllocation('CIF-1', 'P1', round(2, 'B2', 9000, ['A1']))).toEqual(
      round(2, 'B2', 9000, ['A1']),
    );
    expect(await store.allocationOf('CIF-1', 'P1', 2)).toEqual(round(2, 'B2', 9000, ['A1']));
    expect(await store.keepAllocation('CIF-1', 'P2', round(1, 'B2', 100))).toEqual(round(1, 'B2', 100));
  });
};
