// The table's IAM beyond actions (docs/contract.md §10.2.1), as the synthesized template writes it: a query of an index
// needs Query on that index's ARN, the API's writes only reach the partitions its policy's LeadingKeys condition names,
// a person's partition only the functions that keep the person, for reads as for writes, and every request needs the
// table's key.
import { beforeAll, describe, expect, it } from 'vitest';
import { CALL_QUEUE_INDEX, STATUS_INDEX } from '../../functions/adapters/table-schema';
import { POLICY_PACKS } from '../../policies/built-in-packs';
import { denial } from '../support/planted';
import { loadWorkflow } from '../../workflows/twin/synthesized-workflow';
import type { TemplateIam } from '../../workflows/twin/stack-iam';
import {
  actionsOfRequest,
  indexOfRequest,
  itemKeysOfRequest,
  partitionsOfRequest,
  refuseUngranted as refuse,
} from '../../workflows/twin/table-iam';

let iam: TemplateIam;
beforeAll(async () => {
  iam = (await loadWorkflow(POLICY_PACKS['us-regf'])).iam;
});
const refuseUngranted = (...args: Parameters<typeof refuse> extends [unknown, ...infer R] ? R : never) =>
  refuse(iam, ...args);

describe('IAM on the table, index by index', () => {
  it("holds each function to its role's table actions; requests outside a function are no role's", () => {
    expect(() => refuseUngranted('await-event', ['GetItem', 'UpdateItem'])).not.toThrow();
    expect(() => refuseUngranted('await-event', ['PutItem'])).toThrow(
      denial(
        'assumed-role/AwaitEventFunctionServiceRole*/await-event',
        'dynamodb:PutItem',
        'arn:aws:dynamodb:us-east-1:000000000000:table/DataTable*',
        'because no identity-based policy allows',
      ),
    );
    expect(() => refuseUngranted('report', ['GetItem'])).toThrow(/dynamodb:GetItem/);
    expect(() => refuseUngranted(undefined, ['Scan'])).not.toThrow();
    // A transaction is evaluated item by item.
    expect(
      actionsOfRequest('TransactWriteItems', { TransactItems: [{ Put: {} }, { Update: {} }, { Put: {} }] }),
    ).toEqual(['PutItem', 'UpdateItem']);
  });

  it('lets the API query the call queue and the report the status index, and no function any other', () => {
    // An index needs its own grant: the API may query the call queue's, the report the status index, and no other.
    expect(() => refuseUngranted('api', ['Query'], CALL_QUEUE_INDEX.indexName)).not.toThrow();
    expect(() => refuseUngranted('api', ['Query'], STATUS_INDEX.indexName)).toThrow(
      new RegExp(
        `/api is not authorized to perform: dynamodb:Query on resource: \\S+/index/${STATUS_INDEX.indexName} `,
      ),
    );
    expect(() => refuseUngranted('report', ['Query'], STATUS_INDEX.indexName)).not.toThrow();
    expect(() => refuseUngranted('report', ['Query'])).toThrow(/\/report is not authorized to perform: dynamodb:Query/);
    expect(() => refuseUngranted('diagnose', ['Query'], CALL_QUEUE_INDEX.indexName)).toThrow(/index/);
    expect(indexOfRequest({ IndexName: 'callQueue' })).toBe('callQueue');
  });

  it("holds the API's writes to task, claim-list and access items (dynamodb:LeadingKeys), as its policy does", () => {
    for (const pk of ['TASK#C1-T1', 'AGENT#agent-1', 'ACCESS#A1'])
      expect(() => refuseUngranted('api', ['UpdateItem'], undefined, [pk])).not.toThrow();
    expect(() => refuseUngranted('api', ['PutItem'], undefined, ['TASK#C1-T1', 'ACCOUNT#A1'])).toThrow(
      /\/api is not authorized to perform: dynamodb:PutItem on resource: \S+ because no identity-based policy allows/,
    );
    // The API reads any partition but a person's; other functions' writes are not held to these.
    expect(() => refuseUngranted('api', ['GetItem'], undefined, ['ACCOUNT#A1'])).not.toThrow();
    expect(() => refuseUngranted('diagnose', ['PutItem'], undefined, ['ACCOUNT#A1'])).not.toThrow();
  });

  it("needs the table's key for every request: the role's grant, under a key policy that lets IAM decide", () => {
    const withoutKey = structuredClone(iam);
    const diagnose = withoutKey.roles.diagnose!;
    diagnose.statements = diagnose.statements.filter((s) => ![s.Action].flat().some((a) => a?.startsWith('kms:')));
    expect(() => refuse(withoutKey, 'diagnose', ['GetItem'])).toThrow(
      denial('/diagnose', 'kms:Decrypt', 'arn:aws:kms:*', '(the key of *table/DataTable*) because no identity-based'),
    );
    expect(() => refuse(withoutKey, 'close', ['GetItem'])).not.toThrow();
    // The key policy without its statement for the account: no role's own grant is enough.
    const closedKey = structuredClone(iam);
    const [key] = Object.values(closedKey.keys);
    closedKey.resourcePolicies[key!] = closedKey.resourcePolicies[key!]!.filter((s) => s.Action !== 'kms:*');
    expect(() => refuse(closedKey, 'close', ['GetItem'])).toThrow(
      /kms:Decrypt on resource: \S+ \(the key of \S+\) because no resource-based policy allows/,
    );
  });

  it('reads the partition keys a write request writes, item by item', () => {
    const transaction = {
      TransactItems: [
        { Put: { Item: { pk: 'ACCOUNT#A1', sk: 'STATE' } } },
        { Update: { Key: { pk: 'DAILY#2026-01-05', sk: 'SHARD#01' } } },
        { ConditionCheck: { Key: { pk: 'TASK#T1', sk: 'TASK' } } },
      ],
    };
    expect(partitionsOfRequest('TransactWriteItems', transaction)).toEqual([
      'ACCOUNT#A1',
      'DAILY#2026-01-05',
      'TASK#T1',
    ]);
    expect(itemKeysOfRequest('TransactWriteItems', transaction)[1]).toEqual({ pk: 'DAILY#2026-01-05', sk: 'SHARD#01' });
    expect(partitionsOfRequest('UpdateItem', { Key: { pk: 'TASK#T1' } })).toEqual(['TASK#T1']);
  });

  it('reads the partition keys a read request reads: each item it gets, the partition a query names', () => {
    expect(partitionsOfRequest('GetItem', { Key: { pk: 'PERSON#C1', sk: 'PERSON' } })).toEqual(['PERSON#C1']);
    const batch = { RequestItems: { T: { Keys: [{ pk: 'ACCOUNT#A1' }, { pk: 'ACCOUNT#B2' }] } } };
    expect(partitionsOfRequest('BatchGetItem', batch)).toEqual(['ACCOUNT#A1', 'ACCOUNT#B2']);
    const query = (KeyConditionExpression: string, extra = {}) => ({
      KeyConditionExpression,
      ExpressionAttributeValues: { ':pk': 'ACCOUNT#A1', ':prefix': 'EVENT#' },
      ...extra,
    });
    expect(partitionsOfRequest('Query', query('pk = :pk AND begins_with(sk, :prefix)'))).toEqual(['ACCOUNT#A1']);
    expect(partitionsOfRequest('Query', query('#k = :pk', { ExpressionAttributeNames: { '#k': 'pk' } }))).toEqual([
      'ACCOUNT#A1',
    ]);
    // A query of an index reads the index's partitions, none of the table's.
    expect(partitionsOfRequest('Query', query('gsi1pk = :pk', { IndexName: 'byStatusBucket' }))).toEqual([]);
  });

  it("gives a person's partition only to the intake (reads and writes) and the sending steps (updates)", () => {
    const person = ['PERSON#C1'];
    for (const fn of ['intake', 'remind', 'offer-plan'])
      expect(() => refuseUngranted(fn, ['UpdateItem'], undefined, person), fn).not.toThrow();
    expect(() => refuseUngranted('intake', ['GetItem', 'PutItem'], undefined, person)).not.toThrow();
    expect(() => refuseUngranted('remind', ['GetItem'], undefined, person)).toThrow(
      denial('/remind', 'dynamodb:GetItem', '*table/DataTable*', 'because no identity-based policy allows'),
    );
    for (const fn of ['diagnose', 'escalate', 'close', 'letter', 'await-event', 'erase', 'api'])
      expect(() => refuseUngranted(fn, ['GetItem'], undefined, person), fn).toThrow(/dynamodb:GetItem/);
    expect(() => refuseUngranted('report', ['BatchGetItem'], undefined, ['DAILY#2026-03-05', ...person])).toThrow(
      /\/report is not authorized to perform: dynamodb:BatchGetItem/,
    );
    // Their own partitions as before.
    expect(() =>
      refuseUngranted('remind', ['GetItem', 'PutItem', 'DeleteItem'], undefined, ['ACCOUNT#A1']),
    ).not.toThrow();
    expect(() => refuseUngranted('report', ['BatchGetItem'], undefined, ['DAILY#2026-03-05'])).not.toThrow();
  });
});
