// The send-once contract, against Powertools idempotency on DynamoDB Local and the in-process one.
import { describe, expect, it } from 'vitest';
import { sendOnce } from '../../functions/adapters/aws/send-once';
import { memorySendOnce } from '../../functions/adapters/in-process/memory-send-once';
import type { MessageSender, SendOnceSender } from '../../functions/ports';
import { PermanentSendError, SendInProgressError } from '../../functions/errors';
import { localTable } from '../support/local-table';

const sendOnceContract = (wrap: () => Promise<(sender: MessageSender) => SendOnceSender>) => {
  const provider = (fail?: Error) => {
    const accepted: string[] = [];
    let failNext = fail;
    const sender: MessageSender = {
      async send(_to, _m, reference) {
        if (failNext) {
          const error = failNext;
          failNext = undefined;
          throw error;
        }
        accepted.push(reference.contactId);
        return { messageId: `M-${reference.contactId}` };
      },
    };
    return { sender, accepted };
  };
  const message = { subject: 's', text: 't' };

  it('sends a contact id once and returns the first result to every repeat', async () => {
    const { sender, accepted } = provider();
    const once = (await wrap())(sender);
    expect(await once.send('x', message, { accountId: 'A1', contactId: 'C1' })).toEqual({ messageId: 'M-C1' });
    expect(await once.send('x', message, { accountId: 'A1', contactId: 'C1' })).toEqual({ messageId: 'M-C1' });
    await once.send('x', message, { accountId: 'A1', contactId: 'C2' });
    expect(accepted).toEqual(['C1', 'C2']);
  });

  it('tells a message that went from one that did not, without sending it', async () => {
    const { sender, accepted } = provider(new PermanentSendError('refused'));
    const once = (await wrap())(sender);
    const reference = { accountId: 'A5', contactId: 'C1' };
    expect(await once.statusOf(reference)).toBe('not-sent');
    await expect(once.send('x', message, reference)).rejects.toBeInstanceOf(PermanentSendError);
    // A failed send is forgotten: the message may still go.
    expect(await once.statusOf(reference)).toBe('not-sent');
    await once.send('x', message, reference);
    expect(await once.statusOf(reference)).toBe('sent');
    expect(await once.statusOf({ accountId: 'A5', contactId: 'C2' })).toBe('not-sent');
    expect(accepted).toEqual(['C1']);
  });

  it('keeps the same contact id apart for different accounts', async () => {
    const { sender, accepted } = provider();
    const once = (await wrap())(sender);
    await once.send('x', message, { accountId: 'A1', contactId: 'C1' });
    await once.send('x', message, { accountId: 'A2', contactId: 'C1' });
    expect(accepted).toEqual(['C1', 'C1']);
  });

  it('forgets a failed send, so a retry sends, and passes the error on unchanged', async () => {
    const { sender, accepted } = provider(new PermanentSendError('refused'));
    const once = (await wrap())(sender);
    await expect(once.send('x', message, { accountId: 'A3', contactId: 'C1' })).rejects.toBeInstanceOf(
      PermanentSendError,
    );
    await once.send('x', message, { accountId: 'A3', contactId: 'C1' });
    expect(accepted).toEqual(['C1']);
  });

  it('refuses a repeat while the first send is still going, as a transient error that is no send', async () => {
    const { sender, accepted } = provider();
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let entered!: () => void;
    const inside = new Promise<void>((resolve) => (entered = resolve));
    const slow: MessageSender = {
      async send(to, m, reference) {
        entered();
        await released;
        return sender.send(to, m, reference);
      },
    };
    const once = (await wrap())(slow);
    const first = once.send('x', message, { accountId: 'A4', contactId: 'C1' });
    await inside;
    const repeat = once.send('x', message, { accountId: 'A4', contactId: 'C1' });
    await expect(repeat).rejects.toBeInstanceOf(SendInProgressError);
    await expect(repeat).rejects.toMatchObject({ name: 'TransientError' });
    expect(await once.statusOf({ accountId: 'A4', contactId: 'C1' })).toBe('in-progress');
    release();
    expect(await first).toEqual({ messageId: 'M-C1' });
    expect(accepted).toEqual(['C1']);
  });
};

describe('send-once with Powertools idempotency (DynamoDB Local)', () =>
  sendOnceContract(async () => {
    const table = await localTable();
    return (sender) => sendOnce(sender, table.client, table.tableName);
  }));

describe('send-once in process', () => sendOnceContract(async () => memorySendOnce));
