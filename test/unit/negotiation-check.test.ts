// The runner's §3.15–3.18 checker on plain records: each rule is shown to bite on a planted breach and to stay
// silent on the same record done right.
import { describe, expect, it } from 'vitest';
import type { PlanTerm } from '../../functions/domain/account';
import type { RecordEntry } from '../../functions/domain/record';
import { POLICY_PACKS } from '../../policies/built-in-packs';
import { checkNegotiation } from '../../workflows/tools/scenario/negotiation-check';
import { anAccount } from '../support/fixtures';

const us = POLICY_PACKS['us-regf'];
const until = new Date('2026-08-01T00:00:00Z');
const rules = (record: RecordEntry[], pack = us, state = anAccount()) =>
  checkNegotiation({ state, record }, pack, until).map((v) => v.rule);

const contact = (at: string, text = 'text', template = 'reminder-firm'): RecordEntry => ({
  kind: 'contact',
  at,
  contactId: `C-${at}`,
  channel: 'email',
  template,
  locale: 'en-US',
  rule: 'test',
  text,
});
const terms = (...counts: number[]): PlanTerm[] =>
  counts.map((instalments) => ({ instalments, monthlyAmount: 1, interestFrozen: true, feeWaived: 0 }));
const reason: RecordEntry = { kind: 'reason', at: '2026-03-10T02:00:00.000Z', reasonId: 'R1', reason: 'job-loss' };
const offer = (at: string, counts = [3, 6, 12]): RecordEntry => ({
  kind: 'plan-offered',
  at,
  planId: 'PL',
  terms: terms(...counts),
});

describe('negotiation checker (docs/contract.md §3.15–3.18)', () => {
  it('§3.18: an email without the pay link, where the deployment has one', () => {
    const pack = { ...us, payUrl: 'https://pay.example/p?a={accountId}&amount={amount}' };
    expect(rules([contact('2026-01-06T15:00:00.000Z', 'Pay now: https://pay.example/p?a=A1&amount=5')], pack)).toEqual(
      [],
    );
    expect(rules([contact('2026-01-06T15:00:00.000Z', 'no link here')], pack)).toEqual(['pay-link']);
    expect(rules([contact('2026-01-06T15:00:00.000Z', 'no link here')])).toEqual([]);
  });

  it('§3.15: contacted within a day of a hardship reason but offered no plan, or none of the longest term', () => {
    expect(rules([reason, contact('2026-03-10T15:00:00.000Z')])).toEqual(['hardship-plan-within-1-day']);
    expect(rules([reason, offer('2026-03-10T14:00:00.000Z')])).toEqual([]);
    expect(rules([reason, offer('2026-03-10T14:00:00.000Z', [3, 6])])).toEqual(['hardship-plan-terms']);
  });

  it('§3.15: escalated past senior-collector while the hardship plan is on offer', () => {
    const final: RecordEntry = {
      kind: 'escalated',
      at: '2026-04-01T05:00:00.000Z',
      level: 2,
      to: 'final-notice',
      rule: 'x',
    };
    expect(rules([reason, offer('2026-03-10T14:00:00.000Z'), final])).toEqual(['hardship-escalation-hold']);
    const taken: RecordEntry = {
      kind: 'plan-accepted',
      at: '2026-03-12T14:00:00.000Z',
      planId: 'PL',
      instalments: 12,
      monthlyAmount: 1,
    };
    expect(rules([reason, offer('2026-03-10T14:00:00.000Z'), taken, final])).toEqual([]);
  });

  it("§3.15: reads one second in the record's order: a reason applied after the escalation did not hold it", () => {
    const sameSecond: RecordEntry = { kind: 'escalated', at: reason.at, level: 4, to: 'legal-review', rule: 'x' };
    expect(rules([reason, sameSecond])).toEqual(['hardship-escalation-hold']);
    expect(rules([sameSecond, reason])).toEqual([]);
  });

  it('§3.16, §11.2.20: closed as settled without the sum paid, accepted or not', () => {
    const offered: RecordEntry = {
      kind: 'settlement-offered',
      at: '2026-05-01T13:00:00.000Z',
      settlementId: 'S',
      amount: 150_000,
      currency: 'USD',
      validUntil: '2026-05-15',
    };
    const accepted: RecordEntry = {
      kind: 'settlement-accepted',
      at: '2026-05-02T13:00:00.000Z',
      settlementId: 'S',
      amount: 150_000,
    };
    const pay = (amount: number): RecordEntry => ({
      kind: 'payment',
      at: '2026-05-03T13:00:00.000Z',
      paymentId: 'P',
      amount,
      receivedAt: '2026-05-03T13:00:00.000Z',
    });
    const closed: RecordEntry = { kind: 'closed', at: '2026-05-03T14:00:00.000Z', reason: 'settled' };
    const off: RecordEntry = {
      kind: 'written-off',
      at: closed.at,
      amount: 100_000,
      currency: 'USD',
      reason: 'settlement',
    };
    expect(rules([offered, accepted, pay(150_000), closed, off])).toEqual([]);
    expect(rules([offered, accepted, pay(100_000), closed, off])).toEqual(['settled-unpaid']);
    // Paid through the offer's own pay link without pressing Accept: settled all the same.
    expect(rules([offered, pay(150_000), closed, off])).toEqual([]);
    expect(rules([offered, pay(100_000), closed, off])).toEqual(['settled-unpaid']);
    // A payment posted before the offer counts nothing toward it.
    expect(rules([offered, { ...pay(150_000), at: '2026-04-30T13:00:00.000Z' }, closed, off])).toEqual([
      'settled-unpaid',
    ]);

    // The sum reached while the offer was valid, and then the cycle closed otherwise or the settlement lapsed.
    const cured: RecordEntry = { ...closed, reason: 'cured' };
    const lapsed: RecordEntry = {
      kind: 'settlement-lapsed',
      at: '2026-05-16T05:00:00.000Z',
      settlementId: 'S',
      paid: 150_000,
    };
    expect(rules([offered, pay(150_000), cured])).toEqual(['settlement-reached-not-settled']);
    expect(rules([offered, pay(150_000), lapsed])).toEqual(['settlement-reached-not-settled']);
    expect(rules([offered, pay(100_000), cured])).toEqual([]);
    expect(rules([offered, pay(50_000), lapsed])).toEqual([]);
  });

  it('§3.17: an instalment reminder while the bank debits it; allowed once the retry failed', () => {
    const autopay: RecordEntry = {
      kind: 'plan-accepted',
      at: '2026-01-10T16:00:00.000Z',
      planId: 'PL1',
      instalments: 3,
      monthlyAmount: 30_000,
      autopay: true,
    };
    const reminder = contact('2026-02-07T15:00:00.000Z', 'text', 'instalment-due');
    expect(rules([autopay, reminder])).toEqual(['reminder-during-debit']);
    const retryFailed: RecordEntry = {
      kind: 'payment-failed',
      at: '2026-02-06T15:00:00.000Z',
      paymentId: 'PL1-I1-R1',
      amount: 30_000,
      reason: 'insufficient funds',
    };
    expect(rules([autopay, retryFailed, reminder])).toEqual([]);
    expect(rules([{ ...autopay, autopay: undefined } as RecordEntry, reminder])).toEqual([]);
  });
});
