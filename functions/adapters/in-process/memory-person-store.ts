// The person's partition in process memory: the same items, conditions and answers as the DynamoDB person store (one
// contract test suite runs against both), each request reported to the observer as the DynamoDB request it would be.
import type { AllocationRound } from '../../domain/allocation';
import { CHANNELS } from '../../domain/channels';
import { noPerson, withFact, type ContactKind, type Person, type PersonFact, type Stop } from '../../domain/person';
import type { ContactSlot, PersonStore } from '../../ports';
import { allocationSk, ledgerSk, personPk } from '../person-items';
import { copy, type RequestObserver } from './memory-items';

export class MemoryPersonStore implements PersonStore {
  private readonly persons = new Map<string, Person>();
  /** Each ledger item's places, by `<pk>|<sk>`. */
  private readonly ledger = new Map<string, Set<string>>();
  private readonly allocations = new Map<string, AllocationRound>();

  constructor(private readonly observe: RequestObserver = () => {}) {}

  private read(customerId: string) {
    this.observe('GetItem', 'read', 1, false, { partitions: [personPk(customerId)] });
  }

  private written(customerId: string, took: boolean) {
    this.observe('UpdateItem', 'write', took ? 1 : 0, false, { partitions: [personPk(customerId)] });
  }

  async getPerson(customerId: string): Promise<Person | null> {
    this.read(customerId);
    const person = this.persons.get(customerId);
    return person ? { ...person, accountIds: [...person.accountIds], optOuts: [...person.optOuts] } : null;
  }

  private change(customerId: string, f: (person: Person) => Person) {
    this.written(customerId, true);
    this.persons.set(customerId, f(this.persons.get(customerId) ?? noPerson(customerId)));
  }

  async addAccount(customerId: string, accountId: string): Promise<void> {
    this.change(customerId, (p) =>
      p.accountIds.includes(accountId) ? p : { ...p, accountIds: [...p.accountIds, accountId].sort() },
    );
  }

  async removeAccount(customerId: string, accountId: string): Promise<void> {
    if (!this.persons.has(customerId)) return this.written(customerId, false);
    this.change(customerId, (p) => ({ ...p, accountIds: p.accountIds.filter((id) => id !== accountId) }));
  }

  async addFact(customerId: string, fact: PersonFact): Promise<void> {
    this.change(customerId, (p) => {
      const next = withFact(p, fact);
      return { ...next, optOuts: CHANNELS.filter((c) => next.optOuts.includes(c)) };
    });
  }

  async clearFact(customerId: string, fact: Stop): Promise<void> {
    if (!this.persons.has(customerId)) return this.written(customerId, false);
    this.change(customerId, (p) => ({ ...p, [fact]: false }));
  }

  private key(slot: Pick<ContactSlot, 'customerId' | 'date' | 'kind'>) {
    return `${personPk(slot.customerId)}|${ledgerSk(slot.date, slot.kind)}`;
  }

  async reserveContact(slot: ContactSlot, cap: number): Promise<'reserved' | 'full'> {
    const ids = this.ledger.get(this.key(slot)) ?? new Set<string>();
    const took = ids.has(slot.contactId) || ids.size < cap;
    this.written(slot.customerId, took);
    if (!took) return 'full';
    ids.add(slot.contactId);
    this.ledger.set(this.key(slot), ids);
    return 'reserved';
  }

  async releaseContact(slot: ContactSlot): Promise<void> {
    const ids = this.ledger.get(this.key(slot));
    this.written(slot.customerId, !!ids);
    if (!ids) return;
    ids.delete(slot.contactId);
    if (ids.size === 0) this.ledger.delete(this.key(slot));
  }

  async contactsOn(customerId: string, date: string, kind: ContactKind): Promise<string[]> {
    this.read(customerId);
    return [...(this.ledger.get(this.key({ customerId, date, kind })) ?? [])].sort();
  }

  async allocationOf(customerId: string, paymentId: string, round: number): Promise<AllocationRound | null> {
    this.read(customerId);
    const kept = this.allocations.get(`${personPk(customerId)}|${allocationSk(paymentId, round)}`);
    return kept ? copy(kept) : null;
  }

  async keepAllocation(customerId: string, paymentId: string, round: AllocationRound): Promise<AllocationRound> {
    const key = `${personPk(customerId)}|${allocationSk(paymentId, round.round)}`;
    const kept = this.allocations.get(key);
    this.observe('PutItem', 'write', kept ? 0 : 1, false, { partitions: [personPk(customerId)] });
    if (kept) {
      this.read(customerId);
      return copy(kept);
    }
    this.allocations.set(key, copy(round));
    return copy(round);
  }
}
