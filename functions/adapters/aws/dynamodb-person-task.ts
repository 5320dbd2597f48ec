// The person's one open call task on DynamoDB (docs/contract.md §11.1): the pointer in the person's partition, read
// with its task, and the transaction items that make a task or list one more account on it. The account store puts
// these in the change's own transaction, so the state, the record's entry, the task and the pointer move together.
import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { PersonTaskPointer } from '../../domain/person-call';
import type { PersonTaskWrite } from '../../ports';
import { personTaskItem, personTaskKey, TASK_SK, taskPk, toPersonTask, toTask } from '../call-task-items';

/** The pointer and the task it names, each read consistently: the contact step decides on them. */
export const readPersonTask = async (
  db: DynamoDBDocumentClient,
  tableName: string,
  customerId: string,
): Promise<PersonTaskPointer | null> => {
  const get = (Key: Record<string, string>) =>
    db.send(new GetCommand({ TableName: tableName, Key, ConsistentRead: true })).then((r) => r.Item);
  const pointer = await get(personTaskKey(customerId));
  if (!pointer) return null;
  const task = await get({ pk: taskPk(String(pointer.taskId)), sk: TASK_SK });
  return toPersonTask(pointer, task ? toTask(task) : null);
};

/**
 * The items a person's task adds to the change's transaction. Making one puts the pointer at the version read (none:
 * there was none); joining lists the account on the task while it is not dialled and lists as many accounts as when
 * read, and moves the pointer's version on. Any of these conditions failing is the change's conflict.
 */
export const personTaskWrites = (tableName: string, write: PersonTaskWrite) => {
  const pointer = personTaskKey(write.customerId);
  if (!write.join)
    return [
      {
        Put: {
          TableName: tableName,
          Item: personTaskItem(write),
          ConditionExpression: write.expectedVersion === null ? 'attribute_not_exists(pk)' : 'version = :v',
          ...(write.expectedVersion === null ? {} : { ExpressionAttributeValues: { ':v': write.expectedVersion } }),
        },
      },
    ];
  const { accountId, listed } = write.join;
  // Listed already (an earlier cycle of the account held the task): the task must still be open all the same.
  const append = !listed.includes(accountId);
  const onTask = {
    TableName: tableName,
    Key: { pk: taskPk(write.taskId), sk: TASK_SK },
    ConditionExpression: '#status <> :dialled AND size(accountIds) = :n',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: { ':dialled': 'dialled', ':n': listed.length } as Record<string, unknown>,
  };
  return [
    {
      Update: {
        TableName: tableName,
        Key: pointer,
        UpdateExpression: 'SET version = :next',
        ConditionExpression: 'version = :v AND taskId = :t',
        ExpressionAttributeValues: {
          ':v': write.expectedVersion,
          ':next': (write.expectedVersion ?? 0) + 1,
          ':t': write.taskId,
        },
      },
    },
    {
      Update: {
        ...onTask,
        // Listed already: the update changes nothing, and only its condition counts (no ConditionCheckItem grant).
        UpdateExpression: append ? 'SET accountIds = list_append(accountIds, :id)' : 'SET accountIds = accountIds',
        ExpressionAttributeValues: { ...onTask.ExpressionAttributeValues, ...(append ? { ':id': [accountId] } : {}) },
      },
    },
  ];
};
