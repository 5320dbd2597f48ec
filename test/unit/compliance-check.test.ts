// The runner's docs/contract.md §3 checker on plain records: silent on a compliant cycle, and each breach
// named by its rule. Every "no violations" assertion elsewhere depends on this checker seeing them.
import { describe, expect, it } from 'vitest';
import type { Channel } from '../../functions/domain/channels';
import { POLICY_PACKS } from '../../policies/built-in-packs';
import type { RecordEntry } from '../../functions/domain/record';
import fc from 'fast-check';
import { checkAccount, checkNoPii, PiiScanner } from '../../workflows/tools/scenario/compliance-check';
import type { AccountRun } from '../../workflows/tools/scenario/violation';
import { anAccount } from '../support/fixtures';

const us = POLICY_PACKS['us-regf'];
const until = new Date('2026-02-01T00:00:00Z');
const GOOD_TEXT =
  'Your card account is 5 days past due. Please pay 120.00 USD by 2026-01-12. A penalty APR of 29.99% applies.';

// America/Chicago is UTC-6 in winter: 15:00Z is 09:00 local.
const contact = (
  at: string,
  channel: Channel = 'email',
  extra: Partial<Extract<RecordEntry, { kind: 'contact' }>> = {},
): RecordEntry => ({
  kind: 'contact',
  at,
  contactId: `C-${at}-${channel}`,
  channel,
  template: 'reminder-gentle',
  locale: 'en-US',
  rule: 'test',
  text: GOOD_TEXT,
  ...extra,
});
const started: RecordEntry = { kind: 'started', at: '2026-01-05T06:00:00.000Z', amountDue: 12_000, balance: 250_000 };
const payment: RecordEntry = {
  kind: 'payment',
  at: '2026-01-09T15:00:00.000Z',
  paymentId: 'P1',
  amount: 12_000,
  receivedAt: '2026-01-09T15:00:00.000Z',
};
const cured: RecordEntry = { kind: 'closed', at: '2026-01-09T16:00:00.000Z', reason: 'cured' };
/** The ledger's entries beside them (docs/contract.md §3.19): opened at 2,500.00 with 120.00 due, then the payment. */
const booked = (entry: Extract<RecordEntry, { kind: 'ledger' }>['entry']): RecordEntry => ({
  kind: 'ledger',
  at: entry.at,
  entry,
});
const opened = booked({ at: started.at, kind: 'opened', amount: 250_000, balance: 250_000, amountDue: 12_000 });
const paid = booked({
  at: payment.at,
  kind: 'payment',
  amount: -12_000,
  balance: 238_000,
  amountDue: 0,
  paymentId: 'P1',
});

/** A compliant cured cycle: contacted the next morning, paid on day 8, closed an hour later. */
const curedRun = (more: RecordEntry[] = []): AccountRun => ({
  state: anAccount({
    status: 'closed',
    closeReason: 'cured',
    closedAt: cured.at,
    balance: 238_000,
    amountDue: 0,
    overdue: 12_000,
    collected: 12_000,
  }),
  record: [started, opened, contact('2026-01-06T15:00:00.000Z'), payment, paid, cured, ...more].sort((a, b) =>
    a.at.localeCompare(b.at),
  ),
});
const rules = (run: AccountRun, at = until) => checkAccount(run, us, at).map((v) => v.rule);

describe('compliance checker (docs/contract.md §3)', () => {
  it('finds nothing wrong with a compliant cycle', () => {
    expect(rules(curedRun())).toEqual([]);
  });

  it('flags a contact outside 08:00–21:00 in the customer’s zone', () => {
    expect(rules(curedRun([contact('2026-01-07T03:00:00.000Z')]))).toEqual(['contact-hours']);
  });

  it('flags the eighth call within seven days, and a call within seven days of a conversation', () => {
    const calls = ['06', '07', '08', '09'].flatMap((d) => [
      contact(`2026-01-${d}T14:00:00.000Z`, 'call'),
      contact(`2026-01-${d}T14:30:00.000Z`, 'call'),
    ]);
    expect(rules(curedRun(calls))).toEqual(['call-cap']);
    const conversation: RecordEntry = {
      kind: 'call-outcome',
      at: '2026-01-06T16:00:00.000Z',
      callId: 'K1',
      outcome: 'right-party',
    };
    expect(rules(curedRun([conversation, contact('2026-01-08T15:00:00.000Z', 'call')]))).toEqual([
      'call-after-conversation',
    ]);
  });

  it('flags a third call or text in seven days to a US-MA customer, and not to others', () => {
    const three = [
      contact('2026-01-06T16:00:00.000Z', 'call'),
      contact('2026-01-07T16:00:00.000Z', 'sms'),
      contact('2026-01-08T16:00:00.000Z', 'call'),
    ];
    const run = curedRun(three);
    expect(checkAccount({ ...run, state: { ...run.state, region: 'US-MA' } }, us, until).map((v) => v.rule)).toEqual([
      'US-MA/calls-and-texts-2-in-7',
    ]);
    expect(rules(run)).toEqual([]);
  });

  it('flags contact after an opt-out on that channel, after cease, during a dispute and after the close', () => {
    expect(
      rules(
        curedRun([
          { kind: 'opt-out', at: '2026-01-06T16:00:00.000Z', channel: 'sms' },
          contact('2026-01-07T15:00:00.000Z', 'sms'),
          contact('2026-01-07T15:30:00.000Z', 'email'),
        ]),
      ),
    ).toEqual(['opt-out']);
    expect(
      rules(curedRun([{ kind: 'cease', at: '2026-01-06T16:00:00.000Z' }, contact('2026-01-07T15:00:00.000Z')])),
    ).toEqual(['cease']);
    expect(
      rules(
        curedRun([
          { kind: 'dispute-opened', at: '2026-01-06T16:00:00.000Z', disputeId: 'D1' },
          contact('2026-01-07T15:00:00.000Z'),
          { kind: 'dispute-resolved', at: '2026-01-08T15:00:00.000Z', disputeId: 'D1', outcome: 'rejected' },
          contact('2026-01-08T16:00:00.000Z'),
        ]),
      ),
    ).toEqual(['dispute-hold']);
    expect(rules(curedRun([contact('2026-01-10T15:00:00.000Z')]))).toEqual(['after-close']);
  });

  it('flags a reminder that lacks what it must state, or is not in the customer’s language', () => {
    expect(
      rules(
        curedRun([
          contact('2026-01-07T15:00:00.000Z', 'email', {
            text: 'Please pay by 2026-01-12. 5 days past due. APR 29.99%.',
          }),
        ]),
      ),
    ).toEqual(['reminder-content']);
    expect(rules(curedRun([contact('2026-01-07T15:00:00.000Z', 'email', { locale: 'zh-CN' })]))).toEqual([
      'reminder-locale',
      'reminder-content',
    ]);
  });

  it('flags a reminder during a promise’s pause', () => {
    const promise: RecordEntry = {
      kind: 'ptp-made',
      at: '2026-01-06T16:00:00.000Z',
      promiseId: 'PTP1',
      amount: 12_000,
      dueDate: '2026-01-10',
    };
    expect(rules(curedRun([promise, contact('2026-01-08T15:00:00.000Z')]))).toEqual(['promise-pause']);
  });

  it('flags a close more than a day after the curing payment, and no attempt within three days', () => {
    const late: RecordEntry = { kind: 'closed', at: '2026-01-11T15:00:00.000Z', reason: 'cured' };
    expect(
      rules({ ...curedRun(), record: [started, opened, contact('2026-01-06T15:00:00.000Z'), payment, paid, late] }),
    ).toEqual(['cure-close-late']);
    expect(rules({ ...curedRun(), record: [started, opened, payment, paid, cured] })).toEqual(['first-contact']);
  });

  it('times the cure close from when the payment arrived, not from when it was posted', () => {
    // Posted on the 7th, delivered on the 9th at 15:00, closed an hour later: on time.
    const postedEarly: RecordEntry = { ...payment, at: '2026-01-07T10:00:00.000Z' } as RecordEntry;
    expect(
      rules({
        ...curedRun(),
        record: [started, opened, contact('2026-01-06T15:00:00.000Z'), postedEarly, paid, cured],
      }),
    ).toEqual([]);
    const lateClose: RecordEntry = { kind: 'closed', at: '2026-01-10T16:00:01.000Z', reason: 'cured' };
    expect(
      rules({
        ...curedRun(),
        record: [started, opened, contact('2026-01-06T15:00:00.000Z'), postedEarly, paid, lateClose],
      }),
    ).toEqual(['cure-close-late']);
  });

  it('flags an open account with no plan offer by 45 days past due, and plans beyond the pack’s limit', () => {
    const open: AccountRun = { state: anAccount(), record: [started, opened, contact('2026-01-06T15:00:00.000Z')] };
    expect(rules(open, new Date('2026-03-01T00:00:00Z'))).toEqual(['plan-offer-by-45']);
    const offer: RecordEntry = {
      kind: 'plan-offered',
      at: '2026-01-07T15:00:00.000Z',
      planId: 'PL1',
      terms: [{ instalments: 24, monthlyAmount: 10_417, interestFrozen: false, feeWaived: 0 }],
    };
    expect(rules(curedRun([offer]))).toEqual(['plan-limits']);
  });

  it('gives an account that arrives disputed near 45 days past due three days from the dispute’s end', () => {
    // 44 days past due on arrival; the dispute holds contact past the plan deadline (2026-01-07 in Chicago).
    const state = anAccount({ dueDate: '2025-11-22' });
    const held: RecordEntry[] = [
      started,
      opened,
      { kind: 'dispute-opened', at: '2026-01-05T06:01:00.000Z', disputeId: 'D1' },
      { kind: 'dispute-resolved', at: '2026-01-08T06:00:00.000Z', disputeId: 'D1', outcome: 'rejected' },
    ];
    const offer: RecordEntry = {
      kind: 'plan-offered',
      at: '2026-01-08T15:00:00.000Z',
      planId: 'PL1',
      terms: [{ instalments: 6, monthlyAmount: 2_000, interestFrozen: false, feeWaived: 0 }],
    };
    const checkedAt = new Date('2026-01-20T00:00:00Z');
    expect(rules({ state, record: [...held, offer] }, checkedAt)).toEqual([]);
    expect(rules({ state, record: [...held, { ...offer, at: '2026-01-12T15:00:00.000Z' }] }, checkedAt)).toEqual([
      'plan-offer-by-45',
    ]);
  });

  it('flags escalation that falls back, and a charge-off before 180 days or without escalation', () => {
    const chargedOff: RecordEntry = { kind: 'closed', at: '2026-03-01T15:00:00.000Z', reason: 'charged-off' };
    const offer: RecordEntry = {
      kind: 'plan-offered',
      at: '2026-01-07T15:00:00.000Z',
      planId: 'PL1',
      terms: [{ instalments: 6, monthlyAmount: 2_000, interestFrozen: false, feeWaived: 0 }],
    };
    const run: AccountRun = {
      state: anAccount({ status: 'closed', closeReason: 'charged-off', closedAt: chargedOff.at }),
      record: [
        started,
        opened,
        contact('2026-01-06T15:00:00.000Z'),
        offer,
        booked({ at: chargedOff.at, kind: 'charged-off', amount: 0, balance: 250_000, amountDue: 12_000 }),
        chargedOff,
      ],
    };
    expect(rules(run, new Date('2026-04-01T00:00:00Z'))).toEqual(['charge-off-early', 'charge-off-unescalated']);
    const down: RecordEntry[] = [
      { kind: 'escalated', at: '2026-01-07T15:00:00.000Z', level: 2, to: 'final-notice', rule: 'test' },
      { kind: 'escalated', at: '2026-01-08T15:00:00.000Z', level: 1, to: 'senior-collector', rule: 'test' },
    ];
    expect(rules(curedRun(down))).toEqual(['escalation-order']);
  });

  it('finds a customer’s name, email or phone wherever it leaked', () => {
    const leaks = checkNoPii(['Ana Diaz', 'ana@example.com', '+13125550100'], {
      logs: [{ message: 'hello Ana Diaz' }],
      eventsOut: [{ accountId: 'A1' }],
    });
    expect(leaks).toEqual([{ accountId: '-', rule: 'pii-leak', at: '-', detail: 'logs contains An…' }]);
  });
});

describe('finding PII in one pass', () => {
  it('looks at each line as it is written and reports each leak once per place', () => {
    const scanner = new PiiScanner(['Ana Diaz', 'ana@example.com', '+13125550100', 'Bo']);
    scanner.scan('logs', { message: 'sent', accountId: 'A1' });
    scanner.scan('logs', { message: 'hello Ana Diaz' });
    scanner.scan('logs', { message: 'again Ana Diaz' });
    scanner.scan('events out', { detail: { to: '+13125550100' } });
    // Needles under four characters are not looked for: too many false alarms.
    scanner.scan('events out', { detail: { note: 'Bo' } });
    expect(scanner.violations()).toEqual([
      { accountId: '-', rule: 'pii-leak', at: '-', detail: 'logs contains An…' },
      { accountId: '-', rule: 'pii-leak', at: '-', detail: 'events out contains +1…' },
    ]);
  });

  it('finds exactly the needles String.includes finds, for any text and needles', () => {
    const alphabet = fc.constantFrom('a', 'b', 'A', ' ', '@', '+', '1', '王', '芳');
    const str = (min: number, max: number) =>
      fc.array(alphabet, { minLength: min, maxLength: max }).map((cs) => cs.join(''));
    fc.assert(
      fc.property(str(0, 60), fc.array(str(3, 6), { maxLength: 8 }), (text, needles) => {
        const expected = new Set(needles.filter((n) => text.includes(n)));
        expect(new PiiScanner(needles, 3).search(text)).toEqual(expected);
      }),
      { numRuns: 500 },
    );
  });
});
