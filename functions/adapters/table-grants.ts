// The DynamoDB actions each function's role is granted on the table and its indexes: the stack builds its policies
// from this table, and an infra test pins the synthesized template to it. The local stack does not read it: it holds
// each request to the template's own statements (workflows/twin/table-iam.ts, docs/contract.md §10.2.1), so a policy
// the stack builds wrong is refused locally as in AWS. No CDK here.
import { CALL_QUEUE_INDEX, STATUS_INDEX } from './table-schema';

/**
 * Item-level DynamoDB actions. No role may scan. Only the two sending functions may delete, for Powertools'
 * send-once records (it removes a record whose send failed, so a retry may send), and erasure and the intake, for
 * the phone index.
 */
export const TABLE = {
  get: 'dynamodb:GetItem',
  batchGet: 'dynamodb:BatchGetItem',
  put: 'dynamodb:PutItem',
  update: 'dynamodb:UpdateItem',
  query: 'dynamodb:Query',
  delete: 'dynamodb:DeleteItem',
} as const;

/** The table actions each function performs, and no others. */
export const TABLE_ACTIONS: Record<string, string[]> = {
  // Every writer also adds to the report's per-day figures (an update in its transaction).
  diagnose: [TABLE.get, TABLE.put, TABLE.update],
  remind: [TABLE.batchGet, TABLE.get, TABLE.put, TABLE.update, TABLE.delete],
  'offer-plan': [TABLE.batchGet, TABLE.get, TABLE.put, TABLE.update, TABLE.delete],
  escalate: [TABLE.get, TABLE.put, TABLE.update],
  letter: [TABLE.batchGet, TABLE.get, TABLE.put, TABLE.update],
  // The daily report reads the per-day figures by key and queries the status index; it writes nothing here.
  report: [TABLE.batchGet],
  close: [TABLE.get, TABLE.put, TABLE.update],
  // Parks the token (an update); a stale park reads the state to tell its own retry from a change (a get).
  'await-event': [TABLE.get, TABLE.update],
  // Deletes only the phone index item of a number the customer changed (SCOPED_WRITES).
  intake: [TABLE.get, TABLE.put, TABLE.update, TABLE.delete],
  // Erasure deletes the phone index item (its key holds the number, so it cannot stay); every other write of it is
  // an update naming its fields (the profile's contact points, a text, the record's create-once entry).
  erase: [TABLE.get, TABLE.batchGet, TABLE.query, TABLE.update, TABLE.delete],
  // Reads accounts, records, the call queue and the phone index; claims and dials are conditional updates of task
  // items; a claim also puts the collector's list of claims, and a claim or an inbound call puts an access item.
  api: [TABLE.get, TABLE.batchGet, TABLE.query, TABLE.put, TABLE.update],
};

/**
 * Writes allowed only on items whose partition key starts so (IAM's `dynamodb:LeadingKeys`): the API writes call
 * tasks (claims, dials), collectors' claim lists and access items, and never an account's own items, whose
 * changes go through the bus and the intake; the intake deletes phone index items only.
 */
export const SCOPED_WRITES: Record<string, { actions: readonly string[]; leadingKeys: readonly string[] }> = {
  api: { actions: [TABLE.put, TABLE.update], leadingKeys: ['TASK#*', 'AGENT#*', 'ACCESS#*'] },
  // The intake deletes nothing of an account's own: only the index item of a phone number it no longer has.
  intake: { actions: [TABLE.delete], leadingKeys: ['PHONE#*'] },
};

/** The person's partitions (functions/adapters/person-items.ts), as `dynamodb:LeadingKeys` patterns. */
export const PERSON_PARTITIONS = ['PERSON#*'] as const;

/**
 * The table actions each function may take on a person's partition (docs/contract.md §11.1); a function not named
 * here may take none there, its table actions reaching every partition but those. The intake keeps the person (their
 * accounts, facts and kept splits: reads, puts and updates); the two sending steps take and give back places on the
 * person's contact ledger (conditional updates). No function may delete there.
 */
export const PERSON_ACTIONS: Record<string, readonly string[]> = {
  intake: [TABLE.get, TABLE.put, TABLE.update],
  remind: [TABLE.update],
  'offer-plan': [TABLE.update],
};

/**
 * The indexes each function may query (`dynamodb:Query` on `<table>/index/<name>`): the API the call queue, the
 * report the status index. A query of the table itself needs `dynamodb:Query` in TABLE_ACTIONS; one of an index
 * needs that index here.
 */
export const INDEX_QUERIES: Record<string, readonly string[]> = {
  api: [CALL_QUEUE_INDEX.indexName],
  report: [STATUS_INDEX.indexName],
};
