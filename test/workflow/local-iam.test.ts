// The local stack enforces each function's DynamoDB grants (docs/contract.md §10.2.1), proven by a planted defect: the
// grants as the template would have them if Remind lost PutItem. On DynamoDB Local and in process alike its
// executions fail with AccessDeniedException, unretried, and the account is never worked: what AWS would do.
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { EXAMPLE_SCENARIOS, loadScenario } from '../support/scenarios';
import { runScenario } from '../../workflows/tools/scenario/run-scenario';
import { dynamoEndpoint } from '../support/dynamo';
import { actionsOfRequest, refuseUngranted } from '../../workflows/twin/table-iam';
import { TABLE_ACTIONS } from '../../functions/adapters/table-grants';
import { POLICY_PACKS } from '../../policies/built-in-packs';
import { LiveStack } from '../../workflows/twin/live-stack';
import { bankClient, delinquency, putEvent, waitFor } from '../support/live';

vi.mock('../../functions/adapters/table-grants', async (original) => {
  const real = await original<typeof import('../../functions/adapters/table-grants')>();
  return {
    ...real,
    TABLE_ACTIONS: {
      ...real.TABLE_ACTIONS,
      remind: real.TABLE_ACTIONS.remind!.filter((a) => a !== 'dynamodb:PutItem'),
      api: real.TABLE_ACTIONS.api!.filter((a) => a !== 'dynamodb:PutItem'),
    },
    // And the API without its query of the call queue's index.
    INDEX_QUERIES: { ...real.INDEX_QUERIES, api: [] },
  };
});

const cure = () => loadScenario(path.join(EXAMPLE_SCENARIOS, 'cure.json'));

describe('IAM on the local stack, against a planted missing grant', () => {
  for (const store of ['memory', 'dynamodb-local'] as const)
    it(`fails Remind with AccessDeniedException on ${store}, and sends nothing`, async () => {
      expect(TABLE_ACTIONS.remind).not.toContain('dynamodb:PutItem');
      const { result } = await runScenario(cure(), {
        ...(store === 'memory' ? { store: 'memory' as const } : { dynamoEndpoint: await dynamoEndpoint() }),
      });
      expect(result.failures.length).toBeGreaterThan(0);
      expect(result.failures.every((f) => /not authorized to perform: dynamodb:PutItem/.test(f.error))).toBe(true);
      expect(result.accounts.flatMap((a) => a.timeline).filter((e) => e.kind === 'contact')).toEqual([]);
    });

  it("holds the API's requests to its role: no inbound call without PutItem, no queue without its index", async () => {
    const live = await LiveStack.start({
      pack: POLICY_PACKS['us-regf'],
      port: 0,
      speed: 600,
      start: new Date('2026-03-02T15:00:00Z'),
      dynamoEndpoint: await dynamoEndpoint(),
      agents: 1,
    });
    try {
      await putEvent(bankClient(live), 'bank.core', 'AccountDelinquent', delinquency('IAM1'));
      await waitFor('the account', async () => (await live.stack.store.getState('IAM1'))?.status === 'open');
      const inbound = await fetch(`${live.addresses.apiUrl}/api/agent/inbound`, {
        method: 'POST',
        headers: { authorization: `Bearer ${live.addresses.agents[0]!.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ accountId: 'IAM1' }),
      });
      expect(inbound.status).toBe(500);
      expect(
        live.stack.outputs.logs.some((l) => /not authorized to perform: dynamodb:PutItem/.test(JSON.stringify(l))),
      ).toBe(true);
      // Without Query on the call queue's index, the desk's queue cannot be listed.
      const queue = await fetch(`${live.addresses.apiUrl}/api/agent/queue`, {
        headers: { authorization: `Bearer ${live.addresses.agents[0]!.token}` },
      });
      expect(queue.status).toBe(500);
      expect(
        live.stack.outputs.logs.some((l) => /dynamodb:Query on the collections table's index/.test(JSON.stringify(l))),
      ).toBe(true);
    } finally {
      await live.stop();
    }
  });

  it('reads a transaction item by item, as IAM evaluates it', () => {
    const input = { TransactItems: [{ Put: {} }, { Update: {} }, { Put: {} }] };
    expect(actionsOfRequest('TransactWriteItems', input)).toEqual(['PutItem', 'UpdateItem']);
    expect(() => refuseUngranted('await-event', ['GetItem', 'UpdateItem'])).not.toThrow();
    expect(() => refuseUngranted('await-event', ['PutItem'])).toThrow(/not authorized to perform: dynamodb:PutItem/);
    expect(() => refuseUngranted(undefined, ['Scan'])).not.toThrow();
  });
});
