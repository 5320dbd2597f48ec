import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { DynamoPersonStore } from '../../functions/adapters/aws/dynamodb-person-store';
import { MemoryPersonStore } from '../../functions/adapters/in-process/memory-person-store';
import { TTL_ATTRIBUTE } from '../../functions/adapters/table-schema';
import { localTable } from '../support/local-table';
import { personStoreContract } from '../support/person-store-contract';

describe('DynamoDB person store (DynamoDB Local)', () =>
  personStoreContract(async () => {
    const table = await localTable();
    return new DynamoPersonStore(table.doc, table.tableName);
  }));

describe('in-process person store', () => personStoreContract(async () => new MemoryPersonStore()));

describe("the person's items on DynamoDB", () => {
  it("expire a payment's kept split 30 days after it was kept, as the table's TTL reads it", async () => {
    const table = await localTable();
    const store = new DynamoPersonStore(table.doc, table.tableName);
    const keptAt = '2026-03-05T16:00:00.000Z';
    for (const round of [1, 2])
      await store.keepAllocation('CIF-1', 'P1', {
        round,
        parts: [{ accountId: 'A1', amount: 1 }],
        refused: [],
        keptAt,
      });
    const expiry = Date.parse('2026-04-04T16:00:00.000Z') / 1000;
    for (const sk of ['ALLOCATION#P1', 'ALLOCATION#P1#2']) {
      const { Item } = await table.doc.send(
        new GetCommand({ TableName: table.tableName, Key: { pk: 'PERSON#CIF-1', sk } }),
      );
      expect(Item?.[TTL_ATTRIBUTE], sk).toBe(expiry);
    }
  });
});
