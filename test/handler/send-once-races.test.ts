// Send-once under races (docs/contract.md §3.9, §3.13): a send another invocation is making right now. Real
// DynamoDB Local store and Powertools' records; the race is put in the handler's way through its ports.
import { beforeAll, describe, expect, it } from 'vitest';
import type { MessageSender } from '../../functions/ports';
import { remindOnTable, scripted, step } from '../support/remind-on-table';

let table: Awaited<ReturnType<typeof remindOnTable>>;

beforeAll(async () => {
  table = await remindOnTable();
});

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

describe('a send another invocation is making right now', () => {
  it('is no failed attempt: a retry meanwhile waits (a transient error), and the message is recorded once sent', async () => {
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
});
