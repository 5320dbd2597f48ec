// A live stack for the collectors' API tests (docs/contract.md §7): two collectors with tokens from the local issuer,
// a strategy that calls first, and what the tests do with it: call the API, wait for an account's call task.
import { afterAll, beforeAll } from 'vitest';
import { POLICY_PACKS } from '../../policies/built-in-packs';
import { DEFAULT_STRATEGY, type Strategy } from '../../functions/domain/strategy';
import { LiveStack } from '../../workflows/twin/live-stack';
import { dynamoEndpoint } from './dynamo';
import { bankClient, delinquency, putEvent, waitFor } from './live';

// Calls first, so every new account soon has a task in the queue.
const callFirst: Strategy = {
  ...DEFAULT_STRATEGY,
  id: 'call-first',
  reminders: [{ id: 'call', minDpd: 0, maxDpd: 179, everyDays: 2, channels: ['call'], template: 'reminder-firm' }],
};

/** The stack of the test file that called useAgentStack, its bank client and two collectors' tokens (live bindings). */
export let live: LiveStack;
export let bank: ReturnType<typeof bankClient>;
export let collector: string;
export let other: string;

/** Starts the file's stack before its tests, at 09:00 in Chicago, when the queue is open; stops it after. */
export const useAgentStack = () => {
  beforeAll(async () => {
    // 09:00 in Chicago: the queue is open.
    live = await LiveStack.start({
      pack: POLICY_PACKS['us-regf'],
      port: 0,
      speed: 600,
      start: new Date('2026-03-02T15:00:00Z'),
      dynamoEndpoint: await dynamoEndpoint(),
      strategy: callFirst,
      agents: 2,
    });
    bank = bankClient(live);
    [collector, other] = live.addresses.agents.map((a) => a.token) as [string, string];
  });
  afterAll(async () => live?.stop());
};

export const api = (path: string, token: string | undefined, body?: unknown) =>
  fetch(`${live.addresses.apiUrl}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
export type Queue = {
  tasks: {
    taskId: string;
    accountId: string;
    priority: number;
    reason: string;
    customerLocalTime: string;
    dpd: number;
    bucket: string;
    amountDue: number;
    currency: string;
  }[];
};
/** Opens the account (on another phone if given) and waits until its call task is in the queue. */
export const queuedTask = async (accountId: string, phone?: string) => {
  const event = delinquency(accountId);
  if (phone) event.customer.phone = phone;
  await putEvent(bank, 'bank.core', 'AccountDelinquent', event);
  return waitFor(`a call task for ${accountId}`, async () =>
    ((await (await api('/api/agent/queue', collector)).json()) as Queue).tasks.find((t) => t.accountId === accountId),
  );
};
