// functions/intake/handler.ts — consumes inbound events from SQS: validates, applies once, starts or
// resumes the account's execution, and sends bad input to the dead-letter queue with the reason.
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { AccountRepository } from '../adapters/account-repository';
import { systemClock, type Clock } from '../adapters/clock';
import { sqsDeadLetters, newSqsClient } from '../adapters/dead-letters';
import { eventBridgePublisher, newEventBridgeClient } from '../adapters/event-publisher';
import { powertoolsLog, powertoolsMetrics } from '../adapters/powertools';
import { env, policyFromEnv, repositoryFromEnv } from '../adapters/production';
import { newSfnClient, stepFunctionsCallbacks } from '../adapters/workflow-callbacks';
import { applyEvent } from '../domain/apply-event';
import type { AccountState } from '../domain/account';
import { eventKey, parseInbound, type InboundEvent } from '../domain/inbound-events';
import { policyPack, type PolicyPack } from '../domain/policy-packs';
import { announce } from '../shared/account-access';
import { TransientError } from '../shared/errors';
import { executionName } from '../shared/execution-name';
import { lazyHandler } from '../shared/lazy-handler';
import type { DeadLetters, EventPublisher, Log, Metrics, WorkflowCallbacks } from '../shared/ports';

export interface IntakeDeps {
  clock: Clock;
  accounts: AccountRepository;
  pack: PolicyPack;
  events: EventPublisher;
  callbacks: WorkflowCallbacks;
  deadLetters: DeadLetters;
  log: Log;
  metrics: Metrics;
}

export type IntakeResult =
  | { kind: 'applied' | 'duplicate'; accountId: string }
  | { kind: 'rejected'; reason: string };

const MAX_CONFLICTS = 10;

/** Applies an event, re-reading and re-applying when another writer got in first. */
const applyOnce = async (deps: IntakeDeps, event: InboundEvent) => {
  const { accountId } = event.detail;
  for (let attempt = 0; attempt < MAX_CONFLICTS; attempt += 1) {
    const state = await deps.accounts.getState(accountId);
    const now = deps.clock.now();
    const outcome = applyEvent(state, event, now, deps.pack);
    if (outcome.kind !== 'applied') return { outcome, state };
    const key = eventKey(event);
    const saved = await deps.accounts.save({
      state: outcome.state,
      expectedVersion: state ? state.version : null,
      entries: outcome.entries,
      profile: outcome.profile,
      creates: key && event.detailType !== 'AccountDelinquent'
        ? [{ sk: key, attributes: { ...event.detail, detailType: event.detailType, cycleId: outcome.state.cycleId, receivedAt: now.toISOString() } }]
        : [],
    });
    if (saved.kind === 'conflict') continue;
    if (saved.kind === 'duplicate') return { outcome: { kind: 'duplicate' as const, reason: `${saved.sk} already applied` }, state };
    return { outcome, state: saved.state };
  }
  throw new TransientError(`account ${accountId}: ${MAX_CONFLICTS} conflicting writes in a row`);
};

/** Starts the cycle's execution, or wakes the one waiting, so it sees the change. */
const nudgeWorkflow = async (deps: IntakeDeps, event: InboundEvent, state: AccountState | null) => {
  if (!state) return;
  if (event.detailType === 'AccountDelinquent') {
    const started = await deps.callbacks.start(executionName(state.accountId, state.cycleId), { accountId: state.accountId, cycleId: state.cycleId, loop: 0, generation: 0 });
    if (!started) deps.log.info('execution already exists', { accountId: state.accountId, cycleId: state.cycleId });
  } else if (state.taskToken && state.cycleId) {
    await deps.callbacks.resume(state.taskToken);
  }
};

/** One inbound envelope, as EventBridge delivers it: `{ source, detail-type, detail, … }`. */
export const processEnvelope = async (deps: IntakeDeps, body: string): Promise<IntakeResult> => {
  let envelope: Record<string, unknown>;
  try {
    envelope = JSON.parse(body) as Record<string, unknown>;
  } catch {
    return reject(deps, body, 'body: not valid JSON');
  }
  const parsed = parseInbound(envelope.source, envelope['detail-type'], envelope.detail);
  if (!parsed.ok) return reject(deps, body, parsed.reason);
  const { outcome, state } = await applyOnce(deps, parsed.event);
  if (outcome.kind === 'rejected') return reject(deps, body, outcome.reason, parsed.event.detailType);
  // A duplicate still nudges: the first delivery may have saved and then failed before it could.
  await nudgeWorkflow(deps, parsed.event, state);
  const { accountId } = parsed.event.detail;
  if (outcome.kind === 'applied' && state) await announce(deps, state, outcome.entries);
  deps.metrics.count(`${parsed.event.detailType}-${outcome.kind}`);
  deps.log.info(`event ${outcome.kind}`, { accountId, detailType: parsed.event.detailType });
  return { kind: outcome.kind, accountId };
};

const reject = async (deps: IntakeDeps, body: string, reason: string, detailType?: string): Promise<IntakeResult> => {
  await deps.deadLetters.reject(body, reason);
  deps.metrics.count('event-rejected');
  // The reason names fields and values the bank sent; it never quotes customer contact points.
  deps.log.warn('event rejected', { detailType, reason: reason.replace(/"[^"]*@[^"]*"|\+\d{6,}/g, '<redacted>') });
  return { kind: 'rejected', reason };
};

export const makeHandler = (deps: IntakeDeps) => {
  const processor = new BatchProcessor(EventType.SQS);
  const record = async (r: SQSRecord) => {
    try {
      return await processEnvelope(deps, r.body);
    } catch (error) {
      // Reported as a batch item failure: SQS redelivers it, then moves it to the DLQ.
      deps.log.error('event processing failed', { messageId: r.messageId, error: (error as Error).name, message: (error as Error).message });
      throw error;
    }
  };
  return (event: SQSEvent): Promise<SQSBatchResponse> =>
    processPartialResponse(event, record, processor, { throwOnFullBatchFailure: false });
};

export const intakeDepsFromEnv = (): IntakeDeps => ({
  clock: systemClock,
  accounts: repositoryFromEnv(),
  pack: policyPack(policyFromEnv()),
  events: eventBridgePublisher(newEventBridgeClient(), env('EVENT_BUS_NAME')),
  callbacks: stepFunctionsCallbacks(newSfnClient(), env('STATE_MACHINE_ARN')),
  deadLetters: sqsDeadLetters(newSqsClient(), env('DEAD_LETTER_QUEUE_URL')),
  log: powertoolsLog('intake'),
  metrics: powertoolsMetrics('intake'),
});

export const handler = lazyHandler(() => makeHandler(intakeDepsFromEnv()));
