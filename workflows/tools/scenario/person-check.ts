// The runner's own check of the person (docs/contract.md §3.4, §3.5, §11.1) over every account-cycle of a run, read
// against the scenario's events, not the workflow's decisions: the person's caps in each local day, a cease or an
// opt-out naming the person on all their accounts (those that opened later too), and every split adding up.
import { contactKindOf, type ContactKind } from '../../../functions/domain/person';
import { personCapOf } from '../../../functions/domain/person-caps';
import type { PolicyPack } from '../../../functions/domain/policy-packs';
import type { RecordEntry } from '../../../functions/domain/record';
import { localDate } from '../../../functions/domain/zoned-time';
import type { Scenario } from './scenario-file';
import { peopleOf, personAt } from './scenario-people';
import type { AccountRun, Violation } from './violation';

type Contact = Extract<RecordEntry, { kind: 'contact' }>;
type Allocated = Extract<RecordEntry, { kind: 'payment-allocated' }>;
const time = (e: { at: string }) => Date.parse(e.at);

/** When the bank first said `flag` is false on an account of the person after `from` (Infinity: it never did). */
const clearedAt = (
  events: Scenario['events'],
  flag: 'bankrupt' | 'deceased',
  from: number,
  theirs: (accountId: string, at: number) => boolean,
): number => {
  const cleared = events.find((e) => {
    const detail = (e.detail ?? {}) as { accountId?: unknown; flags?: Record<string, unknown> };
    return (
      Date.parse(e.at) >= from &&
      detail.flags?.[flag] === false &&
      typeof detail.accountId === 'string' &&
      theirs(detail.accountId, Date.parse(e.at))
    );
  });
  return cleared ? Date.parse(cleared.at) : Number.POSITIVE_INFINITY;
};

/** Each run's person: the customer number the scenario gave its account, or the account itself. */
const personOf = (people: Map<string, string>, run: AccountRun) =>
  people.get(run.state.accountId) ?? run.state.accountId;

/** A person's contacts of each kind in each of the customer's local days (the zone of the account contacted). */
export const contactsPerPersonDay = (events: Scenario['events'], runs: readonly AccountRun[]) => {
  const personOfAt = personAt(events);
  const days = new Map<string, { person: string; day: string; kind: ContactKind; contacts: Contact[] }>();
  for (const run of runs)
    for (const c of run.record.filter((e): e is Contact => e.kind === 'contact')) {
      const person = personOfAt(run.state.accountId, time(c));
      const day = localDate(new Date(c.at), run.state.timezone);
      const kind = contactKindOf(c.channel);
      const key = `${person}|${day}|${kind}`;
      if (!days.has(key)) days.set(key, { person, day, kind, contacts: [] });
      days.get(key)!.contacts.push(c);
    }
  return [...days.values()];
};

export const checkPeople = (events: Scenario['events'], runs: readonly AccountRun[], pack: PolicyPack): Violation[] => {
  const violations: Violation[] = [];
  const personOfAt = personAt(events);
  // Each person's contacts, on any account of theirs while it was theirs.
  const byPerson = new Map<string, { run: AccountRun; contact: Contact }[]>();
  for (const run of runs)
    for (const contact of run.record.filter((e): e is Contact => e.kind === 'contact')) {
      const person = personOfAt(run.state.accountId, time(contact));
      if (!byPerson.has(person)) byPerson.set(person, []);
      byPerson.get(person)!.push({ run, contact });
    }
  const contactsOf = (person: string) => byPerson.get(person) ?? [];

  // §3.4: the person's caps, counted across their accounts in the customer's local day.
  for (const { person, day, kind, contacts } of contactsPerPersonDay(events, runs)) {
    const cap = personCapOf(pack, kind);
    if (contacts.length > cap)
      violations.push({
        accountId: person,
        rule: `person-${kind}-per-day`,
        at: contacts[cap]!.at,
        detail: `${contacts.length} ${kind} to person ${person} on ${day}, the pack allows ${cap}`,
      });
  }

  // §3.5: a cease or an opt-out naming the person holds on every account of theirs from then on.
  for (const event of events) {
    const detail = (event.detail ?? {}) as { customerId?: unknown; accountId?: unknown; channel?: unknown };
    if (typeof detail.customerId !== 'string' || detail.accountId !== undefined) continue;
    if (event.detailType !== 'CeaseCommunication' && event.detailType !== 'ChannelOptOut') continue;
    const from = Date.parse(event.at);
    for (const { run, contact: c } of contactsOf(detail.customerId))
      if (time(c) > from && (event.detailType === 'CeaseCommunication' || c.channel === detail.channel))
        violations.push({
          accountId: run.state.accountId,
          rule: event.detailType === 'CeaseCommunication' ? 'person-cease' : 'person-opt-out',
          at: c.at,
          detail: `${c.channel} contact after the person ${detail.customerId} asked at ${event.at}`,
        });
  }

  // §3.5: bankruptcy or death that closed one account of the person stops contact on all of them from then on, until
  // the bank says otherwise (that flag `false` on an account of theirs).
  for (const run of runs) {
    const stop = run.record.find(
      (e): e is Extract<RecordEntry, { kind: 'closed' }> =>
        e.kind === 'closed' && (e.reason === 'bankrupt' || e.reason === 'deceased'),
    );
    if (!stop) continue;
    const person = personOfAt(run.state.accountId, time(stop));
    const until = clearedAt(
      events,
      stop.reason as 'bankrupt' | 'deceased',
      time(stop),
      (accountId, at) => personOfAt(accountId, at) === person,
    );
    for (const { run: other, contact: c } of contactsOf(person))
      if (time(c) > time(stop) && time(c) < until)
        violations.push({
          accountId: other.state.accountId,
          rule: 'person-stopped',
          at: c.at,
          detail: `${c.channel} contact after ${run.state.accountId} of the same person closed ${
            (stop as { reason: string }).reason
          } at ${stop.at}`,
        });
  }

  // §11.1: a split is announced once, as applied: each part that account's payment, once; the parts add up to the
  // payment, or to less only when every account of the person in its currency had closed by then (the rest rejected).
  const splits = new Map<string, Allocated[]>();
  for (const run of runs)
    for (const e of run.record)
      if (e.kind === 'payment-allocated') {
        const key = `${e.customerId}|${e.paymentId}`;
        splits.set(key, [...(splits.get(key) ?? []), e]);
      }
  for (const [split, ...again] of splits.values()) {
    if (!split) continue;
    if (again.length > 0)
      violations.push({
        accountId: split.customerId,
        rule: 'allocation-announced',
        at: again[0]!.at,
        detail: `payment ${split.paymentId} announced ${again.length + 1} times`,
      });
    const paid = events.find((e) => {
      const d = (e.detail ?? {}) as { customerId?: unknown; paymentId?: unknown };
      return e.detailType === 'PaymentPosted' && d.customerId === split.customerId && d.paymentId === split.paymentId;
    })?.detail as { amount?: number; currency?: string } | undefined;
    const sum = split.parts.reduce((total, p) => total + p.amount, 0);
    const noneLeft = runs
      .filter(
        (r) => r.state.currency === paid?.currency && personOfAt(r.state.accountId, time(split)) === split.customerId,
      )
      .every((r) =>
        r.record.some(
          (e) => (e.kind === 'closed' && time(e) <= time(split)) || (e.kind === 'started' && time(e) > time(split)),
        ),
      );
    if (paid?.amount !== sum && !(paid?.amount !== undefined && sum < paid.amount && noneLeft))
      violations.push({
        accountId: split.customerId,
        rule: 'allocation-sum',
        at: split.at,
        detail: `payment ${split.paymentId}: parts add up to ${sum}, the payment was ${paid?.amount ?? 'not sent'}`,
      });
    for (const part of split.parts) {
      const record = runs.filter((r) => r.state.accountId === part.accountId).flatMap((r) => r.record);
      const applied = record.filter(
        (e) => e.kind === 'payment' && e.paymentId === part.paymentId && e.amount === part.amount,
      );
      // The bank may name a payment of its own as the part is named: that one is not the part.
      const alike = events.some((e) => {
        const d = (e.detail ?? {}) as { accountId?: unknown; paymentId?: unknown; amount?: unknown };
        const same = d.accountId === part.accountId && d.paymentId === part.paymentId && d.amount === part.amount;
        return e.detailType === 'PaymentPosted' && same;
      });
      if (applied.length - (alike ? 1 : 0) !== 1)
        violations.push({
          accountId: part.accountId,
          rule: 'allocation-applied',
          at: split.at,
          detail: `part ${part.amount} of ${split.paymentId} applied ${applied.length} time(s) on ${part.accountId}`,
        });
    }
  }
  return violations;
};

/** What a run did per person (docs/contract.md §11.1), in sums that add up across batches and worker threads. */
export interface PeopleTally {
  people: number;
  accounts: number;
  /** Person-days by the number of contacts the person had that local day, across their accounts. */
  personDaysByContacts: Record<string, number>;
  /** Contacts the person's caps held back. */
  personCapBlocks: number;
}

export const personTally = (events: Scenario['events'], runs: readonly AccountRun[]): PeopleTally => {
  const people = peopleOf(events);
  const perDay = new Map<string, number>();
  for (const { person, day, contacts } of contactsPerPersonDay(events, runs))
    perDay.set(`${person}|${day}`, (perDay.get(`${person}|${day}`) ?? 0) + contacts.length);
  const personDaysByContacts: Record<string, number> = {};
  for (const count of perDay.values()) personDaysByContacts[count] = (personDaysByContacts[count] ?? 0) + 1;
  return {
    people: new Set(runs.map((r) => personOf(people, r))).size,
    accounts: new Set(runs.map((r) => r.state.accountId)).size,
    personDaysByContacts,
    personCapBlocks: runs
      .flatMap((r) => r.record)
      .filter((e) => e.kind === 'contact-blocked' && /\/person-(calls|messages)-per-day$/.test(e.rule)).length,
  };
};

/** The person figures of kpis.json and the runner's result: `people`, `accountsPerPerson`, … */
export const peopleKpis = (tally: PeopleTally) => {
  const counts = Object.entries(tally.personDaysByContacts)
    .filter(([, days]) => days > 0)
    .map(([count]) => Number(count));
  return {
    people: tally.people,
    accountsPerPerson: tally.people ? Math.round((tally.accounts / tally.people) * 100) / 100 : 0,
    maxContactsPerPersonDay: Math.max(0, ...counts),
    personCapBlocks: tally.personCapBlocks,
  };
};
