// The table's IAM beyond actions (docs/contract.md §10.2.1): a query of an index needs Query on that index, and the
// API's writes only reach the partitions its policy's LeadingKeys condition names (functions/adapters/table-grants.ts,
// pinned to the template by the infra test).
import { describe, expect, it } from 'vitest';
import { CALL_QUEUE_INDEX, STATUS_INDEX } from '../../functions/adapters/table-schema';
import {
  indexOfRequest,
  itemKeysOfRequest,
  partitionsOfRequest,
  refuseUngranted,
} from '../../workflows/twin/table-iam';

describe('IAM on the table, index by index', () => {
  it('lets the API query the call queue and the report the status index, and no function any other', () => {
    // An index needs its own grant: the API may query the call queue's, the report the status index, and no other.
    expect(() => refuseUngranted('api', ['Query'], CALL_QUEUE_INDEX.indexName)).not.toThrow();
    expect(() => refuseUngranted('api', ['Query'], STATUS_INDEX.indexName)).toThrow(
      new RegExp(
        `api/local is not authorized to perform: dynamodb:Query on the collections table's index ` +
          STATUS_INDEX.indexName,
      ),
    );
    expect(() => refuseUngranted('report', ['Query'], STATUS_INDEX.indexName)).not.toThrow();
    expect(() => refuseUngranted('report', ['Query'])).toThrow(
      /report\/local is not authorized to perform: dynamodb:Query/,
    );
    expect(() => refuseUngranted('diagnose', ['Query'], CALL_QUEUE_INDEX.indexName)).toThrow(/index/);
    expect(indexOfRequest({ IndexName: 'callQueue' })).toBe('callQueue');
  });

  it("holds the API's writes to task, claim-list and access items (dynamodb:LeadingKeys), as its policy does", () => {
    for (const pk of ['TASK#C1-T1', 'AGENT#agent-1', 'ACCESS#A1'])
      expect(() => refuseUngranted('api', ['UpdateItem'], undefined, [pk])).not.toThrow();
    expect(() => refuseUngranted('api', ['PutItem'], undefined, ['TASK#C1-T1', 'ACCOUNT#A1'])).toThrow(
      /api\/local is not authorized to perform: dynamodb:PutItem on an item whose key begins ACCOUNT#/,
    );
    // Reads are not scoped; nor are other functions' writes.
    expect(() => refuseUngranted('api', ['GetItem'], undefined, ['ACCOUNT#A1'])).not.toThrow();
    expect(() => refuseUngranted('diagnose', ['PutItem'], undefined, ['ACCOUNT#A1'])).not.toThrow();
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
    expect(partitionsOfRequest('GetItem', { Key: { pk: 'TASK#T1' } })).toEqual([]);
  });
});
