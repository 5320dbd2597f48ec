import { describe } from 'vitest';
import { DynamoPersonStore } from '../../functions/adapters/aws/dynamodb-person-store';
import { MemoryPersonStore } from '../../functions/adapters/in-process/memory-person-store';
import { localTable } from '../support/local-table';
import { personStoreContract } from '../support/person-store-contract';

describe('DynamoDB person store (DynamoDB Local)', () =>
  personStoreContract(async () => {
    const table = await localTable();
    return new DynamoPersonStore(table.doc, table.tableName);
  }));

describe('in-process person store', () => personStoreContract(async () => new MemoryPersonStore()));
