// A local stack for the intake tests (DynamoDB Local, local SES, the local AWS endpoint) and what they do with it:
// send one event through the intake and wait for what it set off, open an account, read it back.
import { beforeAll, afterAll, expect } from 'vitest';
import type { DetailType } from '../../functions/domain/inbound-events';
import { makeHandler as makeAwaitEvent } from '../../functions/handlers/await-event/handler';
import { newSfnClient, stepFunctionsCallbacks } from '../../functions/adapters/aws/step-functions-callbacks';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../workflows/twin/aws-local-ports';
import { LocalStack } from '../../workflows/twin/local-stack';
import { POLICY_PACKS } from '../../policies/built-in-packs';
import { dynamoEndpoint } from './dynamo';
import { SOURCE_OF } from './inbound-arbitraries';

/** The one number the carrier reports as opted out: the SMS adapter must turn that refusal into a recorded failure. */
export const OPTED_OUT = '+13125550199';

/** The stack of the test file that called useIntakeStack (a live binding: each test file loads its own copy). */
export let stack: LocalStack;
let seq = 0;

/** Starts the file's stack before its tests, at 09:00 in Chicago, so a first reminder goes at once; stops it after. */
export const useIntakeStack = () => {
  beforeAll(async () => {
    stack = await LocalStack.start({
      pack: POLICY_PACKS['us-regf'],
      start: new Date('2026-01-06T15:00:00Z'),
      dynamoEndpoint: await dynamoEndpoint(),
      optedOutAtProvider: { sms: [OPTED_OUT] },
    });
  });
  afterAll(async () => stack?.stop());
};

/** AwaitEvent as deployed, on this stack's table and Step Functions endpoint, on the account's clock. */
export const awaitEventFor = (accountId: string) =>
  makeAwaitEvent({
    clock: stack.scheduler.clock(accountId),
    accounts: stack.store,
    callbacks: stepFunctionsCallbacks(
      newSfnClient({ endpoint: stack.addresses!.awsEndpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS }),
    ),
    log: { info() {}, warn() {}, error() {} },
    metrics: { count() {} },
  });

/** Sends one event through the intake and waits until the workflow it sets off has parked again. */
export const send = async (
  detailType: string,
  detail: Record<string, unknown>,
  source: string = SOURCE_OF[detailType as DetailType],
) => {
  const { deadLetters } = stack.outputs;
  const before = deadLetters.length;
  const response = await stack.inbound.deliver({ id: `test-${++seq}`, source, 'detail-type': detailType, detail });
  await stack.scheduler.idle();
  return { failures: response.batchItemFailures, rejected: deadLetters.slice(before).map((d) => d.reason) };
};

export const open = async (accountId: string, extra: Record<string, unknown> = {}) => {
  const sent = await send('AccountDelinquent', {
    accountId,
    cycleId: '2026-01',
    currency: 'USD',
    balance: 250_000,
    amountDue: 12_000,
    dueDate: '2026-01-01',
    aprBps: 2999,
    lateFee: 3900,
    customer: {
      name: 'Ana Diaz',
      email: `${accountId.toLowerCase()}@example.com`,
      phone: '+13125550100',
      locale: 'en-US',
      timezone: 'America/Chicago',
    },
    ...extra,
  });
  expect(sent.rejected).toEqual([]);
  return stack.store.getState(accountId);
};
export const state = (accountId: string) => stack.store.getState(accountId);
export const kinds = async (accountId: string) => (await stack.store.record(accountId, '2026-01')).map((e) => e.kind);
