// The deployable stack's permissions: least-privilege IAM for every function, and cdk-nag's AwsSolutions checks.
import { Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { TABLE_ACTIONS } from '../../infra/collections-stack';
import { INDEX_QUERIES, PERSON_ACTIONS } from '../../functions/adapters/table-grants';
import {
  actionsOf,
  allStatements,
  build,
  statementsOf,
  useStackTemplate,
  type Statement,
} from '../support/stack-template';

useStackTemplate();

describe('least-privilege IAM', () => {
  it('grants no scan or wildcard DynamoDB action; deletes only send-once records and the phone index', () => {
    const dynamo = allStatements()
      .flatMap(actionsOf)
      .filter((a) => a.startsWith('dynamodb:'));
    expect(dynamo.length).toBeGreaterThan(20);
    expect(dynamo.filter((a) => /Scan|\*/.test(a))).toEqual([]);
    const deleters = Object.entries(TABLE_ACTIONS)
      .filter(([, actions]) => actions.includes('dynamodb:DeleteItem'))
      .map(([name]) => name);
    expect(deleters).toEqual(['remind', 'offer-plan', 'intake', 'erase']);
    // The intake deletes the index item of a phone number the customer changed, and nothing else.
    const intakeDeletes = statementsOf('IntakeFunctionServiceRole').filter((st) =>
      actionsOf(st).includes('dynamodb:DeleteItem'),
    );
    expect(intakeDeletes.map((st) => [actionsOf(st), st.Condition])).toEqual([
      [['dynamodb:DeleteItem'], { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['PHONE#*'] } }],
    ]);
  });

  it('grants each function exactly the table actions it performs', () => {
    const tableActions = (prefix: string) =>
      statementsOf(prefix)
        .flatMap(actionsOf)
        .filter((a) => a.startsWith('dynamodb:'))
        .sort();
    const roles: Record<string, string> = {
      diagnose: 'Diagnose',
      remind: 'Remind',
      'offer-plan': 'OfferPlan',
      escalate: 'Escalate',
      close: 'Close',
      'await-event': 'AwaitEvent',
      intake: 'Intake',
      erase: 'Erase',
    };
    for (const [handler, role] of Object.entries(roles)) {
      expect(tableActions(`${role}FunctionServiceRole`), handler).toEqual([...TABLE_ACTIONS[handler]!].sort());
    }
    // A stale park reads the state (getState): without GetItem, AWS answers AccessDenied and the execution fails.
    expect(tableActions('AwaitEventFunctionServiceRole')).toEqual(['dynamodb:GetItem', 'dynamodb:UpdateItem']);
    // The API: its table actions, plus a query on the call-queue index and on no other.
    const api = statementsOf('ApiHandlerFunctionServiceRole').filter((st) =>
      actionsOf(st).some((a) => a.startsWith('dynamodb:')),
    );
    expect(api.flatMap(actionsOf).sort()).toEqual([...TABLE_ACTIONS.api!, 'dynamodb:Query'].sort());
    expect(JSON.stringify(api.find((st) => actionsOf(st).length === 1)?.Resource)).toContain('/index/callQueue');
    // Each index query the template grants is the one INDEX_QUERIES names (what the local stack holds them to).
    const indexesOf = (prefix: string) =>
      statementsOf(prefix)
        .filter((st) => JSON.stringify(st.Resource).includes('/index/'))
        .flatMap((st) => [st.Resource].flat().map((r) => JSON.stringify(r).match(/\/index\/(\w+)/)![1]));
    expect(indexesOf('ApiHandlerFunctionServiceRole')).toEqual(INDEX_QUERIES.api);
    expect(indexesOf('ReportFunctionServiceRole')).toEqual(INDEX_QUERIES.report);
    for (const role of Object.values(roles)) expect(indexesOf(`${role}FunctionServiceRole`), role).toEqual([]);
    // The API writes call tasks, claim lists and access items only: never an account's own items (docs/contract.md
    // §10.7).
    const writes = api.filter((st) => actionsOf(st).some((a) => /PutItem|UpdateItem|DeleteItem/.test(a)));
    expect(writes).toHaveLength(1);
    expect(writes[0]!.Condition).toEqual({
      'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['TASK#*', 'AGENT#*', 'ACCESS#*'] },
    });
  });

  it("reaches a person's partition only as PERSON_ACTIONS says: each other table action is held off it", () => {
    const roles: Record<string, string> = {
      diagnose: 'Diagnose',
      remind: 'Remind',
      'offer-plan': 'OfferPlan',
      escalate: 'Escalate',
      letter: 'Letter',
      close: 'Close',
      'await-event': 'AwaitEvent',
      intake: 'Intake',
      erase: 'Erase',
      api: 'ApiHandler',
      report: 'Report',
    };
    const offPerson = { 'ForAllValues:StringNotLike': { 'dynamodb:LeadingKeys': ['PERSON#*'] } };
    for (const [handler, role] of Object.entries(roles)) {
      const table = statementsOf(`${role}FunctionServiceRole`).filter(
        (st) =>
          actionsOf(st).some((a) => a.startsWith('dynamodb:')) && !JSON.stringify(st.Resource).includes('/index/'),
      );
      expect(
        table
          .filter((st) => !st.Condition)
          .flatMap(actionsOf)
          .sort(),
        handler,
      ).toEqual([...(PERSON_ACTIONS[handler] ?? [])].sort());
      const held = table.filter((st) => JSON.stringify(st.Condition) === JSON.stringify(offPerson)).flatMap(actionsOf);
      const scoped = table.filter((st) => st.Condition && JSON.stringify(st.Condition) !== JSON.stringify(offPerson));
      expect(JSON.stringify(scoped.map((st) => st.Condition)), handler).not.toContain('PERSON#');
      expect([...held, ...(PERSON_ACTIONS[handler] ?? []), ...scoped.flatMap(actionsOf)].sort(), handler).toEqual(
        [...TABLE_ACTIONS[handler]!].sort(),
      );
    }
  });

  it('has no data-plane statement with a wildcard action, nor a wildcard resource on the table, queues or bus', () => {
    const dataPlane = /^(dynamodb|sqs|events|kms):/;
    const statements = allStatements().filter((s) => actionsOf(s).some((a) => dataPlane.test(a)));
    expect(statements.length).toBeGreaterThan(10);
    for (const s of statements) {
      expect(
        actionsOf(s).filter((a) => dataPlane.test(a) && a.endsWith(':*')),
        JSON.stringify(s),
      ).toEqual([]);
      const resources = [s.Resource].flat();
      if (actionsOf(s).some((a) => /^(dynamodb|sqs|events):/.test(a)))
        expect(resources, JSON.stringify(s)).not.toContain('*');
    }
  });

  it('scopes messaging to the sender identity and the workflow calls to the state machine', () => {
    const ses = allStatements().filter((s) => actionsOf(s).includes('ses:SendEmail'));
    expect(ses).toHaveLength(2);
    expect(JSON.stringify(ses)).toContain('identity/collections@bank.example');
    const start = allStatements().filter((s) => actionsOf(s).includes('states:StartExecution'));
    for (const s of start) expect(JSON.stringify(s.Resource)).toContain('stateMachine:Collections-collection');
  });

  it('scopes SMS exactly when the origination identity is an ARN', () => {
    const arn = 'arn:aws:sms-voice:eu-west-1:111122223333:phone-number/phone-abc';
    const scoped = Template.fromStack(build({ smsOriginationIdentity: arn }).stack).toJSON();
    const sms = Object.values(scoped.Resources as Record<string, any>)
      .filter((r) => r.Type === 'AWS::IAM::Policy')
      .flatMap((r) => r.Properties.PolicyDocument.Statement)
      .filter((s: Statement) => actionsOf(s).includes('sms-voice:SendTextMessage'));
    expect(sms.map((s: Statement) => s.Resource)).toEqual([arn, arn]);
  });
});

describe('cdk-nag AwsSolutions', () => {
  const nagged = (addFinding = false) => {
    const { app, stack } = build();
    if (addFinding) new sqs.Queue(stack, 'Unchecked');
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    return () => app.synth();
  };

  it('finds nothing unacknowledged in the stack', () => {
    expect(nagged()).not.toThrow();
  });

  it('does check: a queue without TLS and a DLQ fails synthesis', () => {
    expect(nagged(true)).toThrow(/AwsSolutions-SQS4/);
  });
});
