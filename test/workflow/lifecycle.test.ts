// Account lifecycle a bank's policy needs (docs/contract.md §3.14), run through the real local stack:
// agency placement and recall, re-aging after a workout, pre-due courtesy reminders.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { account, contacts, entries, ms, OUR_SCENARIOS, run } from '../support/scenarios';
// The lifecycle's rules are the workflow's: they run on the in-process store (proven the same as DynamoDB's by the
// store contract tests), except the second cycle, whose create-once opening is the table's to keep.

const file = (name: string) => path.join(OUR_SCENARIOS, `${name}.json`);

describe('agency placement and recall', () => {
  it('stops our contact at placement, still counts payments, resumes contact under the policy on recall', async () => {
    const { result, artifacts } = await run(file('agency'), { store: 'memory' });
    const g1 = account(result.accounts, 'G1');
    const [placed] = entries(g1, 'placed');
    const [recalled] = entries(g1, 'recalled');
    // At 120 days past due the settlement goes first (at G1's own time, 20:57:02 in Chicago: §10.5), then the
    // account is placed (docs/contract.md §3.16).
    const [offered] = entries(g1, 'settlement-offered');
    expect(offered).toMatchObject({ at: '2026-05-02T01:57:02.000Z' });
    expect(placed).toMatchObject({ agency: 'northwind-recoveries' });
    expect(ms(placed!.at) - ms(offered!.at)).toBeGreaterThan(0);
    expect(ms(placed!.at) - ms(offered!.at)).toBeLessThan(5 * 60_000);
    expect(recalled).toMatchObject({ at: '2026-05-20T14:00:00.000Z', agency: 'northwind-recoveries' });
    // Nothing from us while the agency had it; the payment it collected counts.
    expect(contacts(g1).filter((c) => ms(c.at) >= ms(placed!.at) && ms(c.at) < ms(recalled!.at))).toEqual([]);
    expect(entries(g1, 'payment').map((p) => p.at)).toContain('2026-05-08T15:00:00.000Z');
    // Back with us: reminders again, and the ladder goes on to legal review.
    const after = contacts(g1).filter((c) => ms(c.at) >= ms(recalled!.at));
    expect(after.length).toBeGreaterThanOrEqual(3);
    expect(entries(g1, 'escalated').map((e) => e.to)).toEqual([
      'senior-collector',
      'final-notice',
      'agency',
      'legal-review',
    ]);
    expect(g1).toMatchObject({ status: 'closed', closeReason: 'cured', collected: 12000 });
    // The second recall finds nothing to recall: a duplicate, not an error.
    expect(entries(g1, 'recalled')).toHaveLength(1);
    expect(result.rejected).toEqual([]);

    const g2 = account(result.accounts, 'G2');
    expect(g2).toMatchObject({ status: 'closed', closeReason: 'cured', closedAt: '2026-05-10T15:00:00.000Z' });
    expect(contacts(g2).filter((c) => ms(c.at) >= ms(entries(g2, 'placed')[0]!.at))).toEqual([]);

    const out = artifacts.stack.outputs.eventsOut.filter(
      (e) => e.detailType === 'AccountPlaced' || e.detailType === 'PlacementRecalled',
    );
    expect(out.map((e) => `${e.detailType} ${e.detail.accountId} ${e.detail.agency}`).sort()).toEqual([
      'AccountPlaced G1 northwind-recoveries',
      'AccountPlaced G2 northwind-recoveries',
      'PlacementRecalled G1 northwind-recoveries',
    ]);
    expect(result.violations).toEqual([]);
  });
});

describe('re-aging after a workout (FFIEC, us-regf)', () => {
  it('re-ages a plan payer after 3 instalments on time and keeps it current, never charged off', async () => {
    const { result, artifacts } = await run(file('re-age'), { store: 'memory' });
    const r2 = account(result.accounts, 'R2');
    expect(entries(r2, 're-aged')).toEqual([
      expect.objectContaining({
        at: '2026-05-01T16:00:00.000Z',
        previousDueDate: '2026-01-01',
        dueDate: '2026-06-02',
        dpdBefore: 120,
      }),
    ]);
    // Without the re-age it would be 287 days past due by now; paying every instalment it is current.
    expect(r2).toMatchObject({ status: 'open', closeReason: null });
    expect(artifacts.states.get('R2')).toMatchObject({ dueDate: '2026-11-02', bucket: 'current' });
    expect(entries(r2, 'escalated')).toEqual([]);
    expect(
      artifacts.stack.outputs.eventsOut
        .filter((e) => e.detailType === 'AccountReAged')
        .map((e) => e.detail.accountId)
        .sort(),
    ).toEqual(['R1', 'R2']);
    expect(result.violations).toEqual([]);
  });

  it(
    'resumes collection from the re-aged days past due when the plan breaks, and refuses a second re-age ' +
      'inside 12 months',
    async () => {
      const { result, artifacts } = await run(file('re-age'), { store: 'memory' });
      const r1 = account(result.accounts, 'R1');
      expect(entries(r1, 're-aged')).toHaveLength(1);
      const [broken] = entries(r1, 'plan-broken');
      expect(broken).toMatchObject({ at: '2026-06-13T05:55:33.000Z', daysLate: 11 });
      // The first reminder after the break states 11 days past due (from the missed instalment), not 163.
      const next = contacts(r1).find((c) => ms(c.at) > ms(broken!.at))!;
      expect(next.text).toMatch(/\b11 days\b/);
      // A second plan paid on time earns no second re-age within 12 months; the refusal is in the audit record.
      expect(entries(r1, 'plan-accepted')).toHaveLength(2);
      expect(artifacts.records.get('R1')!.filter((e) => e.kind === 're-age-refused')).toEqual([
        expect.objectContaining({ at: '2026-10-05T16:00:00.000Z', rule: 'us-regf/re-age-once-in-12-months' }),
      ]);
      expect(result.violations).toEqual([]);
    },
  );
});

describe('pre-due courtesy reminders (AccountDueSoon)', () => {
  it(
    'sends one courtesy reminder a few days before the due date, opens no collection cycle, and none ' +
      'after a payment',
    async () => {
      const { result, artifacts } = await run(file('courtesy'), { store: 'memory' });
      const courtesy = (id: string) => result.courtesy.find((c) => c.accountId === id)!.timeline;
      // D1: three days before 2026-01-15, at its own time (11:30:47 in Chicago), stating the minimum due and the due
      // date; announced twice, sent once.
      const [d1] = courtesy('D1').filter((e) => e.kind === 'contact') as unknown as {
        at: string;
        template: string;
        text: string;
      }[];
      expect(d1).toMatchObject({ at: '2026-01-12T17:30:47.000Z', template: 'courtesy' });
      expect(d1!.text).toContain('the minimum payment of 35.00 USD on your card statement is due on 2026-01-15');
      expect(d1!.text).toMatch(/To stop emails from us/);
      expect(courtesy('D1').at(-1)).toMatchObject({ kind: 'courtesy-ended', reason: 'statement-due' });
      // D3 reads it in Chinese, in its own zone (17:32:09 in Shanghai).
      expect(courtesy('D3').find((e) => e.kind === 'contact')).toMatchObject({
        at: '2026-01-12T09:32:09.000Z',
        locale: 'zh-CN',
        text: expect.stringContaining('最低还款额为500.00 CNY,到期还款日为2026-01-15'),
      });
      // D2 paid first: nothing is sent, and the courtesy ends with the payment.
      expect(courtesy('D2').map((e) => e.kind)).toEqual(['due-soon', 'payment', 'courtesy-ended']);
      // No collection cycle: only D1, once it went past due, has one; collection events are D1's alone.
      expect(result.accounts.map((a) => [a.accountId, a.cycleId, a.closeReason])).toEqual([
        ['D1', 'ST-2026-01', 'cured'],
      ]);
      const started = artifacts.stack.outputs.eventsOut.filter(
        (e) => e.detailType === 'CollectionStarted' || e.detailType === 'CycleClosed',
      );
      expect(started.map((e) => e.detail.accountId)).toEqual(['D1', 'D1']);
      // A promise is a collection event: refused while only a statement is coming due.
      expect(result.rejected).toEqual([
        {
          index: 4,
          detailType: 'PromiseToPayMade',
          reason: 'accountId: no open collection cycle for D1 (only a statement coming due)',
        },
      ]);
      expect(result.violations).toEqual([]);
    },
  );
});

describe('an account past due again in a later cycle', () => {
  it(
    'lists each cycle with its own figures and timeline, counts both in the KPIs, and takes a late replay of ' +
      'the first as a duplicate',
    async () => {
      const { result } = await run(file('second-cycle'));
      expect(result.accounts.map((a) => [a.accountId, a.cycleId, a.status, a.closeReason, a.collected])).toEqual([
        ['Y1', '2026-01', 'closed', 'cured', 12_000],
        ['Y1', '2026-03', 'open', null, 4_000],
      ]);
      const [first, second] = result.accounts;
      expect(first!.timeline.filter((e) => e.kind === 'payment').map((e) => e.at)).toEqual([
        '2026-01-12T16:00:00.000Z',
      ]);
      expect(first!.timeline.at(-1)).toMatchObject({ kind: 'closed', reason: 'cured', at: '2026-01-12T16:00:00.000Z' });
      // The second cycle's reminders begin with it, and state its own overdue amount.
      expect(contacts(second!).every((c) => ms(c.at) >= ms('2026-03-05T06:00:00Z'))).toBe(true);
      expect(contacts(second!)[0]!.text).toContain('90.00 USD');
      expect(result.kpis).toMatchObject({ accounts: 2, cured: 1, open: 1, collected: 16_000, overdue: 21_000 });
      expect(result.rejected).toEqual([]);
      expect(result.violations).toEqual([]);
    },
  );
});
