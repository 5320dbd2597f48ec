// IAM's policy evaluation from plain values (workflows/twin/policy-evaluation.ts): what the local twin decides every
// call with. Explicit deny wins, wildcards in actions and resources, the condition operators the stack's template uses
// (StringEquals, StringLike, ForAllValues:StringLike, ArnLike, ArnEquals, Bool) and a few it may come to use, resource
// policies for services, and KMS key policies that must allow the principal or hand the decision to its role.
import { describe, expect, it } from 'vitest';
import {
  evaluate,
  statementCovers,
  type PolicyRequest,
  type PolicyStatement,
} from '../../workflows/twin/policy-evaluation';

const ACCOUNT = '000000000000';
const ROLE = `arn:aws:iam::${ACCOUNT}:role/Remind`;
const TABLE = `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/Data`;
const QUEUE = `arn:aws:sqs:us-east-1:${ACCOUNT}:Inbound`;
const KEY = `arn:aws:kms:us-east-1:${ACCOUNT}:key/Key`;
const asRole = (action: string, resource: string, context?: PolicyRequest['context']): PolicyRequest => ({
  principal: { role: ROLE },
  action,
  resource,
  context,
});
const decide = (identity: PolicyStatement[], request: PolicyRequest, resource?: PolicyStatement[], keyPolicy = false) =>
  evaluate({ identity, resource, keyPolicy, account: ACCOUNT }, request).decision;
const allow = (Action: string | string[], Resource: string | string[], Condition?: PolicyStatement['Condition']) =>
  ({ Effect: 'Allow', Action, Resource, ...(Condition ? { Condition } : {}) }) as PolicyStatement;

describe('policy evaluation', () => {
  it('allows what a statement grants, denies implicitly what none does, and an explicit deny wins', () => {
    const grants = [allow(['dynamodb:GetItem', 'dynamodb:PutItem'], TABLE)];
    expect(decide(grants, asRole('dynamodb:GetItem', TABLE))).toBe('allow');
    expect(decide(grants, asRole('dynamodb:DeleteItem', TABLE))).toBe('implicit-deny');
    expect(decide(grants, asRole('dynamodb:GetItem', `${TABLE}-other`))).toBe('implicit-deny');
    expect(decide(grants, asRole('dynamodb:GetItem', `${TABLE}/index/byStatus`))).toBe('implicit-deny');
    const denied = [...grants, { Effect: 'Deny', Action: 'dynamodb:*', Resource: '*' } as PolicyStatement];
    expect(decide(denied, asRole('dynamodb:GetItem', TABLE))).toBe('explicit-deny');
    expect(evaluate({ identity: grants, account: ACCOUNT }, asRole('dynamodb:Scan', TABLE)).reason).toBe(
      'no-identity-allow',
    );
  });

  it('matches actions case-insensitively with wildcards, resources with * and ?, NotAction and NotResource', () => {
    expect(decide([allow('kms:GenerateDataKey*', KEY)], asRole('kms:GenerateDataKey', KEY))).toBe('allow');
    expect(decide([allow('kms:GenerateDataKey*', KEY)], asRole('kms:generatedatakeywithoutplaintext', KEY))).toBe(
      'allow',
    );
    expect(decide([allow('kms:GenerateDataKey*', KEY)], asRole('kms:Decrypt', KEY))).toBe('implicit-deny');
    const letters = 'arn:aws:s3:::documents/letters/*';
    expect(
      decide([allow('s3:PutObject', letters)], asRole('s3:PutObject', 'arn:aws:s3:::documents/letters/A1/x.pdf')),
    ).toBe('allow');
    expect(decide([allow('s3:PutObject', letters)], asRole('s3:PutObject', 'arn:aws:s3:::documents/reports/x'))).toBe(
      'implicit-deny',
    );
    expect(
      decide(
        [allow('sqs:SendMessage', 'arn:aws:sqs:us-east-1:?????????????:Inbound')],
        asRole('sqs:SendMessage', QUEUE),
      ),
    ).toBe('implicit-deny');
    expect(
      decide(
        [allow('sqs:SendMessage', 'arn:aws:sqs:us-east-1:????????????:Inbound')],
        asRole('sqs:SendMessage', QUEUE),
      ),
    ).toBe('allow');
    const notAction = { Effect: 'Allow', NotAction: 'sqs:Delete*', Resource: QUEUE } as PolicyStatement;
    expect(decide([notAction], asRole('sqs:SendMessage', QUEUE))).toBe('allow');
    expect(decide([notAction], asRole('sqs:DeleteMessage', QUEUE))).toBe('implicit-deny');
    const notResource = { Effect: 'Allow', Action: 'sqs:*', NotResource: QUEUE } as PolicyStatement;
    expect(decide([notResource], asRole('sqs:SendMessage', QUEUE))).toBe('implicit-deny');
    expect(decide([notResource], asRole('sqs:SendMessage', `${QUEUE}2`))).toBe('allow');
  });

  it('holds writes to the partitions ForAllValues:StringLike names on dynamodb:LeadingKeys', () => {
    const scoped = [
      allow(['dynamodb:PutItem'], TABLE, {
        'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['TASK#*', 'AGENT#*', 'ACCESS#*'] },
      }),
    ];
    const put = (keys?: string[]) => asRole('dynamodb:PutItem', TABLE, keys && { 'dynamodb:LeadingKeys': keys });
    expect(decide(scoped, put(['TASK#T1', 'AGENT#a1']))).toBe('allow');
    expect(decide(scoped, put(['TASK#T1', 'ACCOUNT#A1']))).toBe('implicit-deny');
    // Condition keys are case-insensitive; values are not.
    expect(decide(scoped, asRole('dynamodb:PutItem', TABLE, { 'DynamoDB:leadingkeys': ['task#T1'] }))).toBe(
      'implicit-deny',
    );
    // IAM's own rule: "for all values" of none holds. The twin names every write's keys.
    expect(decide(scoped, put())).toBe('allow');
    const any = [allow('dynamodb:PutItem', TABLE, { 'ForAnyValue:StringLike': { 'dynamodb:LeadingKeys': 'TASK#*' } })];
    expect(decide(any, put(['ACCOUNT#A1', 'TASK#T1']))).toBe('allow');
    expect(decide(any, put(['ACCOUNT#A1']))).toBe('implicit-deny');
    expect(decide(any, put())).toBe('implicit-deny');
  });

  it('holds requests off the partitions ForAllValues:StringNotLike names on dynamodb:LeadingKeys', () => {
    const off = [
      allow(['dynamodb:GetItem', 'dynamodb:BatchGetItem'], TABLE, {
        'ForAllValues:StringNotLike': { 'dynamodb:LeadingKeys': ['PERSON#*'] },
      }),
    ];
    const get = (keys: string[]) => asRole('dynamodb:BatchGetItem', TABLE, { 'dynamodb:LeadingKeys': keys });
    expect(decide(off, get(['ACCOUNT#A1', 'DAILY#2026-03-05']))).toBe('allow');
    expect(decide(off, get(['ACCOUNT#A1', 'PERSON#C1']))).toBe('implicit-deny');
    // For all values of none, again: the twin names every read's keys as every write's.
    expect(decide(off, asRole('dynamodb:GetItem', TABLE))).toBe('allow');
  });

  it('reads StringEquals (any value), StringLike on s3:prefix, Bool, IfExists, Null and negated operators', () => {
    const bus = `arn:aws:events:us-east-1:${ACCOUNT}:event-bus/collections`;
    const sources = [
      allow('events:PutEvents', bus, {
        StringEquals: { 'events:source': ['collections.customer', 'collections.agent'] },
      }),
    ];
    expect(decide(sources, asRole('events:PutEvents', bus, { 'events:source': 'collections.agent' }))).toBe('allow');
    expect(decide(sources, asRole('events:PutEvents', bus, { 'events:source': 'bank.core' }))).toBe('implicit-deny');
    expect(decide(sources, asRole('events:PutEvents', bus))).toBe('implicit-deny');
    const bucket = 'arn:aws:s3:::documents';
    const list = [allow('s3:ListBucketVersions', bucket, { StringLike: { 's3:prefix': ['letters/*'] } })];
    expect(decide(list, asRole('s3:ListBucketVersions', bucket, { 's3:prefix': 'letters/A1/' }))).toBe('allow');
    expect(decide(list, asRole('s3:ListBucketVersions', bucket, { 's3:prefix': 'reports/' }))).toBe('implicit-deny');
    const tls = (Condition: PolicyStatement['Condition']) => [allow('sqs:*', QUEUE, Condition)];
    expect(
      decide(
        tls({ Bool: { 'aws:SecureTransport': 'true' } }),
        asRole('sqs:SendMessage', QUEUE, { 'aws:SecureTransport': 'true' }),
      ),
    ).toBe('allow');
    expect(
      decide(
        tls({ Bool: { 'aws:SecureTransport': true } }),
        asRole('sqs:SendMessage', QUEUE, { 'aws:SecureTransport': 'false' }),
      ),
    ).toBe('implicit-deny');
    expect(decide(tls({ StringEqualsIfExists: { 'aws:SourceVpc': 'vpc-1' } }), asRole('sqs:SendMessage', QUEUE))).toBe(
      'allow',
    );
    expect(decide(tls({ Null: { 'aws:SourceVpc': 'true' } }), asRole('sqs:SendMessage', QUEUE))).toBe('allow');
    expect(decide(tls({ StringNotEquals: { 'aws:SourceVpc': 'vpc-1' } }), asRole('sqs:SendMessage', QUEUE))).toBe(
      'allow',
    );
    expect(
      decide(
        tls({ StringNotEquals: { 'aws:SourceVpc': 'vpc-1' } }),
        asRole('sqs:SendMessage', QUEUE, { 'aws:SourceVpc': 'vpc-1' }),
      ),
    ).toBe('implicit-deny');
    expect(() =>
      decide(tls({ NumericLessThan: { 'aws:MultiFactorAuthAge': '3600' } }), asRole('sqs:SendMessage', QUEUE)),
    ).toThrow(/NumericLessThan is not supported/);
  });

  it('compares ARNs part by part (ArnLike, ArnEquals), wildcards within a part', () => {
    const rule = `arn:aws:events:us-east-1:${ACCOUNT}:rule/collections/Inbound`;
    const fromRule = (pattern: string) => [
      allow('sqs:SendMessage', QUEUE, { ArnEquals: { 'aws:SourceArn': pattern } }),
    ];
    const send = {
      principal: { role: ROLE },
      action: 'sqs:SendMessage',
      resource: QUEUE,
      context: { 'aws:SourceArn': rule },
    };
    expect(decide(fromRule(rule), send)).toBe('allow');
    expect(decide(fromRule(`arn:aws:events:us-east-1:${ACCOUNT}:rule/collections/*`), send)).toBe('allow');
    expect(decide(fromRule(`arn:aws:events:*:${ACCOUNT}:rule/collections/Inbound`), send)).toBe('allow');
    expect(decide(fromRule(`arn:aws:events:us-east-1:${ACCOUNT}:rule/collections/Other`), send)).toBe('implicit-deny');
    expect(decide(fromRule(`arn:aws:events:us-east-1:111111111111:rule/collections/Inbound`), send)).toBe(
      'implicit-deny',
    );
    expect(decide(fromRule('not-an-arn'), send)).toBe('implicit-deny');
  });

  it('lets a resource policy allow a service, and its explicit deny (TLS only) stop everyone', () => {
    const events = { service: 'events.amazonaws.com' };
    const rule = `arn:aws:events:us-east-1:${ACCOUNT}:rule/collections/Inbound`;
    const queuePolicy: PolicyStatement[] = [
      {
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: 'sqs:*',
        Resource: QUEUE,
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      },
      {
        Effect: 'Allow',
        Principal: { Service: 'events.amazonaws.com' },
        Action: 'sqs:SendMessage',
        Resource: QUEUE,
        Condition: { ArnEquals: { 'aws:SourceArn': rule } },
      },
    ];
    const send = (context: Record<string, string>, principal: PolicyRequest['principal'] = events) =>
      decide([], { principal, action: 'sqs:SendMessage', resource: QUEUE, context }, queuePolicy);
    expect(send({ 'aws:SourceArn': rule, 'aws:SecureTransport': 'true' })).toBe('allow');
    expect(send({ 'aws:SourceArn': `${rule}2`, 'aws:SecureTransport': 'true' })).toBe('implicit-deny');
    expect(send({ 'aws:SourceArn': rule, 'aws:SecureTransport': 'false' })).toBe('explicit-deny');
    // Another service, or a role the policy does not name, gets nothing from it.
    expect(send({ 'aws:SourceArn': rule, 'aws:SecureTransport': 'true' }, { service: 'sns.amazonaws.com' })).toBe(
      'implicit-deny',
    );
    expect(send({ 'aws:SourceArn': rule, 'aws:SecureTransport': 'true' }, { role: ROLE })).toBe('implicit-deny');
    // The role's own policy may allow it; the queue's deny still wins.
    expect(
      decide(
        [allow('sqs:SendMessage', QUEUE)],
        asRole('sqs:SendMessage', QUEUE, { 'aws:SecureTransport': 'true' }),
        queuePolicy,
      ),
    ).toBe('allow');
    expect(
      decide(
        [allow('sqs:SendMessage', QUEUE)],
        asRole('sqs:SendMessage', QUEUE, { 'aws:SecureTransport': 'false' }),
        queuePolicy,
      ),
    ).toBe('explicit-deny');
  });

  it('decides a key as KMS does: its policy allows the role, or the account and then the role policy allows', () => {
    const root = { AWS: `arn:aws:iam::${ACCOUNT}:root` };
    const rootOnly: PolicyStatement[] = [{ Effect: 'Allow', Principal: root, Action: 'kms:*', Resource: '*' }];
    const viaSecrets: PolicyStatement[] = [
      {
        Effect: 'Allow',
        Principal: { AWS: ROLE },
        Action: 'kms:Decrypt',
        Resource: '*',
        Condition: { StringEquals: { 'kms:ViaService': 'secretsmanager.us-east-1.amazonaws.com' } },
      },
    ];
    const roleGrant = [allow(['kms:Decrypt', 'kms:GenerateDataKey*'], KEY)];
    const use = (action: string, via = 'dynamodb') =>
      asRole(action, KEY, { 'kms:ViaService': `${via}.us-east-1.amazonaws.com` });
    // IAM policies enabled by the key policy: the role's grant decides.
    expect(decide(roleGrant, use('kms:Decrypt'), rootOnly, true)).toBe('allow');
    expect(decide([], use('kms:Decrypt'), rootOnly, true)).toBe('implicit-deny');
    expect(
      evaluate({ identity: [], resource: rootOnly, keyPolicy: true, account: ACCOUNT }, use('kms:Decrypt')).reason,
    ).toBe('no-identity-allow');
    // Without the account in the key policy the role's own grant is not enough…
    expect(decide(roleGrant, use('kms:Decrypt'), viaSecrets, true)).toBe('implicit-deny');
    expect(
      evaluate({ identity: roleGrant, resource: viaSecrets, keyPolicy: true, account: ACCOUNT }, use('kms:Decrypt'))
        .reason,
    ).toBe('no-resource-allow');
    // …and a key policy naming the role allows it alone, under its condition.
    expect(decide([], use('kms:Decrypt', 'secretsmanager'), viaSecrets, true)).toBe('allow');
    expect(decide([], use('kms:Decrypt', 'sqs'), viaSecrets, true)).toBe('implicit-deny');
    // No key policy at all: nothing.
    expect(decide(roleGrant, use('kms:Decrypt'), [], true)).toBe('implicit-deny');
    // A service uses the key only as the key policy says.
    const events: PolicyStatement = {
      Effect: 'Allow',
      Principal: { Service: 'events.amazonaws.com' },
      Action: ['kms:GenerateDataKey*'],
      Resource: '*',
    };
    const byEvents = { principal: { service: 'events.amazonaws.com' }, action: 'kms:GenerateDataKey', resource: KEY };
    expect(decide([], byEvents, [...rootOnly, events], true)).toBe('allow');
    expect(decide([], byEvents, rootOnly, true)).toBe('implicit-deny');
  });

  it('covers a statement only when its action, resource and every condition do', () => {
    const statement = allow('sqs:SendMessage', QUEUE, {
      StringEquals: { 'aws:SourceAccount': ACCOUNT },
      ArnLike: { 'aws:SourceArn': `arn:aws:events:us-east-1:${ACCOUNT}:rule/*` },
    });
    const request = (context: Record<string, string>) => asRole('sqs:SendMessage', QUEUE, context);
    const rule = `arn:aws:events:us-east-1:${ACCOUNT}:rule/collections/Inbound`;
    expect(statementCovers(statement, request({ 'aws:SourceAccount': ACCOUNT, 'aws:SourceArn': rule }))).toBe(true);
    expect(statementCovers(statement, request({ 'aws:SourceAccount': ACCOUNT }))).toBe(false);
    expect(statementCovers(statement, request({ 'aws:SourceAccount': '1', 'aws:SourceArn': rule }))).toBe(false);
  });
});
