// The person, not the account (docs/contract.md §11.1), through the twin: the synthesized state machine, the deployed
// handlers and the intake, on the person's clock.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../workflows/tools/scenario/run-scenario';
import type { Scenario } from '../../workflows/tools/scenario/scenario-file';
import { account, contacts, entries, EXAMPLE_SCENARIOS, ms, OUR_SCENARIOS, run } from '../support/scenarios';

const customer = (customerId: string) => ({
  customerId,
  name: 'Jordan Ellery',
  email: 'jordan.ellery@example.com',
  phone: '+17205550188',
  locale: 'en-US',
  timezone: 'America/Denver',
});
const delinquent = (at: string, accountId: string, over: Record<string, unknown> = {}) => ({
  at,
  source: 'bank.core',
  detailType: 'AccountDelinquent',
  detail: {
    accountId,
    cycleId: '2026-03',
    currency: 'USD',
    balance: 180_000,
    amountDue: 9000,
    dueDate: '2026-03-01',
    aprBps: 2799,
    customer: customer('CIF-T'),
    ...over,
  },
});
const scenario = (events: Scenario['events'], until = '2026-03-25T00:00:00Z'): Scenario => ({
  policy: 'us-regf',
  start: '2026-03-05T00:00:00Z',
  until,
  events,
});

describe('person-two-cards.json (the contract example)', () => {
  const example = () => run(path.join(EXAMPLE_SCENARIOS, 'person-two-cards.json'));

  it('splits 100.00 to the person: EXP1, most days past due, takes its 90.00 and EXP2 the other 10.00', async () => {
    const { result, artifacts } = await example();
    const [exp1, exp2] = [account(result.accounts, 'EXP1'), account(result.accounts, 'EXP2')];
    expect([exp1.customerId, exp2.customerId]).toEqual(['CIF-EX-1', 'CIF-EX-1']);
    expect(entries(exp1, 'payment')).toEqual([expect.objectContaining({ paymentId: 'EXP-pay-1-EXP1', amount: 9000 })]);
    expect(entries(exp2, 'payment')).toEqual([expect.objectContaining({ paymentId: 'EXP-pay-1-EXP2', amount: 1000 })]);
    expect(exp1).toMatchObject({ status: 'closed', closeReason: 'cured', collected: 9000 });
    expect(exp2).toMatchObject({ status: 'open', collected: 1000 });
    const parts = [
      { accountId: 'EXP1', amount: 9000, paymentId: 'EXP-pay-1-EXP1' },
      { accountId: 'EXP2', amount: 1000, paymentId: 'EXP-pay-1-EXP2' },
    ];
    const allocated = artifacts.stack.outputs.eventsOut.filter((e) => e.detailType === 'PaymentAllocated');
    expect(allocated.map((e) => e.detail)).toEqual([
      expect.objectContaining({ paymentId: 'EXP-pay-1', customerId: 'CIF-EX-1', parts }),
    ]);
    expect(result.violations).toEqual([]);
  });

  it('silences both cards with one cease naming the person', async () => {
    const { result } = await example();
    const ceased = ms('2026-04-01T17:00:00Z');
    for (const id of ['EXP1', 'EXP2']) {
      const a = account(result.accounts, id);
      expect(contacts(a).length).toBeGreaterThan(0);
      expect(contacts(a).filter((c) => ms(c.at) >= ceased)).toEqual([]);
    }
    expect(entries(account(result.accounts, 'EXP2'), 'cease')).toHaveLength(1);
  });
});

describe('the person in the twin', () => {
  it('starts an account that becomes delinquent after a cease and an opt-out of the person with both', async () => {
    const { result } = await runScenario(
      scenario([
        delinquent('2026-03-05T16:00:00Z', 'P1'),
        {
          at: '2026-03-06T16:00:00Z',
          source: 'collections.customer',
          detailType: 'ChannelOptOut',
          detail: { customerId: 'CIF-T', channel: 'sms' },
        },
        {
          at: '2026-03-07T16:00:00Z',
          source: 'collections.customer',
          detailType: 'CeaseCommunication',
          detail: { customerId: 'CIF-T' },
        },
        delinquent('2026-03-10T16:00:00Z', 'P2'),
      ]),
      { store: 'memory' },
    );
    const p2 = account(result.accounts, 'P2');
    expect(entries(p2, 'cease')).toEqual([expect.objectContaining({ at: '2026-03-10T16:00:00.000Z' })]);
    expect(entries(p2, 'opt-out')).toEqual([expect.objectContaining({ channel: 'sms' })]);
    expect(contacts(p2)).toEqual([]);
    expect(contacts(account(result.accounts, 'P1')).every((c) => ms(c.at) < ms('2026-03-07T16:00:00Z'))).toBe(true);
    expect(result.violations).toEqual([]);
  });

  it("stops collection on all the person's accounts when the bank reports one bankrupt", async () => {
    const { result } = await runScenario(
      scenario([
        delinquent('2026-03-05T16:00:00Z', 'B1'),
        delinquent('2026-03-05T16:00:00Z', 'B2', { amountDue: 4000, dueDate: '2026-03-03' }),
        {
          at: '2026-03-09T16:00:00Z',
          source: 'bank.core',
          detailType: 'AccountUpdated',
          detail: { accountId: 'B1', flags: { bankrupt: true } },
        },
        delinquent('2026-03-12T16:00:00Z', 'B3', { cycleId: '2026-03b' }),
      ]),
      { store: 'memory' },
    );
    for (const id of ['B1', 'B2', 'B3'])
      expect(account(result.accounts, id)).toMatchObject({ status: 'closed', closeReason: 'bankrupt' });
    expect(contacts(account(result.accounts, 'B3'))).toEqual([]);
    expect(result.violations).toEqual([]);
  });

  it("stops the person's open accounts when the bank reports bankrupt one of theirs already closed", async () => {
    const { result } = await runScenario(
      scenario([
        delinquent('2026-03-05T16:00:00Z', 'Z1', { amountDue: 4000 }),
        delinquent('2026-03-05T16:00:00Z', 'Z2'),
        {
          at: '2026-03-06T16:00:00Z',
          source: 'bank.core',
          detailType: 'PaymentPosted',
          detail: { accountId: 'Z1', paymentId: 'ZP', amount: 4000, currency: 'USD', postedAt: '2026-03-06T16:00:00Z' },
        },
        {
          at: '2026-03-09T16:00:00Z',
          source: 'bank.core',
          detailType: 'AccountUpdated',
          detail: { accountId: 'Z1', flags: { bankrupt: true } },
        },
      ]),
      { store: 'memory' },
    );
    expect(account(result.accounts, 'Z1')).toMatchObject({ closeReason: 'cured' });
    expect(account(result.accounts, 'Z2')).toMatchObject({ status: 'closed', closeReason: 'bankrupt' });
    // The update itself finds no cycle open on Z1: rejected with that reason, as any event for a closed cycle is.
    expect(result.rejected).toEqual([expect.objectContaining({ index: 3, detailType: 'AccountUpdated' })]);
    expect(result.violations).toEqual([]);
  });

  it('applies a payment split as the customer said; one not adding up is rejected naming allocation', async () => {
    const pay = (at: string, paymentId: string, allocation: unknown) => ({
      at,
      source: 'bank.core',
      detailType: 'PaymentPosted',
      detail: { customerId: 'CIF-T', paymentId, amount: 5000, currency: 'USD', postedAt: at, allocation },
    });
    const { result } = await runScenario(
      scenario([
        delinquent('2026-03-05T16:00:00Z', 'S1'),
        delinquent('2026-03-05T16:00:00Z', 'S2', { amountDue: 4000, dueDate: '2026-03-03' }),
        pay('2026-03-10T16:00:00Z', 'PAY-1', [
          { accountId: 'S2', amount: 4000 },
          { accountId: 'S1', amount: 1000 },
        ]),
        pay('2026-03-11T16:00:00Z', 'PAY-2', [{ accountId: 'S1', amount: 4000 }]),
      ]),
      { store: 'memory' },
    );
    expect(account(result.accounts, 'S2')).toMatchObject({ status: 'closed', closeReason: 'cured', collected: 4000 });
    expect(account(result.accounts, 'S1')).toMatchObject({ collected: 1000 });
    expect(result.rejected).toEqual([
      { index: 3, detailType: 'PaymentPosted', reason: 'allocation: the parts add up to 4000, the payment is 5000' },
    ]);
    expect(result.violations).toEqual([]);
  });
});

describe('a courtesy of the person', () => {
  it('hears a cease naming the person: no courtesy reminder goes after it', async () => {
    const { result } = await runScenario(
      scenario([
        delinquent('2026-03-05T16:00:00Z', 'K1'),
        {
          at: '2026-03-05T16:00:00Z',
          source: 'bank.core',
          detailType: 'AccountDueSoon',
          detail: {
            accountId: 'K2',
            statementId: 'ST-1',
            currency: 'USD',
            minimumDue: 3500,
            dueDate: '2026-03-12',
            customer: customer('CIF-T'),
          },
        },
        {
          at: '2026-03-06T16:00:00Z',
          source: 'collections.customer',
          detailType: 'CeaseCommunication',
          detail: { customerId: 'CIF-T' },
        },
      ]),
      { store: 'memory' },
    );
    const [courtesy] = result.courtesy;
    expect(courtesy?.accountId).toBe('K2');
    expect(courtesy!.timeline.filter((e) => e.kind === 'cease')).toHaveLength(1);
    expect(courtesy!.timeline.filter((e) => e.kind === 'contact')).toEqual([]);
    expect(result.violations).toEqual([]);
  });
});

describe('a payment to the person delivered twice', () => {
  it('applies the first split once, though the amounts due changed in between', async () => {
    const pay = (at: string) => ({
      at,
      source: 'bank.core',
      detailType: 'PaymentPosted',
      detail: { customerId: 'CIF-T', paymentId: 'PAY-T', amount: 10_000, currency: 'USD', postedAt: at },
    });
    const { result, artifacts } = await runScenario(
      scenario([
        delinquent('2026-03-05T16:00:00Z', 'D1'),
        delinquent('2026-03-05T16:00:00Z', 'D2', { amountDue: 4000, dueDate: '2026-03-03' }),
        pay('2026-03-10T16:00:00Z'),
        // The same payment again, after the first split cured D1: split anew, D2 would take it all.
        pay('2026-03-10T18:00:00Z'),
      ]),
      { store: 'memory' },
    );
    expect(entries(account(result.accounts, 'D1'), 'payment')).toEqual([
      expect.objectContaining({ paymentId: 'PAY-T-D1', amount: 9000 }),
    ]);
    expect(entries(account(result.accounts, 'D2'), 'payment')).toEqual([
      expect.objectContaining({ paymentId: 'PAY-T-D2', amount: 1000 }),
    ]);
    expect(artifacts.stack.outputs.eventsOut.filter((e) => e.detailType === 'PaymentAllocated')).toHaveLength(1);
    expect(result.violations).toEqual([]);
  });
});

describe('a payment to the person that closed all their accounts, delivered again', () => {
  it('is a duplicate, not a payment for a person with nothing open', async () => {
    const pay = (at: string) => ({
      at,
      source: 'bank.core',
      detailType: 'PaymentPosted',
      detail: { customerId: 'CIF-T', paymentId: 'PAY-ALL', amount: 13_000, currency: 'USD', postedAt: at },
    });
    const { result } = await runScenario(
      scenario([
        delinquent('2026-03-05T16:00:00Z', 'W1'),
        delinquent('2026-03-05T16:00:00Z', 'W2', { amountDue: 4000, dueDate: '2026-03-03' }),
        pay('2026-03-10T16:00:00Z'),
        pay('2026-03-10T18:00:00Z'),
      ]),
      { store: 'memory' },
    );
    for (const id of ['W1', 'W2'])
      expect(account(result.accounts, id)).toMatchObject({ status: 'closed', closeReason: 'cured' });
    expect(result.rejected).toEqual([]);
    expect(result.violations).toEqual([]);
  });
});

describe('the bank gives an account another customer number (found by review)', () => {
  it('takes it off the old person: their cease and payment reach it no more (person-moved-to-another)', async () => {
    const { result } = await run(path.join(OUR_SCENARIOS, 'person-moved-to-another.json'), { store: 'memory' });
    const [m1, m2] = [account(result.accounts, 'M1'), account(result.accounts, 'M2')];
    expect(entries(m1, 'payment')).toEqual([expect.objectContaining({ paymentId: 'PAY-M-M1', amount: 18_000 })]);
    expect(entries(m2, 'payment')).toEqual([]);
    expect(entries(m2, 'cease')).toEqual([]);
    expect(contacts(m2).filter((c) => ms(c.at) > ms('2026-03-07T16:00:00Z')).length).toBeGreaterThan(0);
    expect(result.violations).toEqual([]);
  });

  it("hands an account the update makes the person's what holds for them (person-joined-by-update)", async () => {
    const { result } = await run(path.join(OUR_SCENARIOS, 'person-joined-by-update.json'), { store: 'memory' });
    const j3 = account(result.accounts, 'J3');
    expect(entries(j3, 'cease')).toEqual([expect.objectContaining({ at: '2026-03-09T16:00:00.000Z' })]);
    expect(contacts(j3).filter((c) => ms(c.at) > ms('2026-03-09T16:00:00Z'))).toEqual([]);
    expect(result.violations).toEqual([]);
  });
});

describe('the bank says the person is not bankrupt, or not deceased, after all (found by review)', () => {
  it('clears the fact; its own false on an opening account wins over the person’s (person-flag-cleared)', async () => {
    const { result } = await run(path.join(OUR_SCENARIOS, 'person-flag-cleared.json'), { store: 'memory' });
    expect(account(result.accounts, 'X1')).toMatchObject({ status: 'closed', closeReason: 'bankrupt' });
    expect(account(result.accounts, 'Y1')).toMatchObject({ status: 'closed', closeReason: 'deceased' });
    for (const id of ['X2', 'Y9']) {
      expect(account(result.accounts, id), id).toMatchObject({ status: 'open' });
      expect(contacts(account(result.accounts, id)).length, id).toBeGreaterThan(0);
    }
    expect(result.violations).toEqual([]);
  });
});

describe('found by the fuzzer', () => {
  it("counts a call outside the queue toward the person's calls of the day (person-call-outside-queue)", async () => {
    // A collector's call outside the queue on F1, then F3's plan and settlement offers by call on the same local day:
    // the second of F3's calls would be the person's third that day under us-regf (2).
    const { result } = await run(path.join(OUR_SCENARIOS, 'person-call-outside-queue.json'), {
      store: 'memory',
      faultRate: 0.05,
      seed: 20_261_203,
      interleave: 0.25,
    });
    const f3 = account(result.accounts, 'F3');
    expect(entries(f3, 'contact-blocked')).toContainEqual(
      expect.objectContaining({ channel: 'call', rule: 'us-regf/person-calls-per-day' }),
    );
    expect(result.violations).toEqual([]);
  });
});
