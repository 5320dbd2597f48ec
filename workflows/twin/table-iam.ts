// IAM on the local stack's table (docs/contract.md §10.2.1): each function's DynamoDB requests, on DynamoDB Local and
// on the in-process store alike, are evaluated against its role's statements as the synthesized template writes them
// (stack-iam.ts): each action on the table its environment names, a query of an index on that index's ARN, a read or
// a write with the partition keys it reads or writes as `dynamodb:LeadingKeys`, and the key the table is encrypted
// with (`kms:Decrypt`, via DynamoDB). A request it is not allowed fails as AWS fails it: AccessDeniedException, which
// nothing retries.
import { TABLE_KEYS } from '../../functions/adapters/table-schema';
import { stackIam, type TemplateIam } from './stack-iam';

export { AccessDeniedException } from './stack-iam';

type Input = Record<string, unknown> | undefined;

const TRANSACT_ACTIONS: Record<string, string> = {
  Put: 'PutItem',
  Update: 'UpdateItem',
  Delete: 'DeleteItem',
  ConditionCheck: 'ConditionCheckItem',
};

/** The actions IAM evaluates for a request: a transaction's item by item, else the operation's own. */
export const actionsOfRequest = (operation: string, input: Input): string[] => {
  if (operation === 'TransactWriteItems') {
    const items = (input?.TransactItems ?? []) as Record<string, unknown>[];
    return [...new Set(items.flatMap((item) => Object.keys(item).map((kind) => TRANSACT_ACTIONS[kind] ?? kind)))];
  }
  return [operation];
};

/** The keys of the items a write request writes, item by item. */
export const itemKeysOfRequest = (operation: string, input: Input): { pk: string; sk: string }[] => {
  const keyOf = (item: unknown) => item as { pk?: unknown; sk?: unknown } | undefined;
  const keys =
    operation === 'TransactWriteItems'
      ? ((input?.TransactItems ?? []) as Record<string, { Item?: unknown; Key?: unknown }>[]).flatMap((t) =>
          Object.values(t).map((part) => keyOf(part.Item ?? part.Key)),
        )
      : operation === 'PutItem'
        ? [keyOf(input?.Item)]
        : operation === 'UpdateItem' || operation === 'DeleteItem'
          ? [keyOf(input?.Key)]
          : [];
  return keys.filter((k) => typeof k?.pk === 'string').map((k) => ({ pk: String(k!.pk), sk: String(k!.sk ?? '') }));
};

/** The partition keys a read request reads: the items it gets, or the partition a query of the table names. */
const readPartitionsOf = (operation: string, input: Input): unknown[] => {
  switch (operation) {
    case 'GetItem':
      return [(input?.Key as { pk?: unknown } | undefined)?.pk];
    case 'BatchGetItem':
      return Object.values((input?.RequestItems ?? {}) as Record<string, { Keys?: { pk?: unknown }[] }>).flatMap(
        (table) => (table.Keys ?? []).map((key) => key.pk),
      );
    case 'TransactGetItems':
      return ((input?.TransactItems ?? []) as { Get?: { Key?: { pk?: unknown } } }[]).map((t) => t.Get?.Key?.pk);
    case 'Query':
      // A query of an index names the index's key, which is no partition of the table.
      return input?.IndexName === undefined ? [queriedPartition(input)] : [];
    default:
      return [];
  }
};

/** The table partition a query's key condition names (`pk = :v`, or through a name such as `#pk = :v`). */
const queriedPartition = (input: Input): unknown => {
  const names = (input?.ExpressionAttributeNames ?? {}) as Record<string, string>;
  const values = (input?.ExpressionAttributeValues ?? {}) as Record<string, unknown>;
  for (const [, name, value] of String(input?.KeyConditionExpression ?? '').matchAll(/(#?\w+)\s*=\s*(:\w+)/g))
    if ((names[name!] ?? name) === TABLE_KEYS.partitionKey) return values[value!];
  return undefined;
};

/**
 * The partition keys a request reads or writes, item by item: what `dynamodb:LeadingKeys` is evaluated on, for reads
 * as for writes (a statement that scopes a read is held as AWS holds it).
 */
export const partitionsOfRequest = (operation: string, input: Input): string[] => {
  const keys = READ_OPERATIONS.has(operation)
    ? readPartitionsOf(operation, input)
    : itemKeysOfRequest(operation, input).map((k) => k.pk);
  return keys.filter((pk): pk is string => typeof pk === 'string');
};

const READ_OPERATIONS = new Set(['GetItem', 'BatchGetItem', 'TransactGetItems', 'Query']);

/** The index a request reads, if it names one (a Query or Scan of a global secondary index). */
export const indexOfRequest = (input: Input): string | undefined =>
  typeof input?.IndexName === 'string' ? input.IndexName : undefined;

const iamActions = new Map<string, string>();
/** IAM's name of a DynamoDB operation (`dynamodb:PutItem`). */
const iamAction = (operation: string): string => {
  let action = iamActions.get(operation);
  if (action === undefined) iamActions.set(operation, (action = `dynamodb:${operation}`));
  return action;
};

/** What DynamoDB asks of the table's key for any request: the table key decrypted for the caller. */
const DECRYPT = ['kms:Decrypt'] as const;

const tables = new WeakMap<TemplateIam, Map<string, string>>();
/** The ARN of the table a function's environment names (`TABLE_NAME`), as the template's statements name it. */
const tableOf = (iam: TemplateIam, functionName: string): string => {
  let known = tables.get(iam);
  if (!known) tables.set(iam, (known = new Map()));
  let arn = known.get(functionName);
  if (arn === undefined) {
    const name = iam.environments[functionName]?.TABLE_NAME;
    if (name === undefined) throw new Error(`table-iam: ${functionName}'s environment names no table (TABLE_NAME)`);
    arn = `arn:aws:dynamodb:${iam.region}:${iam.account}:table/${name}`;
    known.set(functionName, arn);
  }
  return arn;
};

/**
 * Refuses the request when `functionName` is one of the template's functions and its role may not take one of
 * `actions` (DynamoDB's, unprefixed) on the table, or on `index` for a query of an index, with `partitions` as the
 * request's `dynamodb:LeadingKeys`; or may not decrypt with the table's key. Requests made outside a function
 * (setting up the table, the runner reading results) are not a role's.
 */
export const refuseUngranted = (
  iam: TemplateIam,
  functionName: string | undefined,
  actions: readonly string[],
  index?: string,
  partitions: readonly string[] = [],
): void => {
  const stack = stackIam(iam);
  if (!stack.has(functionName)) return;
  const table = tableOf(iam, functionName);
  const resource = index === undefined ? table : `${table}/index/${index}`;
  const context = partitions.length > 0 ? { 'dynamodb:LeadingKeys': partitions } : undefined;
  for (const action of actions) stack.refuse(functionName, iamAction(action), resource, context);
  stack.refuseKeyUse(functionName, DECRYPT, table, 'dynamodb');
};
