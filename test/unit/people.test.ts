import { describe, expect, it } from 'vitest';
import { generatePortfolio } from '../../workflows/tools/simulation/portfolio';
import { gatherPeople, personIndexOf, takeBatch } from '../../workflows/tools/simulation/people';
import { peopleKpis } from '../../workflows/tools/scenario/person-check';

const options = { accounts: 400, country: 'US', start: new Date('2026-01-05T00:00:00Z'), seed: 11 };

describe("the simulated portfolio's people", () => {
  it('gathers about a quarter of people with two or three cards, under one customer and one zone', () => {
    const portfolio = gatherPeople(generatePortfolio(options), 0.25, 11);
    expect(portfolio).toHaveLength(400);
    const people = new Map<number, typeof portfolio>();
    for (const account of portfolio)
      people.set(personIndexOf(account), [...(people.get(personIndexOf(account)) ?? []), account]);
    const sizes = [...people.values()].map((accounts) => accounts.length);
    expect(Math.max(...sizes)).toBe(3);
    const multi = sizes.filter((n) => n > 1).length / sizes.length;
    expect(multi).toBeGreaterThan(0.18);
    expect(multi).toBeLessThan(0.32);
    for (const accounts of people.values()) {
      const customers = accounts.map((a) => a.event.detail.customer);
      expect(new Set(customers.map((c) => c.customerId)).size).toBe(1);
      expect(new Set(customers.map((c) => c.timezone)).size).toBe(1);
      expect(new Set(accounts.map((a) => a.event.detail.currency)).size).toBe(1);
    }
  });

  it("keeps each account's own draws: only the customer changes", () => {
    const plain = generatePortfolio(options);
    const gathered = gatherPeople(plain, 0.25, 11);
    expect(gathered.map((a) => [a.index, a.profile, a.event.detail.balance, a.event.detail.dueDate])).toEqual(
      plain.map((a) => [a.index, a.profile, a.event.detail.balance, a.event.detail.dueDate]),
    );
  });

  it('leaves every account its own person, with no customer number, at a share of 0', () => {
    const plain = generatePortfolio(options);
    expect(gatherPeople(plain, 0, 11)).toEqual(plain);
  });

  it("never splits a person's accounts between batches", () => {
    const queue = gatherPeople(generatePortfolio(options), 0.5, 11);
    const batches: number[][] = [];
    while (queue.length) batches.push(takeBatch(queue, 7).map(personIndexOf));
    expect(batches.length).toBeGreaterThan(1);
    for (let i = 1; i < batches.length; i += 1) expect(batches[i]![0]).not.toBe(batches[i - 1]!.at(-1));
  });

  it('reads kpis.json figures from the tally', () => {
    expect(
      peopleKpis({ people: 4, accounts: 6, personDaysByContacts: { '1': 10, '2': 3, '4': 0 }, personCapBlocks: 2 }),
    ).toEqual({ people: 4, accountsPerPerson: 1.5, maxContactsPerPersonDay: 2, personCapBlocks: 2 });
  });
});
