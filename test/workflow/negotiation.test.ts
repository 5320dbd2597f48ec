// docs/contract.md §3.15–3.18 on the real local stack: hardship answered with a plan, settlements paid or lapsed,
// autopay debits with a failure and its retry, the pay link in every message. Scenarios in test/scenarios.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { account, contacts, DAY, entries, ms, OUR_SCENARIOS, run } from '../support/scenarios';

const file = (name: string) => path.join(OUR_SCENARIOS, `${name}.json`);

describe('§3.16 settlements', () => {
  it('settlement-paid-settled: offered at 120 days, accepted and paid: settled, the rest written off', async () => {
    // In-process store: the slow part of this 150-day run; the debit test below takes the DynamoDB Local path.
    const { result } = await run(file('settlement-paid-settled'), { store: 'memory' });
    const a = account(result.accounts, 'S1');
    expect(result.violations).toEqual([]);
    expect([a.status, a.closeReason, a.balance, a.collected]).toEqual(['closed', 'settled', 0, 150_000]);
    // `latest` before any settlement was offered names none: rejected with the reason (docs/contract.md §10.6).
    expect(result.rejected).toEqual([
      {
        index: 1,
        detailType: 'SettlementAccepted',
        reason: 'settlementId: "latest" but no settlement has been offered to account S1 yet',
      },
    ]);
    const [offered] = entries(a, 'settlement-offered');
    // 2,500.00 USD less 40%, valid 14 days from 2026-05-01 (120 days past due in Chicago).
    expect(offered).toMatchObject({ amount: 150_000, currency: 'USD', validUntil: '2026-05-15' });
    expect(result.kpis).toMatchObject({ settled: 1, writtenOff: 100_000, settlementsAccepted: 1 });
    // §3.18: every email and SMS carries the pay link with the amount to pay now.
    const written = contacts(a).filter((c) => c.channel !== 'call');
    expect(written.length).toBeGreaterThan(10);
    for (const c of written)
      expect(c.text).toMatch(
        /Pay now: https:\/\/pay\.bank\.example\/pay\?account=S1&amount=\d+&currency=USD&ref=[\w-]{22}/,
      );
    expect(written.find((c) => c.template === 'settlement-offer')!.text).toContain('amount=150000&');
    expect(written[0]!.text).toContain('amount=12000&');
  });

  it(
    "settlement-paid-by-link-unaccepted: the sum paid through the offer's pay link, never accepted, settles the " +
      'debt: settled, not cured with 1,000.00 left (L1, 1,200.00 overdue), nor lapsed and chased (L2, 1,750.00)',
    async () => {
      const { result } = await run(file('settlement-paid-by-link-unaccepted'), { store: 'memory' });
      expect(result.violations).toEqual([]);
      for (const id of ['L1', 'L2']) {
        const a = account(result.accounts, id);
        const offer = contacts(a).find((c) => c.template === 'settlement-offer')!;
        expect(offer.text).toContain('amount=150000&');
        expect(entries(a, 'settlement-accepted')).toEqual([]);
        expect(entries(a, 'settlement-lapsed')).toEqual([]);
        expect([a.status, a.closeReason, a.balance, a.collected]).toEqual(['closed', 'settled', 0, 150_000]);
        expect(entries(a, 'closed')[0]!.at).toBe('2026-05-06T15:00:00.000Z');
      }
      // What each lump sum left of the 2,500.00 balance is written off (BalanceWrittenOff), not left on the card.
      expect(result.kpis).toMatchObject({ settled: 2, cured: 0, writtenOff: 200_000, settlementsAccepted: 0 });
    },
  );

  it('settlement-unpaid-lapses: short of the sum by its last day it lapses; reminders and ladder resume', async () => {
    const { result } = await run(file('settlement-unpaid-lapses'), { store: 'memory' });
    const a = account(result.accounts, 'S2');
    expect(result.violations).toEqual([]);
    const [lapsed] = entries(a, 'settlement-lapsed');
    // Valid 10 days under cn: last day 2026-04-11, lapsing in the first hour after it in Shanghai (00:40:01).
    expect(lapsed).toMatchObject({ at: '2026-04-11T16:40:01.000Z', paid: 20_000 });
    const accepted = ms(entries(a, 'settlement-accepted')[0]!.at);
    const paused = contacts(a).filter((c) => ms(c.at) > accepted && ms(c.at) < ms(lapsed!.at));
    expect(paused).toEqual([]);
    expect(contacts(a).some((c) => ms(c.at) > ms(lapsed!.at) && ms(c.at) < ms(lapsed!.at) + 2 * DAY)).toBe(true);
    expect(entries(a, 'escalated').map((e) => e.to)).toContain('final-notice');
    expect(a.status).toBe('open');
    // The acceptance is confirmed by letter, as a plan is.
    expect(entries(a, 'letter').map((e) => e.template)).toContain('settlement-confirmation');
  });
});

describe('§3.15 reasons', () => {
  it('hardship-reason-plan-within-a-day: job loss brings the 12-month plan in a day and holds the ladder', async () => {
    const { result } = await run(file('hardship-reason-plan-within-a-day'), { store: 'memory' });
    const a = account(result.accounts, 'H1');
    expect(result.violations).toEqual([]);
    const reason = entries(a, 'reason')[0]!;
    const offer = entries(a, 'plan-offered').find((o) => ms(o.at) >= ms(reason.at))!;
    expect(ms(offer.at) - ms(reason.at)).toBeLessThanOrEqual(DAY);
    expect(offer.terms).toContainEqual(expect.objectContaining({ instalments: 12 }));
    // 90 days past due came on 2026-04-01 with the offer still open: no final notice, no agency.
    expect(entries(a, 'escalated').map((e) => e.to)).toEqual(['senior-collector']);
  });
});

describe('§3.17 autopay', () => {
  it('autopay-debit-failed-then-retried: debits on each due day, a failure retried 3 days on', async () => {
    const { result } = await run(file('autopay-debit-failed-then-retried'));
    const a = account(result.accounts, 'D1');
    expect(result.violations).toEqual([]);
    expect(entries(a, 'debit-requested').map((d) => [d.paymentId, d.at])).toEqual([
      ['2026-01-PL1-I1', '2026-02-10T06:37:47.000Z'],
      ['2026-01-PL1-I2', '2026-03-10T05:37:47.000Z'],
      ['2026-01-PL1-I2-R1', '2026-03-13T05:37:47.000Z'],
      ['2026-01-PL1-I3', '2026-04-10T05:37:47.000Z'],
    ]);
    expect(entries(a, 'payment-failed')).toHaveLength(1);
    // `debit:1` before any debit was asked for names none: rejected with the reason (docs/contract.md §10.6).
    expect(result.rejected).toEqual([
      { index: 2, detailType: 'PaymentPosted', reason: 'paymentId: "debit:1" but account D1 has 0 debit(s) requested' },
    ]);
    expect(contacts(a).filter((c) => c.template === 'instalment-due')).toEqual([]);
    expect([a.status, a.closeReason]).toEqual(['closed', 'plan-completed']);
  });
});

describe('found by generated scenarios (npm run fuzz)', () => {
  it('promise-unsettled-settlement-accepted: a promise open as a settlement is accepted is still settled', async () => {
    const { result } = await run(file('promise-unsettled-settlement-accepted'), {
      store: 'memory',
      faultRate: 0.05,
      seed: 777,
    });
    const f1 = account(result.accounts, 'F1');
    expect(entries(f1, 'settlement-accepted')).toHaveLength(1);
    expect(entries(f1, 'ptp-broken').map((e) => e.promiseId)).toEqual(['F1E1']);
    expect(result.violations).toEqual([]);
  });

  it(
    'hardship-reason-after-escalation-same-second: a job-loss reason in the same second as a recall, applied ' +
      'after the escalation it set off, is no breach of the hold',
    async () => {
      const { result } = await run(file('hardship-reason-after-escalation-same-second'), {
        store: 'memory',
        faultRate: 0.05,
        seed: 120726,
      });
      const f1 = account(result.accounts, 'F1');
      const kinds = f1.timeline.filter((e) => ['recalled', 'escalated', 'reason'].includes(e.kind)).map((e) => e.kind);
      // The recall wakes the ladder's overdue rung first; the reason arrives after it within the second.
      expect(kinds.slice(-3)).toEqual(['recalled', 'escalated', 'reason']);
      expect(result.violations).toEqual([]);
    },
  );
});
