// A live stack for the customers' API tests (docs/contract.md §7): real HTTP, the bank's own EventBridge client,
// DynamoDB Local, local SES, links signed with a known key; and what the tests do with it: call the API, sign a link,
// open an account and read it back.
import { afterAll, beforeAll } from 'vitest';
import { POLICY_PACKS } from '../../policies/built-in-packs';
import { signLinkToken } from '../../functions/adapters/hmac-customer-links';
import { LiveStack } from '../../workflows/twin/live-stack';
import { dynamoEndpoint } from './dynamo';
import { bankClient, delinquency, putEvent, waitFor } from './live';

const key = Buffer.alloc(32, 42);
/** The bank's payment page this deployment links to (docs/contract.md §3.18). */
const PAY_URL = 'https://pay.bank.example/pay?a={accountId}&m={amount}&c={currency}&r={reference}';

/** The stack of the test file that called useCustomerStack, and its bank client (live bindings). */
export let live: LiveStack;
export let bank: ReturnType<typeof bankClient>;

/** Starts the file's stack before its tests, at 08:00 in Chicago, so a first reminder goes at once; stops it after. */
export const useCustomerStack = () => {
  beforeAll(async () => {
    // 08:00 in Chicago: contact hours are open, so the first reminder goes out at once.
    live = await LiveStack.start({
      pack: { ...POLICY_PACKS['us-regf'], payUrl: PAY_URL },
      port: 0,
      speed: 600,
      start: new Date('2026-03-02T14:00:00Z'),
      dynamoEndpoint: await dynamoEndpoint(),
      linkKey: key,
      agents: 1,
    });
    bank = bankClient(live);
  });
  afterAll(async () => live?.stop());
};

export const api = (path: string, init?: RequestInit) => fetch(`${live.addresses.apiUrl}${path}`, init);
export const post = (path: string, body: unknown) =>
  api(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
/** A customer link's token, signed with the stack's key. */
export const tokenFor = (accountId: string, cycleId = 'C1', expiresAt = new Date('2026-04-30T00:00:00Z')) =>
  signLinkToken(key, accountId, cycleId, expiresAt);
export const stateOf = (accountId: string) => live.stack.store.getState(accountId);
export const opened = async (accountId: string, overrides: Record<string, unknown> = {}) => {
  await putEvent(bank, 'bank.core', 'AccountDelinquent', delinquency(accountId, overrides));
  return waitFor(`${accountId} opened`, () => stateOf(accountId));
};
