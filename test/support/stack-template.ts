// The collections stack as its tests synthesize it (bundling skipped), and ways to read its template: the IAM
// statements of a policy, and the one resource of a type.
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, expect } from 'vitest';
import { POLICY_PACKS } from '../../policies/built-in-packs';
import { CollectionsStack, type CollectionsStackProps } from '../../infra/collections-stack';

export const props: CollectionsStackProps = {
  pack: POLICY_PACKS['us-regf'],
  senderEmail: 'collections@bank.example',
  smsOriginationIdentity: '+15550100000',
  env: { account: '111122223333', region: 'eu-west-1' },
};
export const build = (overrides: Partial<CollectionsStackProps> = {}) => {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  return { app, stack: new CollectionsStack(app, 'Collections', { ...props, ...overrides }) };
};

/** The stack's template, synthesized once per test file by useStackTemplate (live bindings: each file has its own). */
export let template: Template;
export let json: Record<string, any>;
export const useStackTemplate = () =>
  beforeAll(() => {
    template = Template.fromStack(build().stack);
    json = template.toJSON();
  });

export type Statement = { Action: string | string[]; Resource: unknown; Effect: string; Condition?: unknown };
export const statementsOf = (policyPrefix: string): Statement[] =>
  Object.entries(json.Resources as Record<string, any>)
    .filter(([id, r]) => r.Type === 'AWS::IAM::Policy' && id.startsWith(policyPrefix))
    .flatMap(([, r]) => r.Properties.PolicyDocument.Statement as Statement[]);
export const actionsOf = (s: Statement) => (Array.isArray(s.Action) ? s.Action : [s.Action]);
export const allStatements = () => statementsOf('');

export const logicalIdOf = (type: string) => {
  const ids = Object.keys(template.findResources(type));
  expect(ids).toHaveLength(1);
  return ids[0]!;
};
