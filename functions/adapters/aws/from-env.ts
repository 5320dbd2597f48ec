// Production wiring from the Lambda environment: the one place handlers' ports are bound to AWS clients.
// Each handler asks only for what it uses, so each bundle carries only those SDK clients.
import { systemClock } from '../clock';
import { DynamoAccountStore } from './dynamodb-account-store';
import { documentClient, newDynamoClient } from './dynamo-client';
import { powertoolsLog, powertoolsMetrics } from './powertools';
import { newSfnClient, stepFunctionsCallbacks } from './step-functions-callbacks';
import { parsePolicyPack, type PolicyPack } from '../../domain/policy-packs';
import { DEFAULT_STRATEGY } from '../../domain/strategy';
import type { WorkflowDeps } from '../../ports';
import type { IntakeDeps } from '../../use-cases/receive-event';
import { newSqsClient, sqsDeadLetters } from './sqs-dead-letters';

export const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`environment: ${name} is not set`);
  return value;
};

let pack: PolicyPack | undefined;
/** The pack the stack was synthesized with, as JSON in POLICY_PACK; validated again on a cold start. */
export const packFromEnv = (): PolicyPack => (pack ??= parsePolicyPack(JSON.parse(env('POLICY_PACK')) as unknown, 'environment POLICY_PACK'));

let dynamo: ReturnType<typeof newDynamoClient> | undefined;
/** One DynamoDB client per container, shared by the store and the send-once records. */
export const dynamoFromEnv = () => (dynamo ??= newDynamoClient());

export const accountStoreFromEnv = () => new DynamoAccountStore(documentClient(dynamoFromEnv()), env('TABLE_NAME'));

export const workflowDepsFromEnv = (service: string): WorkflowDeps => ({
  clock: systemClock,
  accounts: accountStoreFromEnv(),
  playbook: { pack: packFromEnv(), strategy: DEFAULT_STRATEGY },
  log: powertoolsLog(service),
  metrics: powertoolsMetrics(service),
});

/** AwaitEvent: the store and the callbacks it resumes itself with. */
export const awaitDepsFromEnv = () => ({
  clock: systemClock,
  accounts: accountStoreFromEnv(),
  callbacks: stepFunctionsCallbacks(newSfnClient()),
  log: powertoolsLog('await-event'),
  metrics: powertoolsMetrics('await-event'),
});

/** Intake: the store, the workflow callbacks and the dead-letter queue. */
export const intakeDepsFromEnv = (): IntakeDeps => ({
  clock: systemClock,
  accounts: accountStoreFromEnv(),
  pack: packFromEnv(),
  callbacks: stepFunctionsCallbacks(newSfnClient(), env('STATE_MACHINE_ARN')),
  deadLetters: sqsDeadLetters(newSqsClient(), env('DEAD_LETTER_QUEUE_URL')),
  log: powertoolsLog('intake'),
  metrics: powertoolsMetrics('intake'),
});
