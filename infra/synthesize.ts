// The one door from the local twin into the CDK app: the stack's template for a pack, synthesized in process.
// The CDK is loaded only when called, so a run that finds the workflow cached never pays the second it takes.
import type { PolicyPack } from '../functions/domain/policy-packs';

export interface SynthesizeOptions {
  pack: PolicyPack;
  maxLoopsPerExecution?: number;
  account: string;
  region: string;
}

/** The synthesized CloudFormation template of the collections stack, as JSON. */
export const synthesize = async ({
  pack,
  maxLoopsPerExecution,
  account,
  region,
}: SynthesizeOptions): Promise<Record<string, unknown>> => {
  const [{ App }, { Template }, { CollectionsStack }] = await Promise.all([
    import('aws-cdk-lib'),
    import('aws-cdk-lib/assertions'),
    import('./collections-stack'),
  ]);
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new CollectionsStack(app, 'Collections', {
    pack,
    senderEmail: 'collections@example.com',
    smsOriginationIdentity: '+15550100000',
    maxLoopsPerExecution,
    env: { account, region },
  });
  return Template.fromStack(stack).toJSON();
};
