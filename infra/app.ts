// CDK app: `npx cdk synth` (no credentials needed) and `npx cdk deploy -c policy=…|policyFile=<pack.json> -c
// senderEmail=… -c smsOriginationIdentity=… [-c payUrl=<template>]`.
import { App, Annotations, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { CollectionsStack } from './collections-stack';
import { choosePack } from '../policies/pack-file';

const app = new App();
const context = (name: string): string | undefined => app.node.tryGetContext(name);

// A pack file that does not validate stops the synth with the field and the reason.
const pack = (() => {
  try {
    return choosePack({ policy: context('policy'), policyFile: context('policyFile') });
  } catch (error) {
    console.error(`-c ${context('policyFile') ? 'policyFile' : 'policy'}: ${(error as Error).message}`);
    return process.exit(1);
  }
})();

const stack = new CollectionsStack(app, context('stackName') ?? 'Collections', {
  pack,
  senderEmail: context('senderEmail') ?? 'collections@example.com',
  smsOriginationIdentity: context('smsOriginationIdentity') ?? '+15550100000',
  alarmEmail: context('alarmEmail'),
  maxLoopsPerExecution:
    context('maxLoopsPerExecution') === undefined ? undefined : Number(context('maxLoopsPerExecution')),
  deskDomainPrefix: context('deskDomainPrefix'),
  payUrl: context('payUrl'),
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
});
for (const required of ['senderEmail', 'smsOriginationIdentity']) {
  if (!context(required))
    Annotations.of(stack).addWarningV2(
      `collections:${required}`,
      `-c ${required}=… is not set: a placeholder is used. Set it before deploying.`,
    );
}
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
