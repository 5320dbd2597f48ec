// The runner's person checker, proven on planted records: each rule it holds is broken once on purpose.
import { describe, expect, it } from 'vitest';
import type { RecordEntry } from '../../functions/domain/record';
import { POLICY_PACKS } from '../../policies/built-in-packs';
import { checkPeople, peopleKpis, personTally } from '../../workflows/tools/scenario/person-check';
import type { Scenario } from '../../workflows/tools/scenario/scenario-file';
import { anAccount } from '../support/fixtures';

const us = POLICY_PACKS['us-regf'];
const opened = (accountId: string): Scenario['events'][number] => ({
  at: '2026-01-05T15:00:00Z',
  source: 'bank.core',
  detailType: 'AccountDelinquent',
  detail: { accountId, customer: { customerId: 'CIF-1', timezone: 'America/Chicago' } },
});
const contact = (at: string, channel: 'email' | 'sms' | 'call', contactId: string): RecordEntry => ({
  kind: 'contact',
  at,
  contactId,
  channel,
  template: 'reminder-gentle',
  locale: 'en-US',
  rule: 'us-regf/contact-allowed',
  text: '',
});
const run = (accountId: string, record: RecordEntry[]) => ({ state: anAccount({ accountId }), record });
const events = [opened('A1'), opened('A2')];

describe('the person checker', () => {
  it("flags a third message to the person in the customer's local day, across their accounts", () => {
    const runs = [
      run('A1', [contact('2026-01-06T15:00:00Z', 'email', 'C1'), contact('2026-01-06T20:00:00Z', 'sms', 'C2')]),
      // 23:30 in Chicago, still 2026-01-06 there.
      run('A2', [contact('2026-01-07T05:30:00Z', 'email', 'C1')]),
    ];
    expect(checkPeople(events, runs, us)).toEqual([
      {
        accountId: 'CIF-1',
        rule: 'person-messages-per-day',
        at: '2026-01-07T05:30:00Z',
        detail: '3 messages to person CIF-1 on 2026-01-06, the pack allows 2',
      },
    ]);
    expect(peopleKpis(personTally(events, runs))).toEqual({
      people: 1,
      accountsPerPerson: 2,
      maxContactsPerPersonDay: 3,
      personCapBlocks: 0,
    });
  });

  it('leaves alone the same contacts to two people', () => {
    const runs = [
      run('A1', [contact('2026-01-06T15:00:00Z', 'email', 'C1'), contact('2026-01-06T20:00:00Z', 'sms', 'C2')]),
      run('B1', [contact('2026-01-06T21:00:00Z', 'email', 'C1')]),
    ];
    expect(checkPeople(events, runs, us)).toEqual([]);
    expect(peopleKpis(personTally(events, runs))).toMatchObject({ people: 2, accountsPerPerson: 1 });
  });

  it('flags a contact on any account of the person after a cease or an opt-out naming the person', () => {
    const personal = [
      ...events,
      {
        at: '2026-01-08T15:00:00Z',
        source: 'collections.customer',
        detailType: 'ChannelOptOut',
        detail: { customerId: 'CIF-1', channel: 'sms' },
      },
      {
        at: '2026-01-10T15:00:00Z',
        source: 'collections.customer',
        detailType: 'CeaseCommunication',
        detail: { customerId: 'CIF-1' },
      },
    ];
    const runs = [
      run('A1', [contact('2026-01-09T15:00:00Z', 'email', 'C1'), contact('2026-01-09T16:00:00Z', 'sms', 'C2')]),
      run('A2', [contact('2026-01-11T15:00:00Z', 'call', 'C1')]),
    ];
    expect(checkPeople(personal, runs, us).map((v) => [v.accountId, v.rule, v.at])).toEqual([
      ['A1', 'person-opt-out', '2026-01-09T16:00:00Z'],
      ['A2', 'person-cease', '2026-01-11T15:00:00Z'],
    ]);
  });

  it('holds a cease naming the person on an account only while it is theirs: joined later, or moved away', () => {
    const named = (at: string, accountId: string, customerId: string) => ({
      at,
      source: 'bank.core',
      detailType: 'AccountUpdated',
      detail: { accountId, customer: { customerId } },
    });
    const personal = [
      ...events,
      named('2026-01-07T15:00:00Z', 'A2', 'CIF-2'),
      { ...opened('J1'), detail: { accountId: 'J1', customer: { timezone: 'America/Chicago' } } },
      { at: '2026-01-08T15:00:00Z', source: 'x', detailType: 'CeaseCommunication', detail: { customerId: 'CIF-1' } },
      named('2026-01-10T15:00:00Z', 'J1', 'CIF-1'),
    ];
    const runs = [
      run('A2', [contact('2026-01-09T15:00:00Z', 'email', 'C1')]),
      run('J1', [contact('2026-01-09T15:00:00Z', 'email', 'C1'), contact('2026-01-11T15:00:00Z', 'sms', 'C2')]),
    ];
    expect(checkPeople(personal, runs, us).map((v) => [v.accountId, v.rule, v.at])).toEqual([
      ['J1', 'person-cease', '2026-01-11T15:00:00Z'],
    ]);
  });

  it("flags a split that does not add up to the payment, and a part not applied as the account's payment", () => {
    const paid = {
      at: '2026-01-09T15:00:00Z',
      source: 'bank.core',
      detailType: 'PaymentPosted',
      detail: { customerId: 'CIF-1', paymentId: 'P1', amount: 10_000, currency: 'USD' },
    };
    const split: RecordEntry = {
      kind: 'payment-allocated',
      at: '2026-01-09T15:00:00Z',
      paymentId: 'P1',
      customerId: 'CIF-1',
      parts: [
        { accountId: 'A1', amount: 9000, paymentId: 'P1-A1' },
        { accountId: 'A2', amount: 500, paymentId: 'P1-A2' },
      ],
    };
    const payment = (paymentId: string, amount: number): RecordEntry => ({
      kind: 'payment',
      at: '2026-01-09T15:00:00Z',
      paymentId,
      amount,
      receivedAt: '2026-01-09T15:00:00Z',
    });
    const runs = [run('A1', [payment('P1-A1', 9000), split]), run('A2', [])];
    expect(checkPeople([...events, paid], runs, us).map((v) => [v.accountId, v.rule])).toEqual([
      ['CIF-1', 'allocation-sum'],
      ['A2', 'allocation-applied'],
    ]);
  });

  it("flags a contact on any of the person's accounts after one of them closed bankrupt", () => {
    const closed: RecordEntry = { kind: 'closed', at: '2026-01-08T15:00:00Z', reason: 'bankrupt' };
    const runs = [
      run('A1', [closed]),
      run('A2', [contact('2026-01-08T14:00:00Z', 'email', 'C1'), contact('2026-01-09T15:00:00Z', 'sms', 'C2')]),
    ];
    expect(checkPeople(events, runs, us).map((v) => [v.accountId, v.rule, v.at])).toEqual([
      ['A2', 'person-stopped', '2026-01-09T15:00:00Z'],
    ]);
  });

  it('lets contact resume once the bank says the person is not bankrupt after all', () => {
    const closed: RecordEntry = { kind: 'closed', at: '2026-01-08T15:00:00Z', reason: 'bankrupt' };
    const cleared = {
      at: '2026-01-10T15:00:00Z',
      source: 'bank.core',
      detailType: 'AccountUpdated',
      detail: { accountId: 'A1', flags: { bankrupt: false } },
    };
    const runs = [
      run('A1', [closed]),
      run('A2', [contact('2026-01-09T15:00:00Z', 'sms', 'C1'), contact('2026-01-11T15:00:00Z', 'sms', 'C2')]),
    ];
    expect(checkPeople([...events, cleared], runs, us).map((v) => [v.accountId, v.rule, v.at])).toEqual([
      ['A2', 'person-stopped', '2026-01-09T15:00:00Z'],
    ]);
  });

  it('accepts parts adding up to less than the payment only when no account of the person in it was open', () => {
    const split: RecordEntry = {
      kind: 'payment-allocated',
      at: '2026-01-09T15:00:00Z',
      paymentId: 'P2',
      customerId: 'CIF-1',
      parts: [{ accountId: 'A1', amount: 100, paymentId: 'P2-A1' }],
    };
    const paid = {
      at: '2026-01-09T15:00:00Z',
      source: 'bank.core',
      detailType: 'PaymentPosted',
      detail: { customerId: 'CIF-1', paymentId: 'P2', amount: 102, currency: 'USD' },
    };
    const payment: RecordEntry = {
      kind: 'payment',
      at: '2026-01-09T15:00:00Z',
      paymentId: 'P2-A1',
      amount: 100,
      receivedAt: '2026-01-09T15:00:00Z',
    };
    const closed = (at: string): RecordEntry => ({ kind: 'closed', at, reason: 'bankrupt' });
    const check = (a1: RecordEntry[]) =>
      checkPeople([...events, paid], [run('A1', a1), run('A2', [closed('2026-01-08T15:00:00Z')])], us).map(
        (v) => v.rule,
      );
    expect(check([payment, closed('2026-01-09T15:00:00Z'), split])).toEqual([]);
    expect(check([payment, split])).toEqual(['allocation-sum']);
    expect(check([payment, closed('2026-01-09T15:00:00Z'), split, split])).toEqual(['allocation-announced']);
  });
});
