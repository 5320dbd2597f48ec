// Close decides again on fresh state, and an event applied between Diagnose and Close can change its answer: then the
// execution goes on waiting rather than failing. The synthesized state machine runs on the local engine with the
// deployed Diagnose, Close and AwaitEvent over DynamoDB Local and the real intake use-case; the test applies the event
// in the one place no scenario can reach, between the two states.
import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoAccountStore } from '../../functions/adapters/aws/dynamodb-account-store';
import { applyEvent } from '../../functions/domain/apply-event';
import { DEFAULT_STRATEGY } from '../../functions/domain/strategy';
import { makeHandler as makeAwaitEvent } from '../../functions/handlers/await-event/handler';
import { makeHandler as makeClose } from '../../functions/handlers/close/handler';
import { makeHandler as makeDiagnose } from '../../functions/handlers/diagnose/handler';
import type { WorkflowCallbacks, WorkflowDeps } from '../../functions/ports';
import { receiveEvent } from '../../functions/use-cases/receive-event';
import { MemoryPersonStore } from '../../functions/adapters/in-process/memory-person-store';
import { POLICY_PACKS } from '../../policies/built-in-packs';
import { AwsError } from '../../workflows/twin/aws-endpoint';
import { LocalEngine, type Handler } from '../../workflows/twin/engine';
import { Scheduler } from '../../workflows/twin/scheduler';
import { loadWorkflow } from '../../workflows/twin/synthesized-workflow';
import { delinquent } from '../support/fixtures';
import { localTable } from '../support/local-table';

const us = POLICY_PACKS['us-regf'];
const silent = { info() {}, warn() {}, error() {} };
let store: DynamoAccountStore;

beforeAll(async () => {
  const table = await localTable();
  store = new DynamoAccountStore(table.doc, table.tableName);
});

describe('Close when the state changed after Diagnose', () => {
  it('goes on waiting (closed: false) instead of failing the execution, and closes at the next cure', async () => {
    // 00:00 in Chicago, 4 days past due: nothing is sent before the morning.
    const opened = new Date('2026-01-05T06:00:00Z');
    const accountId = 'CL1';
    const name = `${accountId}-2026-01`;
    const open = applyEvent(null, delinquent({ accountId }), opened, us);
    if (open.kind !== 'applied') throw new Error(open.kind);
    await store.save({ state: open.state, expectedVersion: null, entries: open.entries, profile: open.profile });

    const workflow = await loadWorkflow(us);
    const scheduler = new Scheduler(opened.getTime());
    let engine: LocalEngine | undefined;
    const callbacks: WorkflowCallbacks = {
      start: async (executionName, input) => engine!.start(executionName, input),
      async resume(token) {
        try {
          engine!.resume(token);
          return { resumed: true };
        } catch (error) {
          if (error instanceof AwsError) return { resumed: false, reason: error.message };
          throw error;
        }
      },
    };
    const deps = (): WorkflowDeps => ({
      clock: scheduler.clock(accountId),
      accounts: store,
      playbook: { pack: us, strategy: DEFAULT_STRATEGY },
      log: silent,
      metrics: { count() {} },
    });
    const deadLetters: string[] = [];
    /** An event as the bus delivers it, through the intake use-case: applied once, and the execution woken. */
    const deliver = async (detailType: string, detail: Record<string, unknown>) =>
      receiveEvent(
        {
          ...deps(),
          persons: new MemoryPersonStore(),
          pack: us,
          callbacks,
          deadLetters: { reject: async (_, reason) => void deadLetters.push(reason) },
        },
        JSON.stringify({ source: 'bank.core', 'detail-type': detailType, detail: { accountId, ...detail } }),
      );
    const pay = (paymentId: string, amount: number) =>
      deliver('PaymentPosted', {
        paymentId,
        amount,
        currency: 'USD',
        postedAt: scheduler.clock(accountId).now().toISOString(),
      });

    const closeOutputs: unknown[] = [];
    let between = true;
    const handlers: Record<string, Handler> = {
      diagnose: (input) => makeDiagnose(deps())(input),
      'await-event': (input) => makeAwaitEvent({ ...deps(), callbacks })(input),
      close: async (input) => {
        // Diagnose saw the overdue amount paid and routed to Close; before Close reads the account, the bank adds a
        // 50.00 fee to what is overdue.
        if (between) {
          between = false;
          expect(await deliver('AccountUpdated', { amountDue: 5_000 })).toMatchObject({ kind: 'applied' });
        }
        const output = await makeClose(deps())(input);
        closeOutputs.push(output);
        return output;
      },
    };
    engine = new LocalEngine({ workflow, scheduler, handlers });

    // The overdue amount is paid before the execution's first Diagnose: the cure is due at once.
    scheduler.enter(accountId);
    await pay('P1', 12_000);
    expect(engine.start(name, { accountId, cycleId: '2026-01', loop: 0, generation: 0 })).toBe(true);
    scheduler.leave(accountId);
    // An hour later the fee is paid too.
    scheduler.schedule(opened.getTime() + 3_600_000, accountId, () => {
      scheduler.enter(accountId);
      void pay('P2', 5_000).finally(() => scheduler.leave(accountId));
    });
    await scheduler.runUntil(opened.getTime() + 2 * 3_600_000);
    await scheduler.idle();

    expect(deadLetters).toEqual([]);
    // The first Close found the state changed: a well-formed step the Choice reads, and the loop went on.
    expect(closeOutputs).toHaveLength(2);
    expect(closeOutputs[0]).toMatchObject({ step: { action: 'wait', rule: 'state-changed', closed: false } });
    expect(closeOutputs[1]).toMatchObject({ step: { action: 'close', reason: 'cured', closed: true } });
    expect(engine.describe(name)).toMatchObject({ status: 'SUCCEEDED' });
    const state = await store.getState(accountId);
    expect(state).toMatchObject({ status: 'closed', closeReason: 'cured', closedAt: '2026-01-05T07:00:00.000Z' });
    const kinds = (await store.record(accountId, '2026-01')).map((e) => e.kind);
    // Each change to the balance or the amount due is on the ledger (docs/contract.md §3.19).
    expect(kinds).toEqual([
      'started',
      'ledger',
      'payment',
      'ledger',
      'account-updated',
      'ledger',
      'payment',
      'ledger',
      'closed',
    ]);
    await engine.abortAll();
  }, 60_000);
});
