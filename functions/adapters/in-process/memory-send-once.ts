// Send-once in process memory, with the semantics of the Powertools idempotency the AWS adapter uses: a
// completed send returns its stored result, one in progress refuses a concurrent duplicate, a failed one
// is forgotten so a retry may send, and each can be asked after. The same contract tests run against both.
import { SendInProgressError } from '../../errors';
import type { MessageSender, SendOnceSender } from '../../ports';
import { accountPk } from '../table-schema';

/**
 * Told of each record request the DynamoDB persistence would make, and the partition it reads or writes (the
 * account's), so usage figures and IAM match either way.
 */
export type SendOnceObserver = (
  operation: 'GetItem' | 'PutItem' | 'UpdateItem' | 'DeleteItem',
  partition: string,
) => void;

type SendRecord = { status: 'in-progress' } | { status: 'completed'; result: { messageId: string } };

/** The sender, sending once per contact; `forget` drops an account's records (a simulation done with it). */
export const memorySendOnce = (
  sender: MessageSender,
  observe: SendOnceObserver = () => {},
): SendOnceSender & { forget(accountId: string): void } => {
  // By account, then contactId: the DynamoDB records live in the account's partition too.
  const byAccount = new Map<string, Map<string, SendRecord>>();
  return {
    forget(accountId) {
      byAccount.delete(accountId);
    },
    async statusOf(reference) {
      observe('GetItem', accountPk(reference.accountId));
      const record = byAccount.get(reference.accountId)?.get(reference.contactId);
      return record?.status === 'completed' ? 'sent' : (record?.status ?? 'not-sent');
    },
    async send(to, message, reference) {
      let records = byAccount.get(reference.accountId);
      if (!records) byAccount.set(reference.accountId, (records = new Map()));
      const key = reference.contactId;
      const record = records.get(key);
      if (record?.status === 'completed') return record.result;
      if (record?.status === 'in-progress') throw new SendInProgressError(reference.contactId);
      records.set(key, { status: 'in-progress' });
      const partition = accountPk(reference.accountId);
      observe('PutItem', partition);
      try {
        const result = await sender.send(to, message, reference);
        records.set(key, { status: 'completed', result });
        observe('UpdateItem', partition);
        return result;
      } catch (error) {
        records.delete(key);
        observe('DeleteItem', partition);
        throw error;
      }
    },
  };
};
