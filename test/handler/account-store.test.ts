import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { folderDocuments } from '../../functions/adapters/in-process/local-documents';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoAccountStore } from '../../functions/adapters/aws/dynamodb-account-store';
import { DeleteCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import { applyEvent } from '../../functions/domain/apply-event';
import { POLICY_PACKS } from '../../policies/built-in-packs';
import type { AccountState } from '../../functions/domain/account';
import { at, delinquent } from '../support/fixtures';
import { localTable } from '../support/local-table';
import { accountStoreContract } from '../support/account-store-contract';
import { callQueueContract } from '../support/call-queue-contract';
import { personTaskContract } from '../support/person-task-contract';
import { MemoryAccountStore } from '../../functions/adapters/in-process/memory-account-store';
import { dynamoEndpoint } from '../support/dynamo';
import { StackOutputs } from '../../workflows/twin/outputs';
import { startAwsEndpoint } from '../../workflows/twin/aws-endpoint';
import { noFaults } from '../../workflows/twin/faults';
import { DEAD_LETTER_QUEUE_NAME, deadLetterQueueOperations } from '../../workflows/twin/local-dead-letter-queue';

const us = POLICY_PACKS['us-regf'];
const ROOT = path.resolve(import.meta.dirname, '../..');
let repo: DynamoAccountStore;
let table: Awaited<ReturnType<typeof localTable>>;

beforeAll(async () => {
  table = await localTable();
  repo = new DynamoAccountStore(table.doc, table.tableName);
});

const open = async (accountId: string): Promise<AccountState> => {
  const outcome = applyEvent(null, delinquent({ accountId }), at('2026-01-05T06:00:00Z'), us);
  if (outcome.kind !== 'applied') throw new Error(outcome.reason);
  const saved = await repo.save({
    state: outcome.state,
    expectedVersion: null,
    entries: outcome.entries,
    profile: outcome.profile,
  });
  if (saved.kind !== 'saved') throw new Error(saved.kind);
  return saved.state;
};

const dynamoStore = async () => {
  const own = await localTable();
  return new DynamoAccountStore(own.doc, own.tableName);
};
const memoryStore = async () => new MemoryAccountStore();

describe('DynamoDB store (DynamoDB Local)', () => accountStoreContract(dynamoStore));
describe('DynamoDB call queue (DynamoDB Local)', () => callQueueContract(dynamoStore));
describe("DynamoDB person's call task (DynamoDB Local)", () => personTaskContract(dynamoStore));

describe('in-process store', () => accountStoreContract(memoryStore));
describe('in-process call queue', () => callQueueContract(memoryStore));
describe("in-process person's call task", () => personTaskContract(memoryStore));

describe('in-process store letting a finished account go (long simulations)', () => {
  it(
    'drops the record entries and call tasks, and keeps the state, profile and claims, so later events meet ' +
      'the same answers',
    async () => {
      const store = new MemoryAccountStore();
      const opened = applyEvent(null, delinquent({ accountId: 'L1' }), at('2026-01-05T06:00:00Z'), us);
      if (opened.kind !== 'applied') throw new Error(opened.kind);
      const first = await store.save({
        state: opened.state,
        expectedVersion: null,
        entries: opened.entries,
        profile: opened.profile,
      });
      if (first.kind !== 'saved') throw new Error(first.kind);
      const task = {
        taskId: 'L1-T1',
        accountId: 'L1',
        accountIds: ['L1'],
        cycleId: first.state.cycleId,
        createdAt: '2026-01-05T15:00:00.000Z',
        expiresAt: '2026-01-06T03:00:00.000Z',
        status: 'open' as const,
        claimedBy: null,
        leaseUntil: null,
      };
      const paid = await store.save({
        state: first.state,
        expectedVersion: first.state.version,
        creates: [{ sk: 'PAYMENT#P1', attributes: { paymentId: 'P1' } }],
        callTasks: [task],
      });
      if (paid.kind !== 'saved') throw new Error(paid.kind);
      expect((await store.record('L1', paid.state.cycleId)).map((e) => e.kind)).toEqual(['started', 'ledger']);

      store.releaseRecord('L1');
      expect(await store.record('L1', paid.state.cycleId)).toEqual([]);
      expect(await store.getTask('L1-T1')).toBeNull();
      expect(await store.getState('L1')).toEqual(paid.state);
      expect((await store.getWithProfile('L1'))?.profile.name).toBe('Ana Diaz');
      expect(await store.getClaim('L1', 'PAYMENT#P1')).toEqual({ paymentId: 'P1' });
      // A redelivered payment is still a duplicate; the versioned save still holds.
      expect(
        await store.save({
          state: paid.state,
          expectedVersion: paid.state.version,
          creates: [{ sk: 'PAYMENT#P1', attributes: {} }],
        }),
      ).toEqual({ kind: 'duplicate', sk: 'PAYMENT#P1' });
      expect(await store.save({ state: paid.state, expectedVersion: first.state.version })).toEqual({
        kind: 'conflict',
      });
    },
  );
});

describe('right to erasure', () => {
  /** The CLI in a process of its own, awaited: it reads the dead-letter queue this process serves. */
  const erase = (...args: string[]) =>
    new Promise<{ status: number; stdout: string; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        [path.join(ROOT, 'node_modules/tsx/dist/cli.mjs'), path.join(ROOT, 'workflows/tools/cli/erase.ts'), ...args],
        { cwd: ROOT, encoding: 'utf8', timeout: 60_000 },
        (error, stdout, stderr) => resolve({ status: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
      );
    });

  it('removes contact points and dispute text, keeps the record and outcomes, and records the erasure', async () => {
    const opened = await open('ER1');
    const dispute = applyEvent(
      opened,
      {
        detailType: 'DisputeRaised',
        detail: { accountId: 'ER1', disputeId: 'D1', reason: 'Ana Diaz says this is not hers' },
      },
      at('2026-01-06T15:00:00Z'),
      us,
    );
    if (dispute.kind !== 'applied') throw new Error(dispute.kind);
    await repo.save({
      state: dispute.state,
      expectedVersion: opened.version,
      entries: dispute.entries,
      creates: [{ sk: 'DISPUTE#D1', attributes: { disputeId: 'D1', reason: 'Ana Diaz says this is not hers' } }],
    });
    const before = await repo.record('ER1', '2026-01');
    // Letters name the customer: a local run's folder holds two for this account and one for another.
    const folder = mkdtempSync(path.join(tmpdir(), 'erase-'));
    const letters = folderDocuments(folder);
    const pdf = new TextEncoder().encode('%PDF Ana Diaz');
    await letters.put('letters/ER1/2026-01-FINAL-NOTICE.pdf', pdf, 'application/pdf');
    await letters.put('letters/ER1/2026-01-PL1-CONFIRMATION.pdf', pdf, 'application/pdf');
    await letters.put('letters/ER10/2026-01-FINAL-NOTICE.pdf', pdf, 'application/pdf');

    // Events the intake could not take keep the customer object in the dead-letter queue (SQS on the local AWS
    // endpoint): two about this account (one too broken to parse), one about another.
    const outputs = new StackOutputs({ keepOutputs: true, timeOf: () => Date.parse('2026-01-06T15:00:00Z') });
    const customer = { name: 'Ana Diaz', email: 'ana@example.com', phone: '+15555550100' };
    const envelope = (accountId: string) =>
      JSON.stringify({ id: `e-${accountId}`, 'detail-type': 'AccountDelinquent', detail: { accountId, customer } });
    outputs.acceptDeadLetter(envelope('ER1'), 'currency: expected an ISO 4217 code');
    outputs.acceptDeadLetter(`{"detail":{"accountId":"ER1","customer":${JSON.stringify(customer)}`, 'not JSON');
    outputs.acceptDeadLetter(envelope('ER10'), 'currency: expected an ISO 4217 code');
    const [first, second, other] = outputs.deadLetters.map((d) => d.messageId);
    const sqs = await startAwsEndpoint(deadLetterQueueOperations(outputs), noFaults);

    const endpoint = await dynamoEndpoint();
    const result = await erase(
      'ER1',
      ...['--table', table.tableName, '--endpoint', endpoint, '--letters-dir', folder],
      ...['--dead-letter-queue', `${sqs.url}/000000000000/${DEAD_LETTER_QUEUE_NAME}`],
    ).finally(() => sqs.close());
    expect(result.status, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      accountId: 'ER1',
      erased: ['PROFILE', 'PHONE-INDEX', 'DISPUTE#D1'],
      letters: ['letters/ER1/2026-01-FINAL-NOTICE.pdf', 'letters/ER1/2026-01-PL1-CONFIRMATION.pdf'],
      deadLetters: [first, second],
    });
    expect(existsSync(path.join(folder, 'letters/ER1'))).toBe(false);
    expect(existsSync(path.join(folder, 'letters/ER10/2026-01-FINAL-NOTICE.pdf'))).toBe(true);
    // The other account's message is still there, and back in view at once for whoever reads the queue next.
    expect(outputs.deadLetters.map((d) => d.messageId)).toEqual([other]);
    expect(outputs.receiveDeadLetters(10, 30).map((d) => d.messageId)).toEqual([other]);

    expect((await repo.getWithProfile('ER1'))?.profile).toEqual({ name: '', email: null, phone: null });
    expect(await repo.getClaim('ER1', 'DISPUTE#D1')).toEqual({ disputeId: 'D1', erasedAt: expect.any(String) });
    const after = await repo.record('ER1', '2026-01');
    expect(after.slice(0, before.length)).toEqual(before);
    expect(after.at(-1)).toMatchObject({ kind: 'erased', items: ['PROFILE', 'PHONE-INDEX', 'DISPUTE#D1'] });
    expect((await repo.getState('ER1'))?.openDisputes).toEqual(['D1']);
  });

  it('erases an account whose state item is gone, from its profile and its phone index', async () => {
    await open('ER2');
    await table.doc.send(new DeleteCommand({ TableName: table.tableName, Key: { pk: 'ACCOUNT#ER2', sk: 'STATE' } }));
    const result = await erase('ER2', '--table', table.tableName, '--endpoint', await dynamoEndpoint());
    expect(result.status, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ accountId: 'ER2', erased: ['PROFILE', 'PHONE-INDEX'] });
    const profile = await table.doc.send(
      new GetCommand({ TableName: table.tableName, Key: { pk: 'ACCOUNT#ER2', sk: 'PROFILE' } }),
    );
    expect(profile.Item).toMatchObject({ name: '', email: null, phone: null });
    const index = await table.doc.send(
      new GetCommand({ TableName: table.tableName, Key: { pk: 'PHONE#+13125550100', sk: 'ACCOUNT#ER2' } }),
    );
    expect(index.Item).toBeUndefined();
  });

  it('refuses an unknown account and a missing table, saying which', async () => {
    const unknown = await erase('NOBODY', '--table', table.tableName, '--endpoint', await dynamoEndpoint());
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain('erase NOBODY: account NOBODY has no collection state');
    const noTable = await erase('ER1');
    expect(noTable.status).toBe(2);
    expect(noTable.stderr).toContain('--table: the table name is required');
  });
});
