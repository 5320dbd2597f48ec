// Send-once (docs/contract.md §3.9, §3.13): a message is pending, sent with its contactId as the idempotency key
// (Powertools idempotency, records in the table), then recorded as sent or failed. Real DynamoDB Local
// store and idempotency records; the provider is a scripted MessageSender (test/support/remind-on-table.ts).
import { beforeAll, describe, expect, it } from 'vitest';
import type { AccountStore, Clock, MessageSender } from '../../functions/ports';
import { PermanentSendError } from '../../functions/errors';
import { MAX_SEND_ATTEMPTS } from '../../functions/use-cases/contact-step';
import { now, remindOnTable, scripted, step, transient } from '../support/remind-on-table';

let table: Awaited<ReturnType<typeof remindOnTable>>;
let store: (typeof table)['store'];

beforeAll(async () => {
  table = await remindOnTable();
  store = table.store;
});

const open = (accountId: string) => table.open(accountId);
const kinds = (accountId: string) => table.kinds(accountId);
const remind = (provider: MessageSender, accounts?: AccountStore, clock?: Clock) =>
  table.remind(provider, { accounts, clock });

describe('send-once', () => {
  it('sends one message when the step dies after the send and is retried', async () => {
    const opened = await open('S1');
    const provider = scripted(['ok']);
    // The first attempt's record write is lost, as if the function died right after sending.
    let lose = true;
    const dying: AccountStore = Object.assign(Object.create(store), {
      save: async (change: Parameters<AccountStore['save']>[0]) => {
        if (lose && change.entries?.some((e) => e.kind === 'contact')) {
          lose = false;
          throw new Error('function timed out');
        }
        return store.save(change);
      },
    });
    await expect(remind(provider.sender, dying)(step('S1', opened.version))).rejects.toThrow('function timed out');
    expect((await store.getState('S1'))?.pendingContact?.contactId).toBe('2026-01-C1');
    // The retry runs on a newer version (the pending write): it finishes the pending message.
    await remind(provider.sender, dying)(step('S1', opened.version));
    expect(provider.accepted).toEqual(['2026-01-C1']);
    expect(provider.calls()).toBe(1);
    expect(await kinds('S1')).toEqual(['started', 'ledger', 'contact']);
    expect((await store.getState('S1'))?.pendingContact).toBeNull();
  });

  it('keeps a message pending through a transient failure and sends it on the retry', async () => {
    const opened = await open('S2');
    const provider = scripted([transient(), 'ok']);
    await expect(remind(provider.sender)(step('S2', opened.version))).rejects.toThrow(
      /send of 2026-01-C1 failed \(attempt 1 of 3\)/,
    );
    expect((await store.getState('S2'))?.pendingContact).toMatchObject({ contactId: '2026-01-C1', attempts: 1 });
    await remind(provider.sender)(step('S2', opened.version));
    expect(provider.accepted).toEqual(['2026-01-C1']);
    expect(await kinds('S2')).toEqual(['started', 'ledger', 'contact']);
  });

  it('records a refused message as failed, with the reason, and not as a contact', async () => {
    const opened = await open('S3');
    const provider = scripted([
      new PermanentSendError('ConflictException (DESTINATION_PHONE_NUMBER_OPTED_OUT): Conflict Occurred'),
    ]);
    await remind(provider.sender)(step('S3', opened.version));
    const record = await store.record('S3', '2026-01');
    expect(record.map((e) => e.kind)).toEqual(['started', 'ledger', 'contact-failed']);
    expect(record[2]).toMatchObject({
      contactId: '2026-01-C1',
      channel: 'sms',
      reason: expect.stringContaining('OPTED_OUT'),
    });
    expect((await store.getState('S3'))?.history).toMatchObject({ contacts: 0, failedSends: 1 });
  });

  it('answers a retry of a step it already recorded exactly as the first attempt, sending nothing more', async () => {
    const opened = await open('S5');
    const provider = scripted(['ok']);
    const first = await remind(provider.sender)(step('S5', opened.version));
    const retried = await remind(provider.sender)(step('S5', opened.version));
    expect(retried.step).toMatchObject({
      action: 'wait',
      version: first.step.version,
      waitSeconds: first.step.waitSeconds,
    });
    expect(first.step.version).toBe(opened.version + 2);
    expect(provider.accepted).toEqual(['2026-01-C1']);
    expect(await kinds('S5')).toEqual(['started', 'ledger', 'contact']);
  });

  it(`gives up after ${MAX_SEND_ATTEMPTS} transient failures and records the failure`, async () => {
    const opened = await open('S4');
    const provider = scripted(Array.from({ length: MAX_SEND_ATTEMPTS }, transient));
    for (let i = 1; i < MAX_SEND_ATTEMPTS; i += 1)
      await expect(remind(provider.sender)(step('S4', opened.version))).rejects.toThrow(/failed/);
    await remind(provider.sender)(step('S4', opened.version));
    expect(provider.accepted).toEqual([]);
    expect(await kinds('S4')).toEqual(['started', 'ledger', 'contact-failed']);
  });

  describe('a pending message is decided again before it goes (docs/contract.md §3.3–3.5)', () => {
    const retriedAfter = async (
      accountId: string,
      between: (state: NonNullable<Awaited<ReturnType<typeof store.getState>>>) => Promise<void>,
      later = now,
    ) => {
      const opened = await open(accountId);
      const provider = scripted([transient(), 'ok']);
      await expect(remind(provider.sender)(step(accountId, opened.version))).rejects.toThrow(/attempt 1 of 3/);
      await between((await store.getState(accountId))!);
      await remind(provider.sender, store, { now: () => later })(step(accountId, opened.version));
      return { provider, record: await store.record(accountId, '2026-01') };
    };

    it('drops it when the customer ceased communication while its send was being retried', async () => {
      const { provider, record } = await retriedAfter('S6', async () => {
        await table.apply('S6', {
          detailType: 'CeaseCommunication',
          detail: { accountId: 'S6' },
          source: 'collections.customer',
        });
      });
      expect(provider.accepted).toEqual([]);
      expect(record.map((e) => e.kind)).toEqual(['started', 'ledger', 'cease', 'contact-blocked']);
      expect(record.at(-1)).toMatchObject({ channel: 'sms', rule: 'us-regf/cease-communication' });
      expect((await store.getState('S6'))?.pendingContact).toBeNull();
    });

    it('drops it when the customer paid the overdue amount while its send was being retried', async () => {
      const { provider, record } = await retriedAfter('S8', async (state) => {
        await table.apply('S8', {
          detailType: 'PaymentPosted',
          detail: {
            accountId: 'S8',
            paymentId: 'P1',
            amount: state.overdue,
            currency: 'USD',
            postedAt: now.toISOString(),
          },
          source: 'bank.core',
        });
      });
      expect(provider.accepted).toEqual([]);
      expect(record.map((e) => e.kind)).toEqual(['started', 'ledger', 'payment', 'ledger', 'contact-blocked']);
    });

    it('drops it when the customer promised to pay while its send was being retried: a promise pauses it', async () => {
      const { provider, record } = await retriedAfter('S9', async () => {
        await table.apply('S9', {
          detailType: 'PromiseToPayMade',
          detail: { accountId: 'S9', promiseId: 'PTP-S9', amount: 12_000, dueDate: '2026-01-10' },
          source: 'collections.customer',
        });
      });
      expect(provider.accepted).toEqual([]);
      expect(record.at(-1)).toMatchObject({ kind: 'contact-blocked', channel: 'sms', rule: 'paused-by-promise' });
      expect(record.filter((e) => e.kind === 'contact')).toEqual([]);
      expect(await store.getState('S9')).toMatchObject({ pendingContact: null, promise: { promiseId: 'PTP-S9' } });
    });

    it("drops it when its retry comes after 21:00 in the customer's zone", async () => {
      // Decided at 09:00 in Chicago; the retry comes at 21:05 there.
      const { provider, record } = await retriedAfter('S7', async () => {}, new Date('2026-01-07T03:05:00Z'));
      expect(provider.accepted).toEqual([]);
      expect(record.map((e) => e.kind)).toEqual(['started', 'ledger', 'contact-blocked']);
      expect(record.at(-1)).toMatchObject({ rule: 'us-regf/contact-hours' });
    });
  });
});
