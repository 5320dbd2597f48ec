// The local stack holds each function's calls to the other services (sends, callbacks, documents, the bus, the link
// key) to what the synthesized template grants its role (docs/contract.md §10.2.1), proven by a planted defect: the
// template's grants with SendEmail taken from Remind. On DynamoDB Local and in process alike its email is refused with
// AccessDeniedException and never sent.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadWorkflow } from '../../workflows/twin/synthesized-workflow';
import { PORT_ACTIONS, refuseUngrantedCall } from '../../workflows/twin/service-iam';
import { runAs } from '../../workflows/twin/usage';
import { runScenario } from '../../workflows/tools/scenario/run-scenario';
import { POLICY_PACKS } from '../../policies/built-in-packs';
import { dynamoEndpoint } from '../support/dynamo';
import { EXAMPLE_SCENARIOS, loadScenario } from '../support/scenarios';

const cure = () => loadScenario(path.join(EXAMPLE_SCENARIOS, 'cure.json'));
const as = <T>(name: string, work: () => T) =>
  runAs({ name, wrote: false, wroteOutbox: false, at: 0 }, async () => work());

describe('IAM on the local services, from the synthesized template', () => {
  it('maps every port call to an action some function of the template is granted, and grants no more', async () => {
    const { serviceGrants } = await loadWorkflow(POLICY_PACKS['us-regf']);
    const granted = new Set(Object.values(serviceGrants).flatMap((grants) => grants.map((g) => g.split(' ')[0])));
    for (const action of Object.values(PORT_ACTIONS).flat()) expect(granted).toContain(action);
    // The functions that send, call back and write letters are the ones granted to.
    expect(serviceGrants.remind).toContain('ses:SendEmail');
    expect(serviceGrants.diagnose).toEqual([]);
    expect(serviceGrants['await-event']).toEqual(['states:SendTaskSuccess']);
    expect(serviceGrants.intake).toEqual(expect.arrayContaining(['states:StartExecution', 'sqs:SendMessage']));
    // Objects by key: the letters under letters/, the report under reports/.
    expect(serviceGrants.letter).toContain('s3:PutObject letters/*');
    expect(serviceGrants.report).toEqual(['s3:PutObject reports/*']);
    expect(serviceGrants.api).toContain('events:PutEvents');
  });

  it('refuses a call outside the role, and lets calls made outside any function through', async () => {
    const grants = { 'await-event': ['states:SendTaskSuccess'] };
    await expect(as('await-event', () => refuseUngrantedCall(grants, 'callbacks.resume'))).resolves.toBeUndefined();
    await expect(as('await-event', () => refuseUngrantedCall(grants, 'callbacks.start'))).rejects.toThrow(
      /await-event\/local is not authorized to perform: states:StartExecution/,
    );
    expect(() => refuseUngrantedCall(grants, 'senders.email.send')).not.toThrow();
  });

  it("holds a function's documents to the keys its role may write (a bucket's objects by prefix)", async () => {
    const { serviceGrants } = await loadWorkflow(POLICY_PACKS['us-regf']);
    const put = (fn: string, key: string) => as(fn, () => refuseUngrantedCall(serviceGrants, 'documents.put', key));
    await expect(put('letter', 'letters/A1/C1-FINAL-NOTICE.pdf')).resolves.toBeUndefined();
    await expect(put('letter', 'reports/2026-01-05.json')).rejects.toThrow(
      /letter\/local is not authorized to perform: s3:PutObject on reports\/2026-01-05\.json/,
    );
    await expect(put('report', 'reports/2026-01-05.json')).resolves.toBeUndefined();
    await expect(put('report', 'letters/A1/x.pdf')).rejects.toThrow(/not authorized/);
    // Erasure lists and deletes every version under the account's letters, and nowhere else.
    const removeAll = (prefix: string) =>
      as('erase', () => refuseUngrantedCall(serviceGrants, 'documents.removeAll', prefix));
    await expect(removeAll('letters/A1/')).resolves.toBeUndefined();
    await expect(removeAll('reports/')).rejects.toThrow(/erase\/local is not authorized to perform: s3:DeleteObject/);
    await expect(as('erase', () => refuseUngrantedCall(serviceGrants, 'deadLetters.removeAccount'))).resolves.toBe(
      undefined,
    );
    await expect(as('letter', () => refuseUngrantedCall(serviceGrants, 'deadLetters.removeAccount'))).rejects.toThrow(
      /letter\/local is not authorized to perform: sqs:ReceiveMessage/,
    );
  });

  for (const store of ['memory', 'dynamodb-local'] as const)
    it(`refuses Remind's email without ses:SendEmail on ${store}: recorded as failed, the denial named`, async () => {
      const real = await loadWorkflow(POLICY_PACKS['us-regf']);
      const workflow = {
        ...real,
        serviceGrants: {
          ...real.serviceGrants,
          remind: real.serviceGrants.remind!.filter((a) => a !== 'ses:SendEmail'),
        },
      };
      const { result } = await runScenario(cure(), {
        workflow,
        ...(store === 'memory' ? { store: 'memory' as const } : { dynamoEndpoint: await dynamoEndpoint() }),
      });
      const timeline = result.accounts.flatMap((a) => a.timeline);
      // The send step treats a refusal it cannot name as it would in AWS: tried again, then recorded as failed, and
      // the next channel taken.
      expect(timeline.filter((e) => e.kind === 'contact-failed')).toEqual([
        expect.objectContaining({
          channel: 'email',
          reason: expect.stringMatching(/remind\/local is not authorized to perform: ses:SendEmail/),
        }),
      ]);
      expect(timeline.filter((e) => e.kind === 'contact' && e.channel === 'email')).toEqual([]);
      expect(timeline.filter((e) => e.kind === 'contact' && e.channel === 'sms').length).toBeGreaterThan(0);
    });
});
