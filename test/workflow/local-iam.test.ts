// The local stack holds every principal to the synthesized template's IAM (docs/contract.md §10.2.1), proven by wrong
// grants planted in the template, each refused on DynamoDB Local and in process alike, as AWS would refuse it: a
// function's missing table action, a missing grant on the customer managed key, a narrowed condition
// (`dynamodb:LeadingKeys`), the state machine's role without a function, the pipe's role without the bus, the inbound
// queue's policy for another rule; and the API's requests over HTTP. The scheduler's role, whose schedule the twin does
// not run, is evaluated on the template itself.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXAMPLE_SCENARIOS, loadScenario } from '../support/scenarios';
import { runScenario } from '../../workflows/tools/scenario/run-scenario';
import { dynamoEndpoint } from '../support/dynamo';
import { POLICY_PACKS } from '../../policies/built-in-packs';
import { LiveStack } from '../../workflows/twin/live-stack';
import { LocalStack } from '../../workflows/twin/local-stack';
import { stackIam } from '../../workflows/twin/stack-iam';
import { runAs } from '../../workflows/twin/usage';
import { bankClient, delinquency, putEvent, waitFor } from '../support/live';
import {
  actionsOf,
  denial,
  grantOf,
  idOf,
  plantedWorkflow,
  statementsOf,
  withoutAction,
  type Resources,
} from '../support/planted';

const cure = () => loadScenario(path.join(EXAMPLE_SCENARIOS, 'cure.json'));
const stores = ['memory', 'dynamodb-local'] as const;
const on = async (store: (typeof stores)[number]) =>
  store === 'memory' ? { store: 'memory' as const } : { dynamoEndpoint: await dynamoEndpoint() };
const contacts = (result: Awaited<ReturnType<typeof runScenario>>['result']) =>
  result.accounts.flatMap((a) => a.timeline).filter((e) => e.kind === 'contact');

/** Runs the cure scenario on a template with `plant` applied. */
const cureWith = async (store: (typeof stores)[number], plant: (resources: Resources) => void) =>
  runScenario(cure(), { workflow: await plantedWorkflow(plant), ...(await on(store)) });

describe('IAM on the local stack, against wrong grants planted in the template', () => {
  for (const store of stores) {
    it(`fails Remind without dynamodb:PutItem on ${store}, and sends nothing`, async () => {
      const { result } = await cureWith(store, (r) =>
        withoutAction(r, 'RemindFunctionServiceRole', 'dynamodb:PutItem'),
      );
      expect(result.failures.length).toBeGreaterThan(0);
      for (const failure of result.failures)
        expect(failure.error).toMatch(
          /\/remind is not authorized to perform: dynamodb:PutItem on resource: \S+table\//,
        );
      expect(contacts(result)).toEqual([]);
    });

    it(`fails Diagnose without its grant on the table's key on ${store}: DynamoDB cannot decrypt for it`, async () => {
      const { result } = await cureWith(store, (resources) => {
        const policy = resources[idOf(resources, 'AWS::IAM::Policy', 'DiagnoseFunctionServiceRole')]!.Properties;
        policy.PolicyDocument.Statement = statementsOf(resources, 'DiagnoseFunctionServiceRole').filter(
          (s) => !actionsOf(s).some((a) => a.startsWith('kms:')),
        );
      });
      expect(result.failures.length).toBeGreaterThan(0);
      for (const failure of result.failures)
        expect(failure.error).toMatch(
          denial(
            '/diagnose',
            'kms:Decrypt',
            'arn:aws:kms:*',
            '(the key of *table/DataTable*) because no identity-based',
          ),
        );
      expect(contacts(result)).toEqual([]);
    });

    it(`holds the API's writes to the partitions of its LeadingKeys condition on ${store}`, async () => {
      // The condition without ACCESS#*: the API may no longer record a collector's access to an account.
      const workflow = await plantedWorkflow((resources) => {
        const write = grantOf(resources, 'ApiHandlerFunctionServiceRole', 'dynamodb:PutItem');
        write.Condition['ForAllValues:StringLike']['dynamodb:LeadingKeys'] = ['TASK#*', 'AGENT#*'];
      });
      const stack = await LocalStack.start({
        pack: POLICY_PACKS['us-regf'],
        start: new Date('2026-03-02T15:00:00Z'),
        workflow,
        ...(await on(store)),
      });
      try {
        const asApi = <T>(work: () => Promise<T>) =>
          runAs({ name: 'api', wrote: false, wroteOutbox: false, at: 0 }, work);
        const access = {
          accountId: 'IAM1',
          agentId: 'agent-1',
          until: '2026-03-02T15:30:00.000Z',
          via: 'inbound-call',
        };
        await expect(asApi(() => stack.store.grantAccess(access as never))).rejects.toThrow(
          denial('/api', 'dynamodb:PutItem', '*table/DataTable*', 'because no identity-based policy allows'),
        );
        // A call task is still the API's to update; the same write outside a function is no role's.
        await expect(asApi(() => stack.store.markDialled('T1', 'agent-1'))).resolves.toBeDefined();
        await expect(stack.store.grantAccess(access as never)).resolves.toBeUndefined();
      } finally {
        await stack.stop();
      }
    });

    it(`holds reads of a person's partition to the functions granted them, on ${store}`, async () => {
      // The intake's reads scoped off a person's partition, as a stack that forgot the intake keeps the person would.
      const workflow = await plantedWorkflow((resources) => {
        const grant = grantOf(resources, 'IntakeFunctionServiceRole', 'dynamodb:GetItem');
        grant.Action = actionsOf(grant).filter((a) => a !== 'dynamodb:GetItem');
        statementsOf(resources, 'IntakeFunctionServiceRole').push({
          Effect: 'Allow',
          Action: 'dynamodb:GetItem',
          Resource: grant.Resource,
          Condition: { 'ForAllValues:StringNotLike': { 'dynamodb:LeadingKeys': ['PERSON#*'] } },
        });
      });
      const stack = await LocalStack.start({
        pack: POLICY_PACKS['us-regf'],
        start: new Date('2026-03-02T15:00:00Z'),
        workflow,
        ...(await on(store)),
      });
      try {
        const as = <T>(name: string, work: () => Promise<T>) =>
          runAs({ name, wrote: false, wroteOutbox: false, at: 0 }, work);
        await expect(as('intake', () => stack.persons.getPerson('CIF-1'))).rejects.toThrow(
          denial('/intake', 'dynamodb:GetItem', '*table/DataTable*', 'because no identity-based policy allows'),
        );
        await expect(as('intake', () => stack.store.getState('IAM1'))).resolves.toBeNull();
        // As deployed: a function that does not keep the person may not read them, the sending steps may not either.
        for (const fn of ['diagnose', 'remind'])
          await expect(
            as(fn, () => stack.persons.getPerson('CIF-1')),
            fn,
          ).rejects.toThrow(
            denial(`/${fn}`, 'dynamodb:GetItem', '*table/DataTable*', 'because no identity-based policy allows'),
          );
        await expect(as('diagnose', () => stack.store.getState('IAM1'))).resolves.toBeNull();
      } finally {
        await stack.stop();
      }
    });

    it(`fails the executions whose state machine role may not invoke Remind on ${store}`, async () => {
      const { result } = await cureWith(store, (resources) => {
        const policy = resources[idOf(resources, 'AWS::IAM::Policy', 'WorkflowStateMachineRole')]!.Properties;
        policy.PolicyDocument.Statement = statementsOf(resources, 'WorkflowStateMachineRole').filter(
          (s) => !JSON.stringify(s.Resource).includes('RemindFunction'),
        );
      });
      expect(result.failures.length).toBeGreaterThan(0);
      for (const failure of result.failures)
        expect(failure.error).toMatch(
          denial(
            'AccessDeniedException: User: arn:aws:sts::*:assumed-role/WorkflowStateMachineRole*/state-machine',
            'lambda:InvokeFunction',
            'arn:aws:lambda:*:function:RemindFunction*',
          ),
        );
      expect(contacts(result)).toEqual([]);
    });

    it(`publishes no event out when the pipe's role may not put on the bus on ${store}`, async () => {
      const { result, artifacts } = await cureWith(store, (r) => withoutAction(r, 'OutboxRole', 'events:PutEvents'));
      // The workflow goes on (the pipe is downstream of it); its events stay unpublished.
      expect(contacts(result).length).toBeGreaterThan(0);
      expect(artifacts.stack.outputs.eventsOut).toEqual([]);
      expect(artifacts.stack.relay.stats.denied).toBeGreaterThan(0);
      expect(artifacts.stack.relay.stats.lastError).toMatch(
        denial('/pipe', 'events:PutEvents', 'arn:aws:events:us-east-1:000000000000:event-bus/collections'),
      );
    });

    it(`dead-letters the bank's events when the queue's policy allows another rule, on ${store}`, async () => {
      const { result, artifacts } = await cureWith(store, (resources) => {
        const policy = resources[idOf(resources, 'AWS::SQS::QueuePolicy', 'InboundPolicy')]!.Properties;
        const send = (policy.PolicyDocument.Statement as { Effect: string; Condition?: unknown }[]).find(
          (s) => s.Effect === 'Allow',
        )!;
        send.Condition = {
          ArnEquals: { 'aws:SourceArn': 'arn:aws:events:us-east-1:000000000000:rule/collections/Other' },
        };
      });
      // Nothing reaches the intake: no account is opened, and each event is a dead letter with the reason.
      expect(result.accounts).toEqual([]);
      expect(artifacts.stack.outputs.deadLetters.length).toBeGreaterThan(0);
      for (const letter of artifacts.stack.outputs.deadLetters)
        expect(JSON.stringify(letter)).toMatch(
          denial(
            'NO_PERMISSIONS: Service events.amazonaws.com',
            'sqs:SendMessage',
            '*:InboundA33D69E9',
            'because no resource-based policy allows',
          ),
        );
    });
  }

  it('holds the API to its role over HTTP: no inbound call without PutItem, no queue without its index', async () => {
    const workflow = await plantedWorkflow((resources) => {
      withoutAction(resources, 'ApiHandlerFunctionServiceRole', 'dynamodb:PutItem');
      // And the API without its query of the call queue's index.
      const policy = resources[idOf(resources, 'AWS::IAM::Policy', 'ApiHandlerFunctionServiceRole')]!.Properties;
      policy.PolicyDocument.Statement = statementsOf(resources, 'ApiHandlerFunctionServiceRole').filter(
        (s) => !JSON.stringify(s.Resource).includes('/index/'),
      );
    });
    const live = await LiveStack.start({
      pack: POLICY_PACKS['us-regf'],
      port: 0,
      speed: 600,
      start: new Date('2026-03-02T15:00:00Z'),
      dynamoEndpoint: await dynamoEndpoint(),
      agents: 1,
      workflow,
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
      const logged = (pattern: RegExp) => live.stack.outputs.logs.some((l) => pattern.test(JSON.stringify(l)));
      expect(logged(/\/api is not authorized to perform: dynamodb:PutItem/)).toBe(true);
      // Without Query on the call queue's index, the desk's queue cannot be listed.
      const queue = await fetch(`${live.addresses.apiUrl}/api/agent/queue`, {
        headers: { authorization: `Bearer ${live.addresses.agents[0]!.token}` },
      });
      expect(queue.status).toBe(500);
      expect(logged(/\/api is not authorized to perform: dynamodb:Query on resource: \S+\/index\/callQueue /)).toBe(
        true,
      );
    } finally {
      await live.stop();
    }
  });

  it("lets the schedule's role invoke the report and send to its dead-letter queue, as the template says", async () => {
    const real = stackIam((await plantedWorkflow(() => {})).iam);
    const { schedule } = real.template;
    expect(schedule?.target).toMatch(/:function:ReportFunction\w+$/);
    expect(() => real.refuse('scheduler', 'lambda:InvokeFunction', schedule!.target)).not.toThrow();
    expect(() => real.refuse('scheduler', 'sqs:SendMessage', schedule!.deadLetters!)).not.toThrow();
    expect(() => real.refuse('scheduler', 'lambda:InvokeFunction', real.template.functions.diagnose!)).toThrow(
      /\/scheduler is not authorized to perform: lambda:InvokeFunction/,
    );
    const planted = stackIam(
      (await plantedWorkflow((r) => withoutAction(r, 'DailyReportScheduleRole', 'lambda:InvokeFunction'))).iam,
    );
    expect(() => planted.refuse('scheduler', 'lambda:InvokeFunction', schedule!.target)).toThrow(
      /not authorized to perform: lambda:InvokeFunction on resource: \S+ReportFunction\w+ because no identity-based/,
    );
  });
});
