// The local stack enforces each function's DynamoDB grants (CONTRACT §10.2.1), proven by a planted defect: the
// grants as the template would have them if Remind lost PutItem. On DynamoDB Local and in process alike its
// executions fail with AccessDeniedException, unretried, and the account is never worked: what AWS would do.
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { EXAMPLE_SCENARIOS, loadScenario } from '../support/scenarios';
import { runScenario } from '../../workflows/scenario/run-scenario';
import { dynamoEndpoint } from '../support/dynamo';
import { actionsOfRequest, refuseUngranted } from '../../workflows/local/table-iam';
import { TABLE_ACTIONS } from '../../infra/table-grants';

vi.mock('../../infra/table-grants', async (original) => {
  const real = await original<typeof import('../../infra/table-grants')>();
  return {
    ...real,
    TABLE_ACTIONS: {
      ...real.TABLE_ACTIONS,
      remind: real.TABLE_ACTIONS.remind!.filter((a) => a !== 'dynamodb:PutItem'),
    },
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

  it('reads a transaction item by item, as IAM evaluates it', () => {
    const input = { TransactItems: [{ Put: {} }, { Update: {} }, { Put: {} }] };
    expect(actionsOfRequest('TransactWriteItems', input)).toEqual(['PutItem', 'UpdateItem']);
    expect(() => refuseUngranted('await-event', ['GetItem', 'UpdateItem'])).not.toThrow();
    expect(() => refuseUngranted('await-event', ['PutItem'])).toThrow(/not authorized to perform: dynamodb:PutItem/);
    expect(() => refuseUngranted(undefined, ['Scan'])).not.toThrow();
  });
});
