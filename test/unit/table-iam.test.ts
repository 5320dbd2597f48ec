// The table's IAM for indexes (CONTRACT §10.2.1): a query of an index needs Query on that index, as the template
// grants it (infra/table-grants.ts INDEX_QUERIES, pinned by the infra test).
import { describe, expect, it } from 'vitest';
import { CALL_QUEUE_INDEX, STATUS_INDEX } from '../../functions/adapters/table-schema';
import { indexOfRequest, refuseUngranted } from '../../workflows/local/table-iam';

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
});
