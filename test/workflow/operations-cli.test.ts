// The operations CLIs against a running service (`npm run serve`'s stack, named by its state file).
// Redrive (docs/contract.md §10.2.4): a failed execution is visible and `npm run redrive` restarts it, with nothing
// lost or doubled. The failure is real: the account's state item goes missing under a waiting execution, which fails
// when it wakes (AccountNotFoundError is never retried); the item comes back. Erasure (docs/contract.md §10.7): `npm
// run erase` leaves no item, queue message or file of the account holding its name, email or phone.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  DeleteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
} from '@aws-sdk/client-dynamodb';
import { SendTaskSuccessCommand, SFNClient } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POLICY_PACKS } from '../../policies/built-in-packs';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../workflows/twin/aws-local-ports';
import { LiveStack } from '../../workflows/twin/live-stack';
import { dynamoEndpoint } from '../support/dynamo';
import { bankClient, delinquency, putEvent, waitFor } from '../support/live';
import { idContactedBy } from '../support/own-time';

const root = path.resolve(import.meta.dirname, '../..');
let live: LiveStack;
const stateFile = path.join(mkdtempSync(path.join(tmpdir(), 'operations-')), 'serve.json');
// An account whose own time of day (docs/contract.md §10.5) has come by 09:00, so its first reminder goes at once.
const ER7 = idContactedBy('ER7', POLICY_PACKS['us-regf'], { hour: 9 });

beforeAll(async () => {
  live = await LiveStack.start({
    pack: POLICY_PACKS['us-regf'],
    port: 0,
    speed: 600,
    start: new Date('2026-03-02T15:00:00Z'),
    dynamoEndpoint: await dynamoEndpoint(),
    // Letters beside the state file, as npm run serve keeps them.
    documentsDir: path.dirname(stateFile),
  });
  writeFileSync(stateFile, JSON.stringify(live.addresses));
});
afterAll(async () => live?.stop());

/** A CLI in a process of its own, awaited (it calls the endpoint this process serves, so nothing may block). */
const cli = (name: string, ...args: string[]) =>
  new Promise<{ status: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      [path.join(root, 'node_modules/tsx/dist/cli.mjs'), path.join(root, `workflows/tools/cli/${name}.ts`), ...args],
      { cwd: root, encoding: 'utf8' },
      (error, stdout, stderr) => resolve({ status: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
const redrive = (...args: string[]) => cli('redrive', ...args);

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

describe('npm run erase', () => {
  it("leaves no item, dead letter or letter of the account holding the customer's name, email or phone", async () => {
    const customer = { name: 'Mara Quill', email: 'mara.quill@example.com', phone: '+13125550142' };
    const bank = bankClient(live);
    await putEvent(
      bank,
      'bank.core',
      'AccountDelinquent',
      delinquency(ER7, { customer: { ...customer, locale: 'en-US', timezone: 'America/Chicago' } }),
    );
    // A first reminder goes (its text is in the record), and a second delivery the intake refuses (a currency it
    // does not know) sits in the dead-letter queue with the whole customer object.
    await waitFor('a first reminder', async () =>
      live.stack.outputs.eventsOut.some((e) => e.detailType === 'ContactAttempted' && e.detail.accountId === ER7),
    );
    await putEvent(
      bank,
      'bank.core',
      'AccountDelinquent',
      delinquency(ER7, {
        cycleId: 'C2',
        currency: 'XXZ',
        customer: { ...customer, locale: 'en-US', timezone: 'America/Chicago' },
      }),
    );
    await waitFor('the dead letter', async () =>
      live.stack.outputs.deadLetters.some((d) => d.body.includes(`"${ER7}"`)),
    );
    // A letter under the account's folder beside the state file, as the workflow writes them.
    const letters = path.join(path.dirname(stateFile), `letters/${ER7}`);
    mkdirSync(letters, { recursive: true });
    writeFileSync(path.join(letters, 'C1-FINAL-NOTICE.pdf'), `%PDF ${customer.name}`);

    const run = await cli('erase', ER7, '--state-file', stateFile);
    expect(run.status, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as Record<string, string[]>;
    expect(result).toMatchObject({
      erased: ['PROFILE', 'PHONE-INDEX'],
      letters: [`letters/${ER7}/C1-FINAL-NOTICE.pdf`],
    });
    expect(result.deadLetters).toHaveLength(1);

    const dynamo = new DynamoDBClient({
      endpoint: live.addresses.dynamodbEndpoint,
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
    });
    const partition = async (pk: string) =>
      (
        await dynamo.send(
          new QueryCommand({
            TableName: live.addresses.tableName,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': { S: pk } },
          }),
        )
      ).Items ?? [];
    const items = await partition(`ACCOUNT#${ER7}`);
    // The record is all there, reminders' texts included: none of them ever held the customer's details.
    expect(items.some((i) => i.kind?.S === 'contact' && (i.text?.S ?? '').length > 0)).toBe(true);
    const everything = JSON.stringify([
      items,
      live.stack.outputs.deadLetters,
      existsSync(letters) ? readdirSync(letters) : [],
    ]);
    for (const detail of Object.values(customer)) expect(everything).not.toContain(detail);
    expect(await partition(`PHONE#${customer.phone}`)).toEqual([]);
    dynamo.destroy();
  }, 120_000);
});
