// The intake resuming the workflow (the parked token taken with the event, a wait already timed out, AwaitEvent racing
// a change) and delivery out of order, against DynamoDB Local and the local AWS endpoint.
import { describe, expect, it } from 'vitest';
import { newSfnClient, stepFunctionsCallbacks } from '../../functions/adapters/aws/step-functions-callbacks';
import { POLICY_PACKS } from '../../policies/built-in-packs';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../workflows/twin/aws-local-ports';
import { receiveEvent } from '../../functions/use-cases/receive-event';
import { awaitEventFor, kinds, open, send, stack, state, useIntakeStack } from '../support/intake-stack';

useIntakeStack();

describe('resuming the workflow', () => {
  it('takes the parked token with the event, so a spent token is never sent', async () => {
    const opened = (await open('TOK'))!;
    expect(opened.taskToken).toEqual(expect.any(String));
    const staleBefore = stack.engine.staleResumes;
    await send('PromiseToPayMade', { accountId: 'TOK', promiseId: 'PR9', amount: 5000, dueDate: '2026-01-20' });
    const after = (await state('TOK'))!;
    // The execution woke, diagnosed and parked again with a new token.
    expect(after.taskToken).toEqual(expect.any(String));
    expect(after.taskToken).not.toBe(opened.taskToken);
    expect(await stack.store.getClaim('TOK', 'PTP#PR9')).toMatchObject({ resumeToken: opened.taskToken });
    expect(stack.engine.staleResumes).toBe(staleBefore);
  });

  it('logs and counts a resume that finds no waiting execution, and still applies the event', async () => {
    const opened = (await open('STALE'))!;
    const saved = await stack.store.save({
      state: { ...opened, taskToken: 'long-gone-token' },
      expectedVersion: opened.version,
    });
    expect(saved.kind).toBe('saved');
    const counted = stack.outputs.metrics['resume-stale'] ?? 0;
    expect(await send('ChannelOptOut', { accountId: 'STALE', channel: 'email' })).toEqual({
      failures: [],
      rejected: [],
    });
    expect((await state('STALE'))?.optOuts).toEqual(['email']);
    expect(stack.outputs.metrics['resume-stale']).toBe(counted + 1);
    expect(
      stack.outputs.logs.filter((l) => l.message === 'resume found no waiting execution' && l.accountId === 'STALE'),
    ).toEqual([expect.objectContaining({ level: 'warn', reason: expect.stringContaining('TaskTimedOut') })]);
  });

  it('sends no token whose wait has already timed out', async () => {
    const opened = (await open('EXPIRED'))!;
    await stack.store.save({
      state: { ...opened, taskToken: 'timed-out-token', tokenExpiresAt: '2026-01-01T00:00:00.000Z' },
      expectedVersion: opened.version,
    });
    const stale = stack.engine.staleResumes;
    expect(await send('ChannelOptOut', { accountId: 'EXPIRED', channel: 'sms' })).toEqual({
      failures: [],
      rejected: [],
    });
    expect(stack.engine.staleResumes).toBe(stale);
    expect((await state('EXPIRED'))?.taskToken).toBeNull();
  });

  it('await-event resumes at once instead of parking when the account changed since diagnosis', async () => {
    const opened = (await open('RACE'))!;
    // An event lands between Diagnose (which saw `opened.version`) and the park: it takes the token.
    const changed = await stack.store.save({
      state: { ...opened, taskToken: null, tokenExpiresAt: null, optOuts: ['sms'] },
      expectedVersion: opened.version,
    });
    expect(changed.kind).toBe('saved');
    const awaitEvent = awaitEventFor('RACE');
    expect(
      await awaitEvent({
        accountId: 'RACE',
        cycleId: '2026-01',
        version: opened.version,
        taskToken: 'not-parked',
        waitSeconds: 60,
      }),
    ).toEqual({ parked: false });
    expect((await state('RACE'))?.taskToken).toBeNull();
  });

  it('await-event parks again when retried after it parked and then failed, instead of waking early', async () => {
    const opened = (await open('RETRY'))!;
    // The execution parked (version + 1, its token on the state); that attempt then died, and the retry has a new
    // token.
    const awaitEvent = awaitEventFor('RETRY');
    expect(
      await awaitEvent({
        accountId: 'RETRY',
        cycleId: '2026-01',
        version: opened.version - 1,
        taskToken: 'retry-token',
        waitSeconds: 60,
      }),
    ).toEqual({ parked: true });
    expect(await state('RETRY')).toMatchObject({ taskToken: 'retry-token', version: opened.version + 1 });
  });

  it(
    'wakes the execution on a redelivery when the first delivery saved and then could not wake it ' +
      '(docs/contract.md §10.1)',
    async () => {
      const opened = (await open('WAKE'))!;
      expect(opened.taskToken).toEqual(expect.any(String));
      const envelope = {
        id: 'wake-1',
        source: 'collections.customer',
        'detail-type': 'ChannelOptOut',
        detail: { accountId: 'WAKE', channel: 'email' },
      };
      const real = stepFunctionsCallbacks(
        newSfnClient({ endpoint: stack.addresses!.awsEndpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS }),
      );
      // The first delivery applies the opt-out and takes the token, then SendTaskSuccess fails: the execution sleeps
      // on.
      const lost = {
        ...real,
        resume: async () => {
          throw new Error('connection reset');
        },
      };
      await expect(
        receiveEvent(
          {
            clock: stack.scheduler.clock('WAKE'),
            accounts: stack.store,
            persons: stack.persons,
            pack: POLICY_PACKS['us-regf'],
            callbacks: lost,
            deadLetters: { reject: async () => {} },
            log: { info() {}, warn() {}, error() {} },
            metrics: { count() {} },
          },
          JSON.stringify(envelope),
        ),
      ).rejects.toThrow('connection reset');
      expect((await state('WAKE'))?.taskToken).toBeNull();
      // The queue redelivers the same message: a duplicate, which still wakes the execution with the token it took.
      await stack.inbound.deliver(envelope);
      await stack.scheduler.idle();
      const woken = (await state('WAKE'))!;
      expect(woken.optOuts).toEqual(['email']);
      expect(woken.taskToken).toEqual(expect.any(String));
      expect(woken.taskToken).not.toBe(opened.taskToken);
      expect((await kinds('WAKE')).filter((k) => k === 'opt-out')).toHaveLength(1);
    },
  );
});

describe('delivery out of order (docs/contract.md §10.1)', () => {
  it('holds an event that comes before its cycle opens, and rejects it with the reason after 15 minutes', async () => {
    const now = stack.scheduler.timeOf('EARLY');
    const payment = (time: number) => ({
      id: `early-${time}`,
      source: 'bank.core',
      'detail-type': 'PaymentPosted',
      time: new Date(time).toISOString(),
      detail: {
        accountId: 'EARLY',
        paymentId: `P${time}`,
        amount: 12_000,
        currency: 'USD',
        postedAt: new Date(time).toISOString(),
      },
    });
    const before = stack.outputs.deadLetters.length;
    // Sent a minute ago: held, the queue will bring it back.
    expect((await stack.inbound.deliver(payment(now - 60_000))).batchItemFailures).toHaveLength(1);
    expect(stack.outputs.deadLetters.length).toBe(before);
    // Sent 16 minutes ago: its cycle did not open in time; rejected, with the reason.
    expect((await stack.inbound.deliver(payment(now - 16 * 60_000))).batchItemFailures).toEqual([]);
    expect(stack.outputs.deadLetters.slice(before).map((d) => d.reason)).toEqual([
      'accountId: no open collection cycle for EARLY',
    ]);
  });
});
