// `npm run serve` as a bank meets it (docs/contract.md §6): a separate process, its state file, the bank's own
// EventBridge client, an email with a link, a promise through the link, a payment, the cycle closed —
// then Ctrl-C, a clean exit and every port free.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import getPort from 'get-port';
import { afterAll, describe, expect, it } from 'vitest';
import type { LiveAddresses } from '../../workflows/twin/live-stack';
import { linkIn, putEvent, waitFor } from '../support/live';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';

const root = path.resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(path.join(tmpdir(), 'serve-cli-'));
const stateFile = path.join(dir, 'serve.json');
let child: ChildProcess | undefined;
let output = '';

afterAll(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
});

/** A zone where it is around noon now, so the first reminder may go out at once whatever the wall clock says. */
const noonZone = (): string => {
  let offset = 12 - new Date().getUTCHours();
  if (offset > 14) offset -= 24;
  if (offset < -12) offset += 24;
  return offset === 0 ? 'Etc/GMT' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`;
};

const portIsFree = (url: string) =>
  new Promise<boolean>((resolve) => {
    const { hostname, port } = new URL(url);
    const socket = connect(Number(port), hostname);
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });

describe('npm run serve', () => {
  it('serves a bank end to end through its SDK and stops cleanly on Ctrl-C', async () => {
    const port = await getPort();
    child = spawn(
      process.execPath,
      [
        path.join(root, 'node_modules/tsx/dist/cli.mjs'),
        path.join(root, 'workflows/tools/cli/serve.ts'),
        '--speed',
        '600',
        '--demo',
        '2',
        '--agents',
        '1',
        '--port',
        String(port),
        '--state-file',
        stateFile,
      ],
      { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const addresses = await waitFor(
      'the state file',
      async () => existsSync(stateFile) && (JSON.parse(readFileSync(stateFile, 'utf8')) as LiveAddresses),
      60_000,
    );
    expect(addresses).toMatchObject({
      apiUrl: `http://127.0.0.1:${port}`,
      deskUrl: `http://127.0.0.1:${port}/desk`,
      speed: 600,
    });
    // The first collector is the demo supervisor (docs/contract.md §3.16).
    expect(addresses.agents).toEqual([{ agentId: 'agent-1', token: expect.stringMatching(/^ey/), supervisor: true }]);
    for (const url of [addresses.eventBridgeEndpoint, addresses.inboxUrl, addresses.dynamodbEndpoint])
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(addresses.smsInboxUrl).toBe(`${addresses.eventBridgeEndpoint}/sms`);
    // Where npm run erase finds the dead letters (SQS on the local AWS endpoint).
    expect(addresses.deadLetterQueueUrl).toBe(`${addresses.eventBridgeEndpoint}/000000000000/collections-dead-letters`);
    // The pace of its clock: virtual time began at the launch's wall-clock time, pacing a moment later.
    const { virtualStart, wallStart } = addresses.clock;
    expect(Date.parse(wallStart)).toBeLessThanOrEqual(Date.now());
    expect(Date.parse(wallStart) - Date.parse(virtualStart)).toBeGreaterThanOrEqual(0);
    expect(Date.parse(wallStart) - Date.parse(virtualStart)).toBeLessThan(60_000);
    // The addresses are printed as the file appears; the pipe may bring them a moment after the file.
    await waitFor('the addresses printed', async () =>
      output.includes(`Collector desk:                            ${addresses.deskUrl}`),
    );

    const bank = new EventBridgeClient({
      endpoint: addresses.eventBridgeEndpoint,
      region: 'eu-west-1',
      credentials: { accessKeyId: 'bank', secretAccessKey: 'bank' },
    });
    const today = new Date();
    const dueDate = new Date(today.getTime() - 5 * 86_400_000).toISOString().slice(0, 10);
    const put = await putEvent(bank, 'bank.core', 'AccountDelinquent', {
      accountId: 'BANK1',
      cycleId: 'C1',
      currency: 'USD',
      balance: 90_000,
      amountDue: 9_000,
      dueDate,
      aprBps: 2499,
      customer: { name: 'Sam Lee', email: 'sam@example.com', locale: 'en-US', timezone: noonZone() },
    });
    expect(put.FailedEntryCount).toBe(0);

    const inbox = async () =>
      (
        (await (await fetch(`${addresses.inboxUrl}/store`)).json()) as {
          emails: { destination: { to: string[] }; body: { text?: string } }[];
        }
      ).emails;
    const email = await waitFor(
      'the reminder in the inbox',
      async () => (await inbox()).find((e) => e.destination.to.includes('sam@example.com')),
      30_000,
    );
    const link = linkIn(email.body.text ?? '');
    expect(link.startsWith(`${addresses.apiUrl}/c/`)).toBe(true);
    const token = link.split('/c/')[1]!;
    const view = (await (await fetch(`${addresses.apiUrl}/api/customer/${token}`)).json()) as {
      amountDue: number;
      payBy: string;
    };
    expect(view.amountDue).toBe(9_000);
    const promise = await fetch(`${addresses.apiUrl}/api/customer/${token}/promise`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ amount: 9_000, dueDate: view.payBy }),
    });
    expect(promise.status).toBe(202);
    await waitFor(
      'the promise',
      async () =>
        ((await (await fetch(`${addresses.apiUrl}/api/customer/${token}`)).json()) as { promise: unknown }).promise,
    );

    await putEvent(bank, 'bank.core', 'PaymentPosted', {
      accountId: 'BANK1',
      paymentId: 'PAY-1',
      amount: 9_000,
      currency: 'USD',
      postedAt: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    });
    const closed = await waitFor(
      'the cycle closed',
      async () => {
        const now = (await (await fetch(`${addresses.apiUrl}/api/customer/${token}`)).json()) as {
          status: string;
          closeReason: string;
        };
        return now.status === 'closed' && now;
      },
      30_000,
    );
    expect(closed.closeReason).toBe('cured');

    const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(output).toContain('Stopped; every local service is down');
    for (const url of [addresses.apiUrl, addresses.eventBridgeEndpoint, addresses.inboxUrl, addresses.dynamodbEndpoint])
      expect(await portIsFree(url), url).toBe(true);
  }, 120_000);
});
