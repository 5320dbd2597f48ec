// Redrive (CONTRACT §10.2.4): a failed execution is visible and `npm run redrive` restarts it against a running
// service, with nothing lost or doubled. The failure is real: the account's state item goes missing under a
// waiting execution, which fails when it wakes (AccountNotFoundError is never retried); the item comes back.
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DeleteItemCommand, DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { SendTaskSuccessCommand, SFNClient } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POLICY_PACKS } from '../../policies/built-in-packs';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../workflows/local/aws-local-ports';
import { LiveStack } from '../../workflows/local/live-stack';
import { dynamoEndpoint } from '../support/dynamo';
import { bankClient, delinquency, putEvent, waitFor } from '../support/live';

const root = path.resolve(import.meta.dirname, '../..');
let live: LiveStack;
const stateFile = path.join(mkdtempSync(path.join(tmpdir(), 'redrive-')), 'serve.json');

beforeAll(async () => {
  live = await LiveStack.start({
    pack: POLICY_PACKS['us-regf'],
    port: 0,
    speed: 600,
    start: new Date('2026-03-02T15:00:00Z'),
    dynamoEndpoint: await dynamoEndpoint(),
  });
  writeFileSync(stateFile, JSON.stringify(live.addresses));
});
afterAll(async () => live?.stop());

/** The CLI in a process of its own, awaited (it calls the endpoint this process serves, so nothing may block). */
const redrive = (...args: string[]) =>
  new Promise<{ status: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      [path.join(root, 'node_modules/tsx/dist/cli.mjs'), path.join(root, 'workflows/cli/redrive.ts'), ...args],
      { cwd: root, encoding: 'utf8' },
      (error, stdout, stderr) => resolve({ status: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });

describe('npm run redrive', () => {
  it('restarts a failed execution, which then goes on from the table as it stands', async () => {
    await putEvent(bankClient(live), 'bank.core', 'AccountDelinquent', delinquency('RD1'));
    const parked = await waitFor(
      'the execution to park',
      async () => (await live.stack.store.getState('RD1'))?.taskToken,
    );
    expect(parked).toEqual(expect.any(String));
    expect(await redrive('RD1', 'C1', '--state-file', stateFile)).toMatchObject({
      status: 1,
      stderr: expect.stringContaining('No failed execution for account RD1, cycle C1'),
    });

    const dynamo = new DynamoDBClient({
      endpoint: live.addresses.dynamodbEndpoint,
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
    });
    const key = { pk: { S: 'ACCOUNT#RD1' }, sk: { S: 'STATE' } };
    const item = (await dynamo.send(new GetItemCommand({ TableName: live.addresses.tableName, Key: key }))).Item!;
    await dynamo.send(new DeleteItemCommand({ TableName: live.addresses.tableName, Key: key }));
    // Woken with the token the item held (as an event would wake it), Diagnose finds no account and the execution
    // fails.
    const sfn = new SFNClient({
      endpoint: live.addresses.eventBridgeEndpoint,
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
    });
    await sfn.send(new SendTaskSuccessCommand({ taskToken: item.taskToken!.S!, output: '{}' }));
    const failed = await waitFor(
      'the execution to fail',
      async () => live.stack.engine.describe('RD1-C1')?.status === 'FAILED' && live.stack.engine.describe('RD1-C1'),
      20_000,
    );
    expect(failed.error).toContain('account RD1 has no collection state');

    await dynamo.send(new PutItemCommand({ TableName: live.addresses.tableName, Item: item }));
    const contactsBefore = (await live.stack.store.getState('RD1'))!.history.contacts;
    const run = await redrive('RD1', 'C1', '--state-file', stateFile);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/:execution:[A-Za-z-]+:RD1-C1 \(it had failed with /);
    expect(live.stack.engine.describe('RD1-C1')).toMatchObject({ status: 'RUNNING', redriveCount: 1 });
    // It diagnoses the account as the table has it and parks again: nothing sent twice for what was recorded.
    await waitFor('the redriven execution to park', async () => (await live.stack.store.getState('RD1'))?.taskToken);
    const after = (await live.stack.store.getState('RD1'))!;
    expect(after.history.contacts).toBeGreaterThanOrEqual(contactsBefore);
    expect((await redrive('RD1', 'C1', '--state-file', stateFile)).status).toBe(1);
  }, 120_000);
});
