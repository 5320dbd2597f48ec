// Production wiring from the Lambda environment, shared by the workflow handlers. Each handler adds
// only the clients it needs, so each bundle carries only those SDK clients.
import { systemClock } from './clock';
import { AccountRepository } from './account-repository';
import { documentClient } from './dynamo-client';
import { eventBridgePublisher, newEventBridgeClient } from './event-publisher';
import { powertoolsLog, powertoolsMetrics } from './powertools';
import { POLICY_IDS, policyPack, type PolicyId } from '../domain/policy-packs';
import { DEFAULT_STRATEGY } from '../domain/strategy';
import type { WorkflowDeps } from '../shared/ports';

export const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`environment: ${name} is not set`);
  return value;
};

export const policyFromEnv = (): PolicyId => {
  const id = env('POLICY_PACK');
  if (!(POLICY_IDS as readonly string[]).includes(id)) throw new Error(`environment: POLICY_PACK must be one of ${POLICY_IDS.join(', ')}, got ${id}`);
  return id as PolicyId;
};

export const repositoryFromEnv = () => new AccountRepository(documentClient(), env('TABLE_NAME'));

export const workflowDepsFromEnv = (service: string): WorkflowDeps => ({
  clock: systemClock,
  accounts: repositoryFromEnv(),
  playbook: { pack: policyPack(policyFromEnv()), strategy: DEFAULT_STRATEGY },
  events: eventBridgePublisher(newEventBridgeClient(), env('EVENT_BUS_NAME')),
  log: powertoolsLog(service),
  metrics: powertoolsMetrics(service),
});
