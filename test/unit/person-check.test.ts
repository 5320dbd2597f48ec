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

  it("flags a split that does not add up to the payment, and a part not applied as the account's payment", () => {
    const paid = {
      at: '2026-01-09T15:00:00Z',
      source: 'bank.core',
      detailType: 'PaymentPosted',
      detail: { customerId: 'CIF-1', paymentId: 'P1', amount: 10_000 },
    };
    const split: RecordEntry = {
      kind: 'payment-allocated',
      at: '2026-01-09T15:00:00Z',
      paymentId: 'P1',
      customerId: 'CIF-1',
      parts: [
        { accountId: 'A1', amount: 9000 },
        { accountId: 'A2', amount: 500 },
      ],
    };
    const payment = (paymentId: string, amount: number): RecordEntry => ({
      kind: 'payment',
      at: '2026-01-09T15:00:00Z',
      paymentId,
      amount,
      receivedAt: '2026-01-09T15:00:00Z',
    });
    const runs = [run('A1', [payment('P1-A1', 9000), split]), run('A2', [split])];
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

  it("accepts a part refused because its account's cycle had closed when the payment came, and no other", () => {
    const split: RecordEntry = {
      kind: 'payment-allocated',
      at: '2026-01-09T15:00:00Z',
      paymentId: 'P2',
      customerId: 'CIF-1',
      parts: [
        { accountId: 'A1', amount: 100 },
        { accountId: 'A2', amount: 2 },
      ],
    };
    const paid = {
      at: '2026-01-09T15:00:00Z',
      source: 'bank.core',
      detailType: 'PaymentPosted',
      detail: { customerId: 'CIF-1', paymentId: 'P2', amount: 102 },
    };
    const payment: RecordEntry = {
      kind: 'payment',
      at: '2026-01-09T15:00:00Z',
      paymentId: 'P2-A1',
      amount: 100,
      receivedAt: '2026-01-09T15:00:00Z',
    };
    const closed: RecordEntry = { kind: 'closed', at: '2026-01-09T15:00:00Z', reason: 'bankrupt' };
    expect(checkPeople([...events, paid], [run('A1', [payment, split]), run('A2', [closed])], us)).toEqual([]);
    expect(checkPeople([...events, paid], [run('A1', [payment, split]), run('A2', [])], us).map((v) => v.rule)).toEqual(
      ['allocation-applied'],
    );
  });

  describe('one call for all debts', () => {
    const task = (at: string, taskId: string, contactId: string, accountIds?: string[]): RecordEntry => ({
      kind: 'call-task',
      at,
      taskId,
      contactId,
      // 21:00 in Chicago.
      expiresAt: '2026-01-07T03:00:00.000Z',
      ...(accountIds ? { accountIds } : {}),
    });
    const outcome = (at: string, callId: string): RecordEntry => ({
      kind: 'call-outcome',
      at,
      callId,
      outcome: 'no-answer',
    });
    const call = (at: string, contactId: string, accountIds: string[]): RecordEntry => ({
      ...(contact(at, 'call', contactId) as Extract<RecordEntry, { kind: 'contact' }>),
      accountIds,
    });

    it('flags a task made for the person while another of theirs is open, and accepts the next after the dial', () => {
      const runs = [
        run('A1', [task('2026-01-06T15:00:00Z', 'T1', 'C1'), outcome('2026-01-06T20:00:00Z', 'T1')]),
        run('A2', [task('2026-01-06T17:00:00Z', 'T2', 'C1'), task('2026-01-06T21:00:00Z', 'T3', 'C2')]),
      ];
      expect(checkPeople(events, runs, us)).toEqual([
        {
          accountId: 'A2',
          rule: 'person-one-call-task',
          at: '2026-01-06T17:00:00Z',
          detail: 'call task T2 made for person CIF-1 while their task T1 was open (until 2026-01-06T20:00:00.000Z)',
        },
        {
          accountId: 'A2',
          rule: 'person-one-call-task',
          at: '2026-01-06T21:00:00Z',
          detail: 'call task T3 made for person CIF-1 while their task T2 was open (until 2026-01-07T03:00:00.000Z)',
        },
      ]);
    });

    it("accepts one task listing both accounts, dialled once, and counts the call once toward the person's cap", () => {
      const runs = [
        run('A1', [
          task('2026-01-06T15:00:00Z', 'T1', 'C1', ['A1']),
          call('2026-01-06T20:00:00Z', 'C1', ['A1', 'A2']),
          outcome('2026-01-06T20:00:00Z', 'T1'),
          contact('2026-01-06T21:00:00Z', 'call', 'C2'),
        ]),
        run('A2', [
          task('2026-01-06T17:00:00Z', 'T1', 'C1', ['A1', 'A2']),
          call('2026-01-06T20:00:00Z', 'C1', ['A1', 'A2']),
          outcome('2026-01-06T20:00:00Z', 'T1'),
        ]),
      ];
      // Two calls to the person that day (the pack allows 2): the one on both accounts, and A1's own.
      expect(checkPeople(events, runs, us)).toEqual([]);
      expect(peopleKpis(personTally(events, runs)).maxContactsPerPersonDay).toBe(2);
    });
  });
});
