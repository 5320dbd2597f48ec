// CDK app: `npx cdk synth` (no credentials needed) and `npx cdk deploy -c policy=… -c senderEmail=… -c smsOriginationIdentity=…`.
import { App, Annotations, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { POLICY_IDS, type PolicyId } from '../functions/domain/policy-packs';
import { CollectionsStack } from './collections-stack';

const app = new App();
const context = (name: string): string | undefined => app.node.tryGetContext(name);

const policy = context('policy') ?? 'us-regf';
if (!(POLICY_IDS as readonly string[]).includes(policy)) throw new Error(`-c policy must be one of ${POLICY_IDS.join(', ')}, got ${policy}`);

const stack = new CollectionsStack(app, context('stackName') ?? 'Collections', {
  policy: policy as PolicyId,
  senderEmail: context('senderEmail') ?? 'collections@example.com',
  smsOriginationIdentity: context('smsOriginationIdentity') ?? '+15550100000',
  alarmEmail: context('alarmEmail'),
  maxLoopsPerExecution: context('maxLoopsPerExecution') === undefined ? undefined : Number(context('maxLoopsPerExecution')),
  deskDomainPrefix: context('deskDomainPrefix'),
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
});
for (const required of ['senderEmail', 'smsOriginationIdentity']) {
  if (!context(required)) Annotations.of(stack).addWarningV2(`collections:${required}`, `-c ${required}=… is not set: a placeholder is used. Set it before deploying.`);
}
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
