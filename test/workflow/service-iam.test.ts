// The local stack holds each function's calls to the other services (sends, callbacks, documents, the bus, the link
// key, the dead-letter queue) to the synthesized template's statements (docs/contract.md §10.2.1): the action, on the
// resource the function's environment names, with the conditions the stack writes, and the key of what is encrypted.
// Proven against the real template, and by wrong grants planted in it: on DynamoDB Local and in process alike they are
// refused with AccessDeniedException, as AWS refuses them.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadWorkflow } from '../../workflows/twin/synthesized-workflow';
import { PORT_ACTIONS, refuseUngrantedCall, type PortCall } from '../../workflows/twin/service-iam';
import type { TemplateIam } from '../../workflows/twin/stack-iam';
import { runAs } from '../../workflows/twin/usage';
import { runScenario } from '../../workflows/tools/scenario/run-scenario';
import { POLICY_PACKS } from '../../policies/built-in-packs';
import { dynamoEndpoint } from '../support/dynamo';
import { denial, grantOf, idOf, plantedWorkflow, withoutAction } from '../support/planted';
import { EXAMPLE_SCENARIOS, loadScenario } from '../support/scenarios';

const cure = () => loadScenario(path.join(EXAMPLE_SCENARIOS, 'cure.json'));
const badInput = () => loadScenario(path.join(EXAMPLE_SCENARIOS, 'bad-input.json'));
const as = <T>(name: string, work: () => T) =>
  runAs({ name, wrote: false, wroteOutbox: false, at: 0 }, async () => work());
const stores = ['memory', 'dynamodb-local'] as const;
const on = async (store: (typeof stores)[number]) =>
  store === 'memory' ? { store: 'memory' as const } : { dynamoEndpoint: await dynamoEndpoint() };

let iam: TemplateIam;
beforeAll(async () => {
  iam = (await loadWorkflow(POLICY_PACKS['us-regf'])).iam;
});
const call = (fn: string, portCall: PortCall, detail?: string) =>
  as(fn, () => refuseUngrantedCall(iam, portCall, detail));

describe('IAM on the local services, from the synthesized template', () => {
  it('allows each call the stack makes, by the function that makes it, on what its environment names', async () => {
    const made: [string, PortCall, string?][] = [
      ['remind', 'senders.email.send'],
      ['remind', 'senders.sms.send'],
      ['remind', 'links.key'],
      ['offer-plan', 'senders.email.send'],
      ['offer-plan', 'links.key'],
      ['letter', 'documents.put', 'letters/A1/C1-FINAL-NOTICE.pdf'],
      ['letter', 'links.key'],
      ['report', 'documents.put', 'reports/2026-01-05/portfolio.json'],
      ['intake', 'callbacks.start'],
      ['intake', 'callbacks.resume'],
      ['intake', 'deadLetters.reject'],
      ['await-event', 'callbacks.resume'],
      ['erase', 'documents.removeAll', 'letters/A1/'],
      ['erase', 'deadLetters.removeAccount'],
      ['api', 'bus.put', 'collections.agent'],
      ['api', 'bus.put', 'collections.customer'],
      ['api', 'links.key'],
    ];
    for (const [fn, portCall, detail] of made) await expect(call(fn, portCall, detail)).resolves.toBeUndefined();
    // Every action of every port call is one the template grants some role: the table is pinned to the template.
    const granted = new Set(
      Object.values(iam.roles).flatMap((role) => role.statements.flatMap((s) => [s.Action ?? []].flat())),
    );
    for (const action of Object.values(PORT_ACTIONS).flat()) expect(granted).toContain(action);
  });

  it('refuses a call outside the role, and lets calls made outside any function through', async () => {
    await expect(call('remind', 'callbacks.resume')).rejects.toThrow(
      denial(
        'assumed-role/RemindFunctionServiceRole*/remind',
        'states:SendTaskSuccess',
        'arn:aws:states:us-east-1:000000000000:stateMachine:Collections-collection',
      ),
    );
    // Erase may read its dead-letter queue through, and never send to it.
    await expect(call('erase', 'deadLetters.reject')).rejects.toThrow(
      denial(
        '/erase',
        'sqs:SendMessage',
        'arn:aws:sqs:us-east-1:000000000000:InboundDeadLetters*',
        'because no identity-based policy allows',
      ),
    );
    // A call to something the function's environment does not name has nothing to reach.
    await expect(call('await-event', 'callbacks.start')).rejects.toThrow(/environment names nothing as STATE_MACHINE/);
    expect(() => refuseUngrantedCall(iam, 'senders.email.send')).not.toThrow();
  });

  it("holds a function's documents to the keys its role may write, erasure to its s3:prefix condition", async () => {
    await expect(call('letter', 'documents.put', 'reports/2026-01-05.json')).rejects.toThrow(
      denial('/letter', 's3:PutObject', 'arn:aws:s3:::documentsbucket*/reports/2026-01-05.json'),
    );
    await expect(call('report', 'documents.put', 'letters/A1/x.pdf')).rejects.toThrow(/not authorized/);
    // Erasure lists versions only under letters/ (`s3:prefix`), and deletes nowhere else.
    await expect(call('erase', 'documents.removeAll', 'reports/')).rejects.toThrow(
      denial('/erase', 's3:ListBucketVersions', 'arn:aws:s3:::documentsbucket*', 'because'),
    );
  });

  it("holds the API's events to the sources its policy's events:source condition names", async () => {
    await expect(call('api', 'bus.put', 'bank.core')).rejects.toThrow(
      denial('/api', 'events:PutEvents', 'arn:aws:events:us-east-1:000000000000:event-bus/collections', 'because'),
    );
    await expect(call('api', 'bus.put', 'collections.workflow')).rejects.toThrow(/events:PutEvents/);
  });

  for (const store of stores)
    it(`refuses Remind's email without ses:SendEmail on ${store}: recorded as failed, the denial named`, async () => {
      const workflow = await plantedWorkflow((resources) =>
        withoutAction(resources, 'RemindFunctionServiceRole', 'ses:SendEmail'),
      );
      const { result } = await runScenario(cure(), { workflow, ...(await on(store)) });
      const timeline = result.accounts.flatMap((a) => a.timeline);
      // The send step treats a refusal it cannot name as it would in AWS: tried again, then recorded as failed, and
      // the next channel taken.
      expect(timeline.filter((e) => e.kind === 'contact-failed')).toEqual([
        expect.objectContaining({
          channel: 'email',
          reason: expect.stringMatching(/\/remind is not authorized to perform: ses:SendEmail/),
        }),
      ]);
      expect(timeline.filter((e) => e.kind === 'contact' && e.channel === 'email')).toEqual([]);
      expect(timeline.filter((e) => e.kind === 'contact' && e.channel === 'sms').length).toBeGreaterThan(0);
    });

  for (const store of stores)
    it(`refuses Remind's link key granted on another secret on ${store}: no link, no message`, async () => {
      const workflow = await plantedWorkflow((resources) => {
        // The grant names a secret of the same account, not the one Remind's environment names.
        grantOf(resources, 'RemindFunctionServiceRole', 'secretsmanager:GetSecretValue').Resource = {
          'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':secretsmanager:us-east-1:000000000000:secret:Other']],
        };
      });
      const { result } = await runScenario(cure(), { workflow, ...(await on(store)) });
      expect(result.failures.length).toBeGreaterThan(0);
      for (const failure of result.failures)
        expect(failure.error).toMatch(
          /\/remind is not authorized to perform: secretsmanager:GetSecretValue on resource: \S+secret:WebLinkKey\w+ /,
        );
      expect(result.accounts.flatMap((a) => a.timeline).filter((e) => e.kind === 'contact')).toEqual([]);
    });

  for (const store of stores)
    it(`refuses the intake's dead letters granted on the outbox's queue on ${store}`, async () => {
      const workflow = await plantedWorkflow((resources) => {
        grantOf(resources, 'IntakeFunctionServiceRole', 'sqs:SendMessage').Resource = {
          'Fn::GetAtt': [idOf(resources, 'AWS::SQS::Queue', 'OutboxDeadLetters'), 'Arn'],
        };
      });
      const { result, artifacts } = await runScenario(badInput(), { workflow, ...(await on(store)) });
      // The rejection cannot be sent: the intake fails the record, the queue redelivers it, and after its last receive
      // the queue's own redrive moves it, without the reason the intake gave.
      expect(
        artifacts.stack.outputs.logs.some((l) =>
          /\/intake is not authorized to perform: sqs:SendMessage on resource: \S+:InboundDeadLetters\w+ /.test(
            JSON.stringify(l),
          ),
        ),
      ).toBe(true);
      expect(result.rejected).toEqual([
        expect.objectContaining({ reason: expect.stringMatching(/processing failed 10 times/) }),
      ]);
    });

  it('plants what it says: the planted statements differ from the real ones', async () => {
    const real = await plantedWorkflow(() => {});
    const planted = await plantedWorkflow((resources) =>
      withoutAction(resources, 'RemindFunctionServiceRole', 'ses:SendEmail'),
    );
    expect(JSON.stringify(real.iam.roles.remind)).toContain('ses:SendEmail');
    expect(JSON.stringify(planted.iam.roles.remind)).not.toContain('ses:SendEmail');
    expect(real.iam).toEqual(iam);
  });
});
