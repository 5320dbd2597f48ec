// Send-once under races (docs/contract.md §3.6, §3.9, §3.13): a send that went before a crash, a send another
// invocation is making right now, and an event applied between a message's pending write and its send. Real
// DynamoDB Local store and Powertools' records; the races are put in the handler's way through its ports.
import { beforeAll, describe, expect, it } from 'vitest';
import type { AccountStore, MessageSender } from '../../functions/ports';
import { now, remindOnTable, scripted, step } from '../support/remind-on-table';

let table: Awaited<ReturnType<typeof remindOnTable>>;

beforeAll(async () => {
  table = await remindOnTable();
});

const cease = (accountId: string, at: Date) =>
  table.apply(
    accountId,
    { detailType: 'CeaseCommunication', detail: { accountId }, source: 'collections.customer' },
    at,
  );

const promise = (accountId: string) =>
  table.apply(accountId, {
    detailType: 'PromiseToPayMade',
    detail: { accountId, promiseId: `PTP-${accountId}`, amount: 12_000, dueDate: '2026-01-10' },
    source: 'collections.customer',
  });

/** The store, losing the first write that records a contact, as if the function died right after the send. */
const dyingAfterSend = (): AccountStore => {
  let lose = true;
  return Object.assign(Object.create(table.store) as AccountStore, {
    save: async (change: Parameters<AccountStore['save']>[0]) => {
      if (lose && change.entries?.some((e) => e.kind === 'contact')) {
        lose = false;
        throw new Error('function timed out');
      }
      return table.store.save(change);
    },
  });
};

/** A provider that holds its first send until `release()`: another invocation is sending meanwhile. */
const held = () => {
  const provider = scripted([]);
  let entered!: () => void;
  let release!: () => void;
  const inside = new Promise<void>((resolve) => (entered = resolve));
  const released = new Promise<void>((resolve) => (release = resolve));
  let first = true;
  const sender: MessageSender = {
    async send(to, message, reference) {
      if (first) {
        first = false;
        entered();
        await released;
      }
      return provider.sender.send(to, message, reference);
    },
  };
  return { sender, inside, release, accepted: provider.accepted, calls: provider.calls };
};

describe('a send that went before a crash', () => {
  it('is recorded as sent on the retry, though the customer ceased communication meanwhile', async () => {
    const opened = await table.open('R1');
    const provider = scripted(['ok']);
    await expect(
      table.remind(provider.sender, { accounts: dyingAfterSend() })(step('R1', opened.version)),
    ).rejects.toThrow('function timed out');
    // A minute on, the customer ceases communication; the step's retry comes a minute after that.
    const later = (minutes: number) => new Date(now.getTime() + minutes * 60_000);
    await cease('R1', later(1));
    await table.remind(provider.sender, { clock: { now: () => later(2) } })(step('R1', opened.version));
    // The message went once, before the cease: a contact, counted toward the caps, never re-decided as blocked.
    expect(provider.calls()).toBe(1);
    expect(await table.kinds('R1')).toEqual(['started', 'ledger', 'contact', 'cease']);
    expect((await table.record('R1')).find((e) => e.kind === 'contact')).toMatchObject({
      contactId: '2026-01-C1',
      at: now.toISOString(),
    });
    expect(await table.store.getState('R1')).toMatchObject({ pendingContact: null, history: { contacts: 1 } });
  });
});

describe('a send another invocation is making right now', () => {
  it('is no failed attempt: a retry meanwhile waits (transient), and the message is recorded once sent', async () => {
    const opened = await table.open('R2');
    const provider = held();
    const first = table.remind(provider.sender)(step('R2', opened.version));
    await provider.inside;
    // Step Functions retries the step while the first invocation is still sending, three times.
    for (let retry = 0; retry < 3; retry += 1) {
      await expect(table.remind(provider.sender)(step('R2', opened.version))).rejects.toMatchObject({
        name: 'TransientError',
        message: expect.stringContaining('in progress'),
      });
    }
    expect((await table.store.getState('R2'))?.pendingContact).toMatchObject({ contactId: '2026-01-C1', attempts: 0 });
    provider.release();
    await first;
    expect(provider.accepted).toEqual(['2026-01-C1']);
    expect(await table.kinds('R2')).toEqual(['started', 'ledger', 'contact']);
  });

  it('is no failed attempt either when the retry meets it only at its own send', async () => {
    const opened = await table.open('R4');
    const provider = held();
    const first = table.remind(provider.sender)(step('R4', opened.version));
    await provider.inside;
    // The retry read the send-once record a moment before the first invocation took it: not sent, as it stood then.
    const once = table.onceSenders(provider.sender);
    const readEarlier = { ...once, sms: { ...once.sms, statusOf: async () => 'not-sent' as const } };
    for (let retry = 0; retry < 3; retry += 1) {
      await expect(
        table.remind(provider.sender, { senders: readEarlier })(step('R4', opened.version)),
      ).rejects.toMatchObject({ name: 'TransientError', message: expect.stringContaining('in progress') });
    }
    expect((await table.store.getState('R4'))?.pendingContact).toMatchObject({ attempts: 0 });
    provider.release();
    await first;
    expect(provider.accepted).toEqual(['2026-01-C1']);
    expect(await table.kinds('R4')).toEqual(['started', 'ledger', 'contact']);
  });
});

describe('an event applied between the pending write and the send', () => {
  it('keeps a reminder from going once a promise to pay pauses reminders', async () => {
    const opened = await table.open('R3');
    const provider = scripted(['ok']);
    let raced = false;
    // The customer's promise is applied by the intake right after the reminder is saved as pending.
    const racing: AccountStore = Object.assign(Object.create(table.store) as AccountStore, {
      save: async (change: Parameters<AccountStore['save']>[0]) => {
        const saved = await table.store.save(change);
        if (!raced && change.state.pendingContact) {
          raced = true;
          await promise('R3');
        }
        return saved;
      },
    });
    await table.remind(provider.sender, { accounts: racing })(step('R3', opened.version));
    expect(raced).toBe(true);
    expect(provider.accepted).toEqual([]);
    const record = await table.record('R3');
    expect(record.filter((e) => e.kind === 'contact')).toEqual([]);
    expect(record.at(-1)).toMatchObject({ kind: 'contact-blocked', channel: 'sms', rule: 'paused-by-promise' });
    expect(await table.store.getState('R3')).toMatchObject({ pendingContact: null, promise: { promiseId: 'PTP-R3' } });
  });
});
