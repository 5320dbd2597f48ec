// The intake consumer and the handlers it sets off, against DynamoDB Local, local SES and the local
// AWS endpoint: every inbound event type valid, duplicate, malformed (with its reason) and for an
// unknown account.
import { POLICY_PACKS } from '../../policies/built-in-packs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DETAIL_TYPES, type DetailType } from '../../functions/domain/inbound-events';
import { SOURCE_OF, spoiledDetail } from '../support/inbound-arbitraries';
import { makeHandler as makeAwaitEvent } from '../../functions/handlers/await-event/handler';
import { newSfnClient, stepFunctionsCallbacks } from '../../functions/adapters/aws/step-functions-callbacks';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../workflows/twin/aws-local-ports';
import { LocalStack } from '../../workflows/twin/local-stack';
import { receiveEvent } from '../../functions/use-cases/receive-event';
import { toTimeline } from '../../functions/domain/timeline';
import { dynamoEndpoint } from '../support/dynamo';
import { idContactedBy } from '../support/own-time';

let stack: LocalStack;
const OPTED_OUT = '+13125550199';
let seq = 0;
// Accounts whose own time of day (docs/contract.md §10.5) has come by 09:00, so their first message goes at once.
const H1 = idContactedBy('H1', POLICY_PACKS['us-regf'], { hour: 9 });
const REFUSED = idContactedBy('REFUSED', POLICY_PACKS['us-regf'], { hour: 9 });
const PLN = idContactedBy('PLN', POLICY_PACKS['us-regf'], { hour: 9 });

beforeAll(async () => {
  // 09:00 in Chicago, so the first reminder goes out at once.
  // One number the carrier reports as opted out: the SMS adapter must turn that refusal into a recorded failure.
  stack = await LocalStack.start({
    pack: POLICY_PACKS['us-regf'],
    start: new Date('2026-01-06T15:00:00Z'),
    dynamoEndpoint: await dynamoEndpoint(),
    smsOptedOut: [OPTED_OUT],
  });
});
afterAll(async () => stack?.stop());

/** Sends one event through the intake and waits until the workflow it sets off has parked again. */
/** AwaitEvent as deployed, on this stack's table and Step Functions endpoint, on the account's clock. */
const awaitEventFor = (accountId: string) =>
  makeAwaitEvent({
    clock: stack.scheduler.clock(accountId),
    accounts: stack.store,
    callbacks: stepFunctionsCallbacks(
      newSfnClient({ endpoint: stack.addresses!.awsEndpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS }),
    ),
    log: { info() {}, warn() {}, error() {} },
    metrics: { count() {} },
  });

const send = async (
  detailType: string,
  detail: Record<string, unknown>,
  source: string = SOURCE_OF[detailType as DetailType],
) => {
  const before = stack.deadLetters.length;
  const response = await stack.deliver({ id: `test-${++seq}`, source, 'detail-type': detailType, detail });
  await stack.scheduler.idle();
  return { failures: response.batchItemFailures, rejected: stack.deadLetters.slice(before).map((d) => d.reason) };
};

const open = async (accountId: string, extra: Record<string, unknown> = {}) => {
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
const state = (accountId: string) => stack.store.getState(accountId);
const kinds = async (accountId: string) => (await stack.store.record(accountId, '2026-01')).map((e) => e.kind);

describe('AccountDelinquent', () => {
  it('opens the cycle, starts its execution and sends the first reminder through SES', async () => {
    const opened = await open(H1);
    expect(opened).toMatchObject({
      status: 'open',
      amountDue: 12_000,
      taskToken: expect.stringContaining(`${H1}-2026-01`),
    });
    expect(stack.engine.executions.get(`${H1}-2026-01`)?.status).toBe('running');
    const mail = (await stack.emails()).find((m) => m.to.includes(`${H1.toLowerCase()}@example.com`));
    expect(mail?.text).toContain('Your card account is 5 days past due with 120.00 USD overdue.');
    expect(stack.eventsOut.filter((e) => e.detail.accountId === H1).map((e) => e.detailType)).toEqual([
      'CollectionStarted',
      'ContactAttempted',
    ]);
  });

  it('treats a second delivery for the same cycle as a no-op', async () => {
    const first = await state(H1);
    const again = await send('AccountDelinquent', {
      accountId: H1,
      cycleId: '2026-01',
      currency: 'USD',
      balance: 1,
      amountDue: 1,
      dueDate: '2026-01-01',
      customer: { name: 'X', locale: 'en-US', timezone: 'UTC' },
    });
    expect(again).toEqual({ failures: [], rejected: [] });
    expect((await state(H1))?.version).toBe(first?.version);
    expect([...stack.engine.executions.keys()].filter((n) => n.startsWith(`${H1}-`))).toEqual([`${H1}-2026-01`]);
  });

  it('rejects a malformed one with the reasons and stores nothing', async () => {
    const sent = await send('AccountDelinquent', {
      accountId: 'H2',
      cycleId: '2026-01',
      currency: 'usd',
      balance: 1.5,
      amountDue: 100,
      dueDate: '2026-13-01',
      customer: { name: 'X', locale: 'en-US', timezone: 'UTC' },
    });
    expect(sent.rejected).toEqual([
      'currency: expected an ISO 4217 currency code like USD; balance: expected integer >= 0 (minor units), got ' +
        'number 1.5; dueDate: expected a real date YYYY-MM-DD',
    ]);
    expect(await state('H2')).toBeNull();
  });

  it('rejects an event from a source that may not send it', async () => {
    expect((await send('AccountDelinquent', { accountId: 'H3' }, 'collections.customer')).rejected).toEqual([
      'source: AccountDelinquent must come from bank.core, got "collections.customer"',
    ]);
  });
});

describe.each([
  [
    'PaymentPosted',
    { paymentId: 'P1', amount: 2000, currency: 'USD', postedAt: '2026-01-06T15:00:00Z' },
    { amount: 'lots' },
    'amount: expected integer > 0 (minor units), got string "lots"',
  ],
  [
    'AccountUpdated',
    { balance: 240_000, flags: { hardship: true } },
    { balance: -1 },
    'balance: expected integer >= 0 (minor units), got number -1',
  ],
  [
    'PromiseToPayMade',
    { promiseId: 'PR1', amount: 5000, dueDate: '2026-01-20' },
    { dueDate: 'soon' },
    'dueDate: expected a real date YYYY-MM-DD',
  ],
  ['DisputeRaised', { disputeId: 'DS1', reason: 'not mine' }, { reason: '' }, 'reason: must not be empty'],
  ['ChannelOptOut', { channel: 'sms' }, { channel: 'fax' }, 'channel: expected one of email, sms, call'],
  ['CeaseCommunication', {}, { accountId: 42 }, 'accountId: expected a string id'],
  [
    'CallOutcomeRecorded',
    { callId: 'CALL1', outcome: 'voicemail' },
    { outcome: 'maybe' },
    'outcome: expected no-answer, voicemail, right-party, wrong-party or refused',
  ],
] as const)('%s', (detailType, valid, bad, reason) => {
  const id = `E${detailType.slice(0, 6)}`;

  it('applies once, even when delivered twice', async () => {
    await open(id);
    const first = await send(detailType, { accountId: id, ...valid });
    expect(first).toEqual({ failures: [], rejected: [] });
    const afterFirst = await kinds(id);
    expect(afterFirst.length).toBeGreaterThan(1);
    const second = await send(detailType, { accountId: id, ...valid });
    expect(second).toEqual({ failures: [], rejected: [] });
    const added = (await kinds(id)).slice(afterFirst.length).filter((k) => !['contact', 'contact-blocked'].includes(k));
    // AccountUpdated carries no id: applying the same values again changes nothing but the record.
    expect(added).toEqual(detailType === 'AccountUpdated' ? ['account-updated'] : []);
  });

  it('rejects a malformed one with the field and what is wrong', async () => {
    const before = await state(id);
    expect((await send(detailType, { accountId: id, ...valid, ...bad })).rejected).toEqual([reason]);
    expect((await state(id))?.version).toBe(before?.version);
  });

  it('rejects one for an account with no open cycle', async () => {
    expect((await send(detailType, { accountId: 'NOBODY', ...valid })).rejected).toEqual([
      'accountId: no open collection cycle for NOBODY',
    ]);
  });
});

describe('AccountUpdated with new contact points', () => {
  it('replaces only the points it names: a new email keeps the phone, and texts still go to it', async () => {
    await open('UPD');
    expect(await send('AccountUpdated', { accountId: 'UPD', customer: { email: 'upd-new@example.com' } })).toEqual({
      failures: [],
      rejected: [],
    });
    const loaded = await stack.store.getWithProfile('UPD');
    expect(loaded?.profile).toEqual({ name: 'Ana Diaz', email: 'upd-new@example.com', phone: '+13125550100' });
    expect(loaded?.state.reachable).toEqual(['email', 'sms', 'call']);
  });
});

describe('a message the provider refuses (docs/contract.md §3.13)', () => {
  it(
    'is recorded as contact-failed with the reason, is no contact, sends nothing and announces nothing; a ' +
      'carrier STOP becomes our opt-out',
    async () => {
      // No email: the first reminder goes by SMS, to a number the carrier has on its opt-out list.
      await open(REFUSED, {
        customer: { name: 'Ana Diaz', phone: OPTED_OUT, locale: 'en-US', timezone: 'America/Chicago' },
      });
      const timeline = toTimeline(await stack.store.record(REFUSED, '2026-01'));
      const failed = timeline.filter((e) => e.kind === 'contact-failed');
      expect(failed).toEqual([
        expect.objectContaining({
          channel: 'sms',
          reason: expect.stringContaining('DESTINATION_PHONE_NUMBER_OPTED_OUT'),
        }),
      ]);
      expect(timeline.filter((e) => e.kind === 'contact')).toEqual([]);
      expect(stack.sms.filter((m) => m.to === OPTED_OUT)).toEqual([]);
      expect(stack.eventsOut.filter((e) => e.detail.accountId === REFUSED).map((e) => e.detailType)).toEqual([
        'CollectionStarted',
      ]);
      expect((await state(REFUSED))?.history).toMatchObject({ contacts: 0, failedSends: 1 });
      // The number replied STOP at the carrier: we record the opt-out too, so no later step tries SMS again.
      expect(timeline.filter((e) => e.kind === 'opt-out')).toEqual([expect.objectContaining({ channel: 'sms' })]);
      expect((await state(REFUSED))?.optOuts).toEqual(['sms']);
    },
  );
});

describe('redelivery after the cycle closed', () => {
  it('treats a payment delivered again after it cured the account as a duplicate, not a rejection', async () => {
    await open('RED');
    const payment = {
      accountId: 'RED',
      paymentId: 'PCURE',
      amount: 12_000,
      currency: 'USD',
      postedAt: '2026-01-06T15:00:00Z',
    };
    expect(await send('PaymentPosted', payment)).toEqual({ failures: [], rejected: [] });
    expect(await state('RED')).toMatchObject({ status: 'closed', closeReason: 'cured' });
    expect(await send('PaymentPosted', payment)).toEqual({ failures: [], rejected: [] });
    // A new payment for the closed cycle is still refused.
    expect((await send('PaymentPosted', { ...payment, paymentId: 'PLATE' })).rejected).toEqual([
      'accountId: no open collection cycle for RED',
    ]);
  });

  it(
    "treats a late replay of an earlier cycle's delinquency as a duplicate: it never reopens that cycle, " +
      'whether the next one is open or closed',
    async () => {
      const delinquency = (cycleId: string) => ({
        accountId: 'REPLAY',
        cycleId,
        currency: 'USD',
        balance: 250_000,
        amountDue: 12_000,
        dueDate: cycleId === '2026-01' ? '2026-01-01' : '2026-01-05',
        customer: { name: 'Ana Diaz', email: 'replay@example.com', locale: 'en-US', timezone: 'America/Chicago' },
      });
      const cure = (paymentId: string) =>
        send('PaymentPosted', {
          accountId: 'REPLAY',
          paymentId,
          amount: 12_000,
          currency: 'USD',
          postedAt: '2026-01-06T15:00:00Z',
        });
      expect(await send('AccountDelinquent', delinquency('2026-01'))).toEqual({ failures: [], rejected: [] });
      await cure('PC1');
      expect(await send('AccountDelinquent', delinquency('2026-02'))).toEqual({ failures: [], rejected: [] });
      expect(await state('REPLAY')).toMatchObject({ cycleId: '2026-02', status: 'open' });
      expect(await send('AccountDelinquent', delinquency('2026-01'))).toEqual({ failures: [], rejected: [] });
      expect(await state('REPLAY')).toMatchObject({ cycleId: '2026-02', status: 'open' });
      await cure('PC2');
      const closed = await state('REPLAY');
      expect(closed).toMatchObject({ cycleId: '2026-02', status: 'closed' });
      expect(await send('AccountDelinquent', delinquency('2026-01'))).toEqual({ failures: [], rejected: [] });
      expect((await state('REPLAY'))?.version).toBe(closed?.version);
      // The claim that makes the opening create-once keeps no contact points: those live in PROFILE alone.
      expect(JSON.stringify(await stack.store.getClaim('REPLAY', 'DELINQUENT#2026-01'))).not.toContain(
        'replay@example.com',
      );
    },
  );
});

describe('any malformed event (property)', () => {
  it('is dead-lettered with a reason naming the field, changes nothing and never fails the batch', async () => {
    await open('PROP');
    const envelope = fc.constantFrom(...DETAIL_TYPES).chain((type) =>
      spoiledDetail(type).map(({ detail, field }) => ({
        type,
        field,
        detail: field === 'accountId' ? detail : { ...detail, accountId: 'PROP' },
      })),
    );
    await fc.assert(
      fc.asyncProperty(envelope, async ({ type, field, detail }) => {
        const before = await state('PROP');
        const sent = await send(type, detail, SOURCE_OF[type]);
        expect(sent.failures).toEqual([]);
        expect(sent.rejected).toHaveLength(1);
        expect(sent.rejected[0]).toMatch(new RegExp(`(^|; )${field}[.:]`));
        expect((await state('PROP'))?.version).toBe(before?.version);
      }),
      { numRuns: 40 },
    );
  });
});

describe('PlanAccepted and DisputeResolved', () => {
  it('accepts the plan last offered, once, and rejects counts beyond the pack', async () => {
    // Due two months ago and in hardship: the first step is a plan offer.
    const opened = await open(PLN, { dueDate: '2025-11-20', flags: { hardship: true } });
    const offered = (await state(PLN))?.lastOffer;
    expect(opened?.status).toBe('open');
    expect(offered?.terms.map((t) => t.instalments)).toEqual([3, 6, 12]);
    expect((await send('PlanAccepted', { accountId: PLN, planId: offered!.planId, instalments: 13 })).rejected).toEqual(
      ['instalments: expected 2 to 12 under us-regf, got 13'],
    );
    expect(
      (await send('PlanAccepted', { accountId: PLN, planId: offered!.planId, instalments: 'six' })).rejected,
    ).toEqual(['instalments: expected an integer']);
    expect((await send('PlanAccepted', { accountId: PLN, planId: offered!.planId, instalments: 5 })).rejected).toEqual(
      [],
    );
    expect((await send('PlanAccepted', { accountId: PLN, planId: offered!.planId, instalments: 5 })).rejected).toEqual(
      [],
    );
    expect((await kinds(PLN)).filter((k) => k === 'plan-accepted')).toHaveLength(1);
    expect((await state(PLN))?.plan?.instalments).toHaveLength(5);
    expect((await send('PlanAccepted', { accountId: 'NOBODY', planId: 'X', instalments: 3 })).rejected).toEqual([
      'accountId: no open collection cycle for NOBODY',
    ]);
  });

  it('resolves an open dispute once and rejects unknown or malformed resolutions', async () => {
    await open('DSP');
    await send('DisputeRaised', { accountId: 'DSP', disputeId: 'D1', reason: 'wrong amount' });
    expect((await send('DisputeResolved', { accountId: 'DSP', disputeId: 'D1', outcome: 'maybe' })).rejected).toEqual([
      'outcome: expected upheld or rejected',
    ]);
    expect((await send('DisputeResolved', { accountId: 'DSP', disputeId: 'D1', outcome: 'upheld' })).rejected).toEqual(
      [],
    );
    expect((await send('DisputeResolved', { accountId: 'DSP', disputeId: 'D1', outcome: 'upheld' })).rejected).toEqual(
      [],
    );
    expect((await kinds('DSP')).filter((k) => k === 'dispute-resolved')).toHaveLength(1);
    expect((await send('DisputeResolved', { accountId: 'DSP', disputeId: 'D7', outcome: 'upheld' })).rejected).toEqual([
      'disputeId: no open dispute D7 on account DSP',
    ]);
  });
});

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
    const counted = stack.metrics['resume-stale'] ?? 0;
    expect(await send('ChannelOptOut', { accountId: 'STALE', channel: 'email' })).toEqual({
      failures: [],
      rejected: [],
    });
    expect((await state('STALE'))?.optOuts).toEqual(['email']);
    expect(stack.metrics['resume-stale']).toBe(counted + 1);
    expect(
      stack.logs.filter((l) => l.message === 'resume found no waiting execution' && l.accountId === 'STALE'),
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
      await stack.deliver(envelope);
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
    const before = stack.deadLetters.length;
    // Sent a minute ago: held, the queue will bring it back.
    expect((await stack.deliver(payment(now - 60_000))).batchItemFailures).toHaveLength(1);
    expect(stack.deadLetters.length).toBe(before);
    // Sent 16 minutes ago: its cycle did not open in time; rejected, with the reason.
    expect((await stack.deliver(payment(now - 16 * 60_000))).batchItemFailures).toEqual([]);
    expect(stack.deadLetters.slice(before).map((d) => d.reason)).toEqual([
      'accountId: no open collection cycle for EARLY',
    ]);
  });
});
