// The intake's side of the person (docs/contract.md §11.1) where a delivery fails midway or races another: against
// DynamoDB Local and the local AWS endpoint, with a fault or a pause put in front of the real stores.
import { describe, expect, it } from 'vitest';
import { newSfnClient, stepFunctionsCallbacks } from '../../functions/adapters/aws/step-functions-callbacks';
import type { IntakeDeps } from '../../functions/use-cases/apply-once';
import { receiveEvent } from '../../functions/use-cases/receive-event';
import { POLICY_PACKS } from '../../policies/built-in-packs';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../workflows/twin/aws-local-ports';
import { open, stack, state, useIntakeStack } from '../support/intake-stack';

useIntakeStack();

const customer = (customerId: string) => ({
  customerId,
  name: 'Ana Diaz',
  email: 'ana.diaz@example.com',
  phone: '+13125550100',
  locale: 'en-US',
  timezone: 'America/Chicago',
});

/** The intake's ports as deployed, on this stack's table and Step Functions endpoint; `over` puts a fault in one. */
const intakeDeps = (accountId: string, over: Partial<IntakeDeps> = {}): IntakeDeps => ({
  clock: stack.scheduler.clock(accountId),
  accounts: stack.store,
  persons: stack.persons,
  pack: POLICY_PACKS['us-regf'],
  callbacks: stepFunctionsCallbacks(
    newSfnClient({ endpoint: stack.addresses!.awsEndpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS }),
  ),
  deadLetters: { reject: async () => {} },
  log: { info() {}, warn() {}, error() {} },
  metrics: { count() {} },
  ...over,
});

/** `target` with `method` failing as a throttled request fails, `times` times, then as it is. */
const failing = <T extends object>(target: T, method: keyof T, times = 1): T =>
  new Proxy(target, {
    get(object, property, receiver) {
      const value = Reflect.get(object, property, receiver) as unknown;
      if (typeof value !== 'function') return value;
      if (property !== method) return value.bind(object);
      return async (...args: unknown[]) => {
        if (times-- > 0) throw new Error('ThrottlingException: Rate exceeded (injected)');
        return (value as (...a: unknown[]) => unknown).apply(object, args);
      };
    },
  });

const envelope = (id: string, source: string, detailType: string, detail: Record<string, unknown>) => ({
  id,
  source,
  'detail-type': detailType,
  detail,
});

describe('bankruptcy on one account, the delivery failing before the person is told', () => {
  it("still stops the person's other account when the queue delivers the event again (docs/contract.md §3.5)", async () => {
    await open('SPR1', { customer: customer('CIF-SPR') });
    await open('SPR2', { customer: customer('CIF-SPR') });
    const bankrupt = envelope('spread-1', 'bank.core', 'AccountUpdated', {
      accountId: 'SPR1',
      flags: { bankrupt: true },
    });
    // The update is saved on SPR1, then keeping the fact on the person is throttled: the delivery fails.
    await expect(
      receiveEvent(intakeDeps('SPR1', { persons: failing(stack.persons, 'addFact') }), JSON.stringify(bankrupt)),
    ).rejects.toThrow(/ThrottlingException/);
    expect((await state('SPR1'))?.flags.bankrupt).toBe(true);
    expect((await state('SPR2'))?.flags.bankrupt).toBe(false);
    // SQS delivers it again: a duplicate on SPR1, which still tells the person and SPR2.
    await stack.inbound.deliver(bankrupt);
    await stack.scheduler.idle();
    expect(await stack.persons.getPerson('CIF-SPR')).toMatchObject({ bankrupt: true });
    expect(await state('SPR2')).toMatchObject({ status: 'closed', closeReason: 'bankrupt' });
  });
});
