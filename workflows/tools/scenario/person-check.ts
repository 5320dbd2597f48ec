// The runner's own check of the person (docs/contract.md §3.4, §3.5, §11.1) over every account-cycle of a run, read
// against the scenario's events, not the workflow's decisions: the person's caps in each local day, one open call task
// per person, a cease or an opt-out naming the person on all their accounts (those that opened later too), and every
// split adding up.
import { contactKindOf, type ContactKind } from '../../../functions/domain/person';
import { personCapOf } from '../../../functions/domain/person-caps';
import type { PolicyPack } from '../../../functions/domain/policy-packs';
import type { RecordEntry } from '../../../functions/domain/record';
import { localDate } from '../../../functions/domain/zoned-time';
import type { Scenario } from './scenario-file';
import { peopleOf } from './scenario-people';
import { checkOneCallTask } from './person-call-check';
import type { AccountRun, Violation } from './violation';

type Contact = Extract<RecordEntry, { kind: 'contact' }>;
type Allocated = Extract<RecordEntry, { kind: 'payment-allocated' }>;
const time = (e: { at: string }) => Date.parse(e.at);

/** Each run's person: the customer number the scenario gave its account, or the account itself. */
const personOf = (people: Map<string, string>, run: AccountRun) =>
  people.get(run.state.accountId) ?? run.state.accountId;

/**
 * A person's contacts of each kind in each of the customer's local days (the zone of the account contacted). One call
 * on the person's task is one contact with the person, though each account it covered records it (docs/contract.md
 * §11.1).
 */
export const contactsPerPersonDay = (events: Scenario['events'], runs: readonly AccountRun[]) => {
  const people = peopleOf(events);
  const days = new Map<string, { person: string; day: string; kind: ContactKind; contacts: Contact[] }>();
  const calls = new Set<string>();
  for (const run of runs)
    for (const c of run.record.filter((e): e is Contact => e.kind === 'contact')) {
      const person = personOf(people, run);
      const call = c.accountIds && `${person}|${c.at}|${c.accountIds.join(',')}`;
      if (call && calls.has(call)) continue;
      if (call) calls.add(call);
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
  const people = peopleOf(events);
  const runsOf = (person: string) => runs.filter((r) => personOf(people, r) === person);

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

  // §11.1: one call for all debts: at most one open call task per person at every instant.
  for (const person of new Set(runs.map((r) => personOf(people, r))))
    violations.push(...checkOneCallTask(person, runsOf(person)));

  // §3.5: a cease or an opt-out naming the person holds on every account of theirs from then on.
  for (const event of events) {
    const detail = (event.detail ?? {}) as { customerId?: unknown; accountId?: unknown; channel?: unknown };
    if (typeof detail.customerId !== 'string' || detail.accountId !== undefined) continue;
    if (event.detailType !== 'CeaseCommunication' && event.detailType !== 'ChannelOptOut') continue;
    const from = Date.parse(event.at);
    for (const run of runsOf(detail.customerId))
      for (const c of run.record.filter((e): e is Contact => e.kind === 'contact'))
        if (time(c) > from && (event.detailType === 'CeaseCommunication' || c.channel === detail.channel))
          violations.push({
            accountId: run.state.accountId,
            rule: event.detailType === 'CeaseCommunication' ? 'person-cease' : 'person-opt-out',
            at: c.at,
            detail: `${c.channel} contact after the person ${detail.customerId} asked at ${event.at}`,
          });
  }

  // §3.5: bankruptcy or death that closed one account of the person stops contact on all of them from then on.
  for (const run of runs) {
    const stop = run.record.find((e) => e.kind === 'closed' && (e.reason === 'bankrupt' || e.reason === 'deceased'));
    if (!stop) continue;
    for (const other of runsOf(personOf(people, run)))
      for (const c of other.record.filter((e): e is Contact => e.kind === 'contact'))
        if (time(c) > time(stop))
          violations.push({
            accountId: other.state.accountId,
            rule: 'person-stopped',
            at: c.at,
            detail: `${c.channel} contact after ${run.state.accountId} of the same person closed ${
              (stop as { reason: string }).reason
            } at ${stop.at}`,
          });
  }

  // §11.1: a split adds up to the payment, and each part is that account's payment <paymentId>-<accountId>, once.
  const splits = new Map<string, Allocated>();
  for (const run of runs)
    for (const e of run.record) if (e.kind === 'payment-allocated') splits.set(`${e.customerId}|${e.paymentId}`, e);
  for (const split of splits.values()) {
    const paid = events.find((e) => {
      const d = (e.detail ?? {}) as { customerId?: unknown; paymentId?: unknown };
      return e.detailType === 'PaymentPosted' && d.customerId === split.customerId && d.paymentId === split.paymentId;
    })?.detail as { amount?: number } | undefined;
    const sum = split.parts.reduce((total, p) => total + p.amount, 0);
    if (paid?.amount !== sum)
      violations.push({
        accountId: split.customerId,
        rule: 'allocation-sum',
        at: split.at,
        detail: `payment ${split.paymentId}: parts add up to ${sum}, the payment was ${paid?.amount ?? 'not sent'}`,
      });
    for (const part of split.parts) {
      const record = runs.filter((r) => r.state.accountId === part.accountId).flatMap((r) => r.record);
      const applied = record.filter(
        (e) => e.kind === 'payment' && e.paymentId === `${split.paymentId}-${part.accountId}`,
      );
      // The split is recorded with each part it applied. A part whose account's cycle had closed by then is refused
      // with its reason (the intake dead-letters the payment naming the part), as a payment to a closed cycle is.
      const withSplit = record.some((e) => e.kind === 'payment-allocated' && e.paymentId === split.paymentId);
      const closedBefore = record.some((e) => e.kind === 'closed' && time(e) <= time(split));
      const right = withSplit
        ? applied.length === 1 && (applied[0] as { amount: number }).amount === part.amount
        : applied.length === 0 && closedBefore;
      if (!right)
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
