// The person's caps through the twin (docs/contract.md §3.4, §11.1): two accounts' executions released together by
// one intake batch race for the person's last message of the day, and only one has it, on either store.
import { describe, expect, it } from 'vitest';
import { POLICY_PACKS } from '../../policies/built-in-packs';
import { LocalStack, type StoreKind } from '../../workflows/twin/local-stack';
import { promptCollector } from '../../workflows/twin/collectors';
import { localDate } from '../../functions/domain/zoned-time';
import { dynamoEndpoint } from '../support/dynamo';

// One message a day for the person, so the two answers to 'forgot' race for the day's only place.
const pack = { ...POLICY_PACKS['us-regf'], personCaps: { callsPerDay: 2, messagesPerDay: 1 } };
const ZONE = 'America/Denver';
const PERSON = 'CIF-RACE';
const envelope = (id: string, source: string, detailType: string, time: string, detail: Record<string, unknown>) => ({
  version: '0',
  id,
  source,
  'detail-type': detailType,
  time,
  detail,
});
const delinquent = (accountId: string) =>
  envelope(`open-${accountId}`, 'bank.core', 'AccountDelinquent', '2026-03-05T16:00:00Z', {
    accountId,
    cycleId: '2026-03',
    currency: 'USD',
    balance: 100_000,
    amountDue: 5000,
    dueDate: '2026-03-01',
    customer: { customerId: PERSON, name: 'Sam Lee', email: 'sam.lee@example.com', locale: 'en-US', timezone: ZONE },
  });
// 11:00 in Denver on 2026-03-06: inside the window, between the accounts' own planned contacts.
const RACE_AT = '2026-03-06T18:00:00Z';
const forgot = (accountId: string) =>
  envelope(`forgot-${accountId}`, 'collections.customer', 'DelinquencyReasonRecorded', RACE_AT, {
    accountId,
    reasonId: `R-${accountId}`,
    reason: 'forgot',
  });

const race = async (store: StoreKind) => {
  const stack = await LocalStack.start({
    pack,
    store,
    start: new Date('2026-03-05T00:00:00Z'),
    ...(store === 'memory' ? {} : { dynamoEndpoint: await dynamoEndpoint() }),
  });
  stack.outputs.listen(promptCollector(stack));
  try {
    const { scheduler } = stack;
    for (const id of ['R1', 'R2']) scheduler.join(id, PERSON);
    for (const id of ['R1', 'R2']) stack.inbound.enqueue(id, delinquent(id), Date.parse('2026-03-05T16:00:00Z'));
    // One SQS batch wakes both executions at once: both answer at once, and both ask for the day's one place.
    scheduler.schedule(
      Date.parse(RACE_AT),
      PERSON,
      () => {
        scheduler.enter(PERSON);
        return stack.inbound.deliverBatch([forgot('R1'), forgot('R2')]).finally(() => scheduler.leave(PERSON));
      },
      true,
    );
    await scheduler.runUntil(Date.parse('2026-03-09T00:00:00Z'));
    await stack.engine.abortAll();
    const records = await Promise.all(['R1', 'R2'].map((id) => stack.store.record(id, '2026-03')));
    const ledger = await stack.persons.contactsOn(PERSON, '2026-03-06', 'messages');
    return { records: records.flat(), ledger };
  } finally {
    await stack.stop();
  }
};

describe.each(['memory', 'dynamodb-local'] as const)("the person's last message of the day (%s)", (store) => {
  it('goes to one of two accounts released together; the other is blocked by the person rule', async () => {
    const { records, ledger } = await race(store);
    const onRaceDay = (e: { at: string }) => localDate(new Date(e.at), ZONE) === '2026-03-06';
    const messages = records.filter((e) => e.kind === 'contact' && e.channel !== 'call');
    expect(messages.length).toBeGreaterThan(0);
    // Every local day, the person got at most their one message, across both accounts.
    const perDay = new Map<string, number>();
    for (const m of messages)
      perDay.set(localDate(new Date(m.at), ZONE), (perDay.get(localDate(new Date(m.at), ZONE)) ?? 0) + 1);
    expect([...perDay.values()].every((n) => n <= 1)).toBe(true);
    expect(messages.filter(onRaceDay)).toHaveLength(1);
    const blocked = records.filter(
      (e) => e.kind === 'contact-blocked' && e.rule === 'us-regf/person-messages-per-day' && onRaceDay(e),
    );
    expect(blocked.length).toBeGreaterThan(0);
    expect(ledger).toHaveLength(1);
  });
});
