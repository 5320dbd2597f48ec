// IAM on the local stack's table (docs/contract.md §10.2.1): each function's DynamoDB requests, on DynamoDB Local and
// on the in-process store alike, are checked against the actions its role is granted on the table and on each index
// (functions/adapters/table-grants.ts, which the synthesized template is built from and pinned to). A request it is not
// granted fails as AWS fails it: AccessDeniedException, which nothing retries.
import { INDEX_QUERIES, SCOPED_WRITES, TABLE_ACTIONS } from '../../functions/adapters/table-grants';

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

/** An error as AWS answers a call the caller's role does not allow. */
export class AccessDeniedException extends Error {
  override readonly name = 'AccessDeniedException';
}

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

/** The partition keys a write request writes, item by item (what `dynamodb:LeadingKeys` is evaluated on). */
export const partitionsOfRequest = (operation: string, input: Input): string[] =>
  itemKeysOfRequest(operation, input).map((k) => k.pk);

/** Whether a partition key matches one of IAM's `dynamodb:LeadingKeys` patterns (`TASK#*`: a prefix). */
const matchesLeadingKey = (pk: string, patterns: readonly string[]) =>
  patterns.some((p) => (p.endsWith('*') ? pk.startsWith(p.slice(0, -1)) : pk === p));

/** The index a request reads, if it names one (a Query or Scan of a global secondary index). */
export const indexOfRequest = (input: Input): string | undefined =>
  typeof input?.IndexName === 'string' ? input.IndexName : undefined;

/**
 * Refuses the request when `functionName` is one of the stack's functions and its role lacks one of `actions` on
 * the table, or, for a query of `index`, Query on that index (INDEX_QUERIES). Requests made outside a function
 * (setting up the table, the runner reading results) are not a role's.
 */
export const refuseUngranted = (
  functionName: string | undefined,
  actions: readonly string[],
  index?: string,
  partitions: readonly string[] = [],
): void => {
  const granted = functionName === undefined ? undefined : TABLE_ACTIONS[functionName];
  if (!granted) return;
  // Writes granted only on some partitions (SCOPED_WRITES, the `dynamodb:LeadingKeys` condition).
  const scoped = SCOPED_WRITES[functionName!];
  const writes = scoped && actions.some((a) => scoped.actions.includes(`dynamodb:${a}`));
  const outside = writes ? partitions.find((pk) => !matchesLeadingKey(pk, scoped.leadingKeys)) : undefined;
  if (outside !== undefined)
    throw new AccessDeniedException(
      `User: arn:aws:sts::000000000000:assumed-role/${functionName}/local is not authorized to perform: ` +
        `dynamodb:${actions.join(',')} on an item whose key begins ${outside.split('#')[0]}# because its policy ` +
        `allows writes only where dynamodb:LeadingKeys is ${scoped!.leadingKeys.join(' or ')}`,
    );
  if (index !== undefined) {
    if ((INDEX_QUERIES[functionName!] ?? []).includes(index) && actions.every((a) => a === 'Query')) return;
    throw new AccessDeniedException(
      `User: arn:aws:sts::000000000000:assumed-role/${functionName}/local is not authorized to perform: ` +
        `dynamodb:${actions.join(',')} on the collections table's index ${index} because no identity-based ` +
        `policy allows it`,
    );
  }
  const missing = actions.find((action) => !granted.includes(`dynamodb:${action}`));
  if (missing)
    throw new AccessDeniedException(
      `User: arn:aws:sts::000000000000:assumed-role/${functionName}/local is not authorized to perform: ` +
        `dynamodb:${missing} on the collections table because no identity-based policy allows the ` +
        `dynamodb:${missing} action`,
    );
};
