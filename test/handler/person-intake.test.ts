// The intake's side of the person (docs/contract.md §11.1) where a delivery fails midway or races another: against
// DynamoDB Local and the local AWS endpoint, with a fault or a pause put in front of the real stores.
import { describe, expect, it } from 'vitest';
import { newSfnClient, stepFunctionsCallbacks } from '../../functions/adapters/aws/step-functions-callbacks';
import type { IntakeDeps } from '../../functions/use-cases/apply-once';
import { receiveEvent } from '../../functions/use-cases/receive-event';
import { POLICY_PACKS } from '../../policies/built-in-packs';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../workflows/twin/aws-local-ports';
import { open, stack, state, useIntakeStack } from '../support/intake-stack';

useIntakeStack();

const customer = (customerId: string) => ({
  customerId,
  name: 'Ana Diaz',
  email: 'ana.diaz@example.com',
  phone: '+13125550100',
  locale: 'en-US',
  timezone: 'America/Chicago',
});

/** The intake's ports as deployed, on this stack's table and Step Functions endpoint; `over` puts a fault in one. */
const intakeDeps = (accountId: string, over: Partial<IntakeDeps> = {}): IntakeDeps => ({
  clock: stack.scheduler.clock(accountId),
  accounts: stack.store,
  persons: stack.persons,
  pack: POLICY_PACKS['us-regf'],
  callbacks: stepFunctionsCallbacks(
    newSfnClient({ endpoint: stack.addresses!.awsEndpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS }),
    stack.workflow.stateMachineArn,
  ),
  deadLetters: { reject: async () => {} },
  log: { info() {}, warn() {}, error() {} },
  metrics: { count() {} },
  ...over,
});

/** `target` with `method` failing as a throttled request fails, `times` times, then as it is. */
const failing = <T extends object>(target: T, method: keyof T, times = 1): T =>
  new Proxy(target, {
    get(object, property, receiver) {
      const value = Reflect.get(object, property, receiver) as unknown;
      if (typeof value !== 'function') return value;
      if (property !== method) return value.bind(object);
      return async (...args: unknown[]) => {
        if (times-- > 0) throw new Error('ThrottlingException: Rate exceeded (injected)');
        return (value as (...a: unknown[]) => unknown).apply(object, args);
      };
    },
  });

const envelope = (id: string, source: string, detailType: string, detail: Record<string, unknown>) => ({
  id,
  source,
  'detail-type': detailType,
  detail,
});

describe('bankruptcy on one account, the delivery failing before the person is told', () => {
  it("still stops the person's other account when the queue delivers the event again (§3.5)", async () => {
    await open('SPR1', { customer: customer('CIF-SPR') });
    await open('SPR2', { customer: customer('CIF-SPR') });
    const bankrupt = envelope('spread-1', 'bank.core', 'AccountUpdated', {
      accountId: 'SPR1',
      flags: { bankrupt: true },
    });
    // The update is saved on SPR1, then keeping the fact on the person is throttled: the delivery fails.
    await expect(
      receiveEvent(intakeDeps('SPR1', { persons: failing(stack.persons, 'addFact') }), JSON.stringify(bankrupt)),
    ).rejects.toThrow(/ThrottlingException/);
    expect((await state('SPR1'))?.flags.bankrupt).toBe(true);
    expect((await state('SPR2'))?.flags.bankrupt).toBe(false);
    // SQS delivers it again: a duplicate on SPR1, which still tells the person and SPR2.
    await stack.inbound.deliver(bankrupt);
    await stack.scheduler.idle();
    expect(await stack.persons.getPerson('CIF-SPR')).toMatchObject({ bankrupt: true });
    expect(await state('SPR2')).toMatchObject({ status: 'closed', closeReason: 'bankrupt' });
  });
});

/** `target` with `method` held until `release` is called, and `reached` resolved when it is first called. */
const paused = <T extends object>(target: T, method: keyof T) => {
  let reached!: () => void;
  let release!: () => void;
  const atMethod = new Promise<void>((resolve) => (reached = resolve));
  const gate = new Promise<void>((resolve) => (release = resolve));
  const proxy = new Proxy(target, {
    get(object, property, receiver) {
      const value = Reflect.get(object, property, receiver) as unknown;
      if (typeof value !== 'function') return value;
      if (property !== method) return value.bind(object);
      return async (...args: unknown[]) => {
        reached();
        await gate;
        return (value as (...a: unknown[]) => unknown).apply(object, args);
      };
    },
  });
  return { proxy, atMethod, release };
};

describe('a cease naming the person while an account of theirs is opening', () => {
  it('reaches the opening account too, recorded, though the fan-out found it not yet saved', async () => {
    await open('RACE1', { customer: customer('CIF-RACE') });
    const opening = envelope('race-open', 'bank.core', 'AccountDelinquent', {
      accountId: 'RACE2',
      cycleId: '2026-01',
      currency: 'USD',
      balance: 250_000,
      amountDue: 12_000,
      dueDate: '2026-01-01',
      customer: customer('CIF-RACE'),
    });
    // RACE2's opening has read the person (no cease yet) and waits to save; the cease fans out meanwhile.
    const accounts = paused(stack.store, 'save');
    const opened = receiveEvent(intakeDeps('RACE2', { accounts: accounts.proxy }), JSON.stringify(opening));
    await accounts.atMethod;
    await stack.inbound.deliver(
      envelope('race-cease', 'collections.customer', 'CeaseCommunication', { customerId: 'CIF-RACE' }),
    );
    accounts.release();
    expect(await opened).toEqual({ kind: 'applied', accountId: 'RACE2' });
    await stack.scheduler.idle();
    for (const id of ['RACE1', 'RACE2']) expect((await state(id))?.ceased, id).toBe(true);
    expect((await stack.store.record('RACE2', '2026-01')).filter((e) => e.kind === 'cease')).toHaveLength(1);
  });
});

/** The release before persons: it kept `customer.customerId` on the state and wrote nothing to the person. */
const keptNoPerson = (): IntakeDeps['persons'] =>
  new Proxy(stack.persons, {
    get(object, property, receiver) {
      const value = Reflect.get(object, property, receiver) as unknown;
      if (property === 'getPerson') return async () => null;
      if (property === 'addAccount' || property === 'addFact' || property === 'removeAccount') return async () => {};
      return typeof value === 'function' ? value.bind(object) : value;
    },
  });

describe('an account opened before persons were kept, listed on no person', () => {
  it('is listed by its next event and given what holds for the person, then hears what comes after', async () => {
    const delinquent = (accountId: string) =>
      envelope(`pre-${accountId}`, 'bank.core', 'AccountDelinquent', {
        accountId,
        cycleId: '2026-01',
        currency: 'USD',
        balance: 250_000,
        amountDue: 12_000,
        dueDate: '2026-01-01',
        customer: customer('CIF-PRE'),
      });
    await receiveEvent(intakeDeps('PRE1', { persons: keptNoPerson() }), JSON.stringify(delinquent('PRE1')));
    await stack.scheduler.idle();
    expect(await state('PRE1')).toMatchObject({ status: 'open', customerId: 'CIF-PRE' });
    await stack.inbound.deliver(delinquent('PRE2'));
    await stack.inbound.deliver(
      envelope('pre-cease', 'collections.customer', 'CeaseCommunication', { customerId: 'CIF-PRE' }),
    );
    await stack.scheduler.idle();
    // The person knows PRE2 only: the cease missed PRE1.
    expect((await stack.persons.getPerson('CIF-PRE'))?.accountIds).toEqual(['PRE2']);
    expect((await state('PRE1'))?.ceased).toBe(false);
    // PRE1's next event, of any kind, lists it and hands it the cease, recorded.
    await stack.inbound.deliver(
      envelope('pre-optout', 'collections.customer', 'ChannelOptOut', { accountId: 'PRE1', channel: 'sms' }),
    );
    await stack.scheduler.idle();
    expect((await stack.persons.getPerson('CIF-PRE'))?.accountIds).toEqual(['PRE1', 'PRE2']);
    expect(await state('PRE1')).toMatchObject({ ceased: true, optOuts: ['sms'] });
    expect((await stack.store.record('PRE1', '2026-01')).filter((e) => e.kind === 'cease')).toHaveLength(1);
    // Listed now, it hears the person's death reported on PRE2.
    await stack.inbound.deliver(
      envelope('pre-died', 'bank.core', 'AccountUpdated', { accountId: 'PRE2', flags: { deceased: true } }),
    );
    await stack.scheduler.idle();
    expect(await state('PRE1')).toMatchObject({ status: 'closed', closeReason: 'deceased' });
  });
});

describe('the bank gives an account another customer number', () => {
  it('takes it off the old person and lists it on the new one', async () => {
    await open('MOV1', { customer: customer('CIF-OLD') });
    await open('MOV2', { customer: customer('CIF-OLD') });
    await stack.inbound.deliver(
      envelope('moved', 'bank.core', 'AccountUpdated', { accountId: 'MOV2', customer: { customerId: 'CIF-NEW' } }),
    );
    await stack.scheduler.idle();
    expect((await stack.persons.getPerson('CIF-OLD'))?.accountIds).toEqual(['MOV1']);
    expect((await stack.persons.getPerson('CIF-NEW'))?.accountIds).toEqual(['MOV2']);
  });
});

/** The person's store, with `meanwhile` done once right after the first split is kept: a race lost at that instant. */
const afterSplit = (meanwhile: () => Promise<void>): IntakeDeps['persons'] => {
  let done = false;
  return new Proxy(stack.persons, {
    get(object, property, receiver) {
      const value = Reflect.get(object, property, receiver) as unknown;
      if (typeof value !== 'function') return value;
      if (property !== 'keepAllocation') return value.bind(object);
      return async (...args: unknown[]) => {
        const kept = await (value as (...a: unknown[]) => Promise<unknown>).apply(object, args);
        if (!done) {
          done = true;
          await meanwhile();
        }
        return kept;
      };
    },
  });
};

const personPayment = (id: string, customerId: string, amount: number) =>
  JSON.stringify(
    envelope(id, 'bank.core', 'PaymentPosted', {
      customerId,
      paymentId: id,
      amount,
      currency: 'USD',
      postedAt: '2026-01-06T15:00:00Z',
    }),
  );
/** The split as announced (the entry that puts out PaymentAllocated), on any of the accounts. */
const allocated = async (paymentId: string, accountIds: string[]) =>
  (await Promise.all(accountIds.map((id) => stack.store.record(id, '2026-01'))))
    .flat()
    .filter((e) => e.kind === 'payment-allocated' && e.paymentId === paymentId);

describe("a payment to the person whose first part's account closes between the split and its turn", () => {
  it('splits that part again to the account still open, and announces once the parts as applied', async () => {
    await open('PAR1', { customer: customer('CIF-PAR'), dueDate: '2025-12-20' });
    await open('PAR2', { customer: customer('CIF-PAR') });
    // Split 200.00: PAR1 (most days past due) its 120.00 due, PAR2 the other 80.00. Then PAR1 is cured and closes.
    const cure = async () => {
      await stack.inbound.deliver(
        envelope('par-cure', 'bank.core', 'PaymentPosted', {
          accountId: 'PAR1',
          paymentId: 'PAR1-OWN',
          amount: 12_000,
          currency: 'USD',
          postedAt: '2026-01-06T15:00:00Z',
        }),
      );
      await stack.scheduler.idle();
    };
    const result = await receiveEvent(
      intakeDeps('PAR2', { persons: afterSplit(cure) }),
      personPayment('PAR-PAY', 'CIF-PAR', 20_000),
    );
    expect(result).toEqual({ kind: 'applied', accountId: 'CIF-PAR' });
    await stack.scheduler.idle();
    expect(await state('PAR1')).toMatchObject({ status: 'closed', collected: 12_000 });
    expect(await state('PAR2')).toMatchObject({ collected: 20_000 });
    expect((await allocated('PAR-PAY', ['PAR1', 'PAR2'])).map((e) => 'parts' in e && e.parts)).toEqual([
      [
        { accountId: 'PAR2', amount: 8000, paymentId: 'PAR-PAY-PAR2' },
        { accountId: 'PAR2', amount: 12_000, paymentId: 'PAR-PAY-PAR2-R2' },
      ],
    ]);
    // Delivered again: every part a duplicate, nothing applied or announced twice.
    await stack.inbound.deliver(JSON.parse(personPayment('PAR-PAY', 'CIF-PAR', 20_000)));
    await stack.scheduler.idle();
    expect(await state('PAR2')).toMatchObject({ collected: 20_000 });
    expect(await allocated('PAR-PAY', ['PAR1', 'PAR2'])).toHaveLength(1);
  });

  it('rejects naming the amount not applied when no account of the person in its currency is left open', async () => {
    await open('PAZ1', { customer: customer('CIF-PAZ') });
    await open('PAZ2', { customer: customer('CIF-PAZ') });
    const bankrupt = async () => {
      await stack.inbound.deliver(
        envelope('paz-bankrupt', 'bank.core', 'AccountUpdated', { accountId: 'PAZ1', flags: { bankrupt: true } }),
      );
      await stack.scheduler.idle();
    };
    const result = await receiveEvent(
      intakeDeps('PAZ1', { persons: afterSplit(bankrupt) }),
      personPayment('PAZ-PAY', 'CIF-PAZ', 20_000),
    );
    expect(result).toEqual({
      kind: 'rejected',
      reason: expect.stringMatching(
        new RegExp(
          '^allocation: 20000 USD of payment PAZ-PAY not applied: the person CIF-PAZ has no open account in USD ' +
            'left for it \\(PAZ1: accountId: no open collection cycle for PAZ1; PAZ2: ',
        ),
      ),
    });
    await stack.scheduler.idle();
    for (const id of ['PAZ1', 'PAZ2']) expect(await state(id)).toMatchObject({ closeReason: 'bankrupt', collected: 0 });
    expect(await allocated('PAZ-PAY', ['PAZ1', 'PAZ2'])).toEqual([]);
  });
});

describe('a call outside the queue dialled before local midnight, its outcome recorded after it', () => {
  it("takes its place among the person's calls of the day it was dialled, refused when that day is full", async () => {
    await open('LATE1', { customer: customer('CIF-LATE') });
    await open('LATE2', { customer: customer('CIF-LATE') });
    // LATE2 has had the person's calls of 2026-01-06 in Chicago (us-regf: 2).
    const slot = (contactId: string) => ({
      customerId: 'CIF-LATE',
      date: '2026-01-06',
      kind: 'calls' as const,
      contactId,
    });
    for (let i = 0; (await stack.persons.reserveContact(slot(`LATE2:C${i}`), 2)) === 'reserved'; i += 1);
    const outcome = envelope('late-call', 'collections.agent', 'CallOutcomeRecorded', {
      accountId: 'LATE1',
      callId: 'OUTSIDE-1',
      outcome: 'no-answer',
      // Dialled at 20:50 on 2026-01-06 in Chicago; recorded at 00:10 on 2026-01-07.
      dialledAt: '2026-01-07T02:50:00Z',
    });
    const after = { now: () => new Date('2026-01-07T06:10:00Z') };
    expect(await receiveEvent(intakeDeps('LATE1', { clock: after }), JSON.stringify(outcome))).toEqual({
      kind: 'rejected',
      reason: expect.stringContaining('us-regf/person-calls-per-day'),
    });
    expect(await stack.persons.contactsOn('CIF-LATE', '2026-01-07', 'calls')).toEqual([]);
  });
});

describe("an account that opens after the person's bankruptcy was reported on another", () => {
  it('takes it on, recorded as inherited, and closes with it', async () => {
    await open('INH1', { customer: customer('CIF-INH') });
    await stack.inbound.deliver(
      envelope('inh-bankrupt', 'bank.core', 'AccountUpdated', { accountId: 'INH1', flags: { bankrupt: true } }),
    );
    await stack.scheduler.idle();
    await open('INH2', { customer: customer('CIF-INH') });
    expect(await state('INH2')).toMatchObject({ status: 'closed', closeReason: 'bankrupt' });
    expect((await stack.store.record('INH2', '2026-01')).filter((e) => e.kind === 'flag-inherited')).toEqual([
      expect.objectContaining({ flag: 'bankrupt', customerId: 'CIF-INH' }),
    ]);
  });
});
