// Right to erasure on the account table (docs/contract.md §10.7): contact points and the customer's own words go,
// the record and its outcomes stay, and the erasure is itself recorded.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { RecordEntry } from '../../domain/record';
import { phoneKey } from '../call-task-items';
import { PROFILE } from '../item-keys';
import { accountPk } from '../table-schema';
import { queryAll, type TableClient } from './dynamodb-pages';

/** What the store read of the account first: its cycle (for the erasure's entry) and the phone to unindex. */
export interface ErasedAccount {
  cycleId: string | undefined;
  phone: string | null | undefined;
}

/**
 * Right to erasure: the profile is replaced by a tombstone and free text the customer wrote (dispute
 * reasons) is blanked; state, payments, contacts and the audit stay, and the erasure is recorded.
 */
export const eraseAccount = async (
  table: TableClient,
  accountId: string,
  at: Date,
  { cycleId, phone }: ErasedAccount,
): Promise<{ erased: string[] }> => {
  const { db, tableName } = table;
  const pk = accountPk(accountId);
  // Free text the customer wrote: a dispute's reason, a late-payment reason's note.
  const withText = (prefix: string, field: string) =>
    queryAll(table, {
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      FilterExpression: 'attribute_exists(#text)',
      ExpressionAttributeNames: { '#text': field },
      ExpressionAttributeValues: { ':pk': pk, ':prefix': prefix },
    }).then((items) => items.map((item) => ({ sk: String(item.sk), field })));
  const texts = [...(await withText('DISPUTE#', 'reason')), ...(await withText('REASON#', 'note'))];
  const erasedAt = at.toISOString();
  // Every write names what it changes and overwrites no whole item: the role holds no PutItem (docs/contract.md
  // §10.7).
  await db.send(
    new UpdateCommand({
      TableName: tableName,
      Key: { pk, sk: PROFILE },
      UpdateExpression: 'SET #name = :empty, email = :null, phone = :null, erasedAt = :at',
      ExpressionAttributeNames: { '#name': 'name' },
      ExpressionAttributeValues: { ':empty': '', ':null': null, ':at': erasedAt },
    }),
  );
  if (phone) await unindexPhone(table, phone, accountId);
  for (const { sk, field } of texts) {
    await db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: { pk, sk },
        UpdateExpression: 'REMOVE #text SET erasedAt = :at',
        ExpressionAttributeNames: { '#text': field },
        ExpressionAttributeValues: { ':at': erasedAt },
      }),
    );
  }
  // The phone index item is named, not its key: the key holds the number.
  const erased = ['PROFILE', ...(phone ? ['PHONE-INDEX'] : []), ...texts.map((item) => item.sk)];
  const entry: RecordEntry = { kind: 'erased', at: erasedAt, items: erased };
  // The record's entry is created once, as every entry is; an update that finds it already there fails.
  await db.send(
    new UpdateCommand({
      TableName: tableName,
      Key: { pk, sk: `EVENT#${erasedAt}#ERASURE` },
      UpdateExpression: 'SET #kind = :kind, #at = :at, #items = :items, cycleId = :cycle',
      ExpressionAttributeNames: { '#kind': 'kind', '#at': 'at', '#items': 'items' },
      ExpressionAttributeValues: {
        ':kind': entry.kind,
        ':at': entry.at,
        ':items': entry.items,
        ':cycle': cycleId ?? '',
      },
      ConditionExpression: 'attribute_not_exists(sk)',
    }),
  );
  return { erased };
};

/** Removes the account's phone index item for `phone`: its key holds the number, so it cannot stay. */
export const unindexPhone = async ({ db, tableName }: TableClient, phone: string, accountId: string): Promise<void> => {
  try {
    await db.send(
      new DeleteCommand({
        TableName: tableName,
        Key: phoneKey(phone, accountId),
        ConditionExpression: 'accountId = :id',
        ExpressionAttributeValues: { ':id': accountId },
      }),
    );
  } catch (error) {
    // Already gone (an erasure or a change retried): nothing of the number is left to remove.
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
};
