// The intake use-case: one inbound envelope, validated, applied once, and the account's execution
// started or woken. Bad input goes to the dead-letter queue with its reason; nothing is dropped silently.
import type { AccountState } from '../domain/account';
import { applyEvent } from '../domain/apply-event';
import { eventKey, parseInbound, type InboundEvent } from '../domain/inbound-events';
import type { PolicyPack } from '../domain/policy-packs';
import type { AccountStore, Clock, DeadLetters, Log, Metrics, WorkflowCallbacks } from '../ports';
import { CONFLICT, retryOnConflict } from './account-access';
import { executionName } from './execution-name';
import { TransientError } from '../errors';

export interface IntakeDeps {
  clock: Clock;
  accounts: AccountStore;
  pack: PolicyPack;
  callbacks: WorkflowCallbacks;
  deadLetters: DeadLetters;
  log: Log;
  metrics: Metrics;
}

export type IntakeResult = { kind: 'applied' | 'duplicate'; accountId: string } | { kind: 'rejected'; reason: string };

/** A parked execution's token, if it is still waiting at `now`; a token past its timeout is spent. */
const liveToken = (state: AccountState | null, now: Date): string | null =>
  state?.taskToken && state.tokenExpiresAt && Date.parse(state.tokenExpiresAt) > now.getTime() ? state.taskToken : null;

type Applied =
  | { kind: 'applied'; state: AccountState; token: string | null }
  | { kind: 'duplicate'; state: AccountState | null; token: string | null }
  | { kind: 'rejected'; reason: string };

/**
 * What the create-once record of an event keeps. A cycle's opening is claimed too, so a late replay of it
 * never reopens a cycle that ended; it keeps no detail, because the customer's contact points live in
 * PROFILE alone (where erasure finds them).
 */
const claimOf = (
  event: InboundEvent,
  cycleId: string,
  now: Date,
  token: string | null,
  withDetail: boolean,
): Record<string, unknown> => {
  const opening = event.detailType === 'AccountDelinquent' || event.detailType === 'AccountDueSoon';
  return {
    ...(opening || !withDetail ? {} : event.detail),
    detailType: event.detailType,
    cycleId,
    receivedAt: now.toISOString(),
    ...(token ? { resumeToken: token } : {}),
  };
};

/**
 * The create-once record an event is known by: its own key where it has one (a payment, a promise…), else its
 * delivery's EventBridge id — which a redelivery of the same message repeats — so that every event that takes a
 * waiting execution's token keeps a copy a redelivery can wake it with (docs/contract.md §10.1).
 */
const claimKey = (event: InboundEvent, deliveryId: string | null): { sk: string; withDetail: boolean } | null => {
  const key = eventKey(event);
  if (key) return { sk: key, withDetail: true };
  const opening = event.detailType === 'AccountDelinquent' || event.detailType === 'AccountDueSoon';
  // Keyless events (opt-out, cease, updates…) keep no detail: an update's contact points live in PROFILE alone.
  return deliveryId && !opening ? { sk: `DELIVERY#${deliveryId}`, withDetail: false } : null;
};

/**
 * Applies the event and takes the waiting execution's token in the same write, so no one sends it twice.
 * The token is also kept on the event's create-once record: a redelivery after a crash can still wake it.
 */
const applyOnce = (deps: IntakeDeps, event: InboundEvent, deliveryId: string | null): Promise<Applied> =>
  retryOnConflict(event.detail.accountId, async () => {
    const state = await deps.accounts.getState(event.detail.accountId);
    const now = deps.clock.now();
    const outcome = applyEvent(state, event, now, deps.pack);
    const claim = claimKey(event, deliveryId);
    if (outcome.kind === 'rejected') {
      // A redelivery of an event that was applied (and then, say, closed the cycle, or a later cycle opened) is a
      // duplicate, not an error.
      if (state && claim && (await deps.accounts.getClaim(state.accountId, claim.sk)))
        return { kind: 'duplicate' as const, state, token: null };
      return outcome;
    }
    if (outcome.kind === 'duplicate') {
      // The first delivery may have taken the token and died before waking the execution: its record has the copy.
      const first = state && claim ? await deps.accounts.getClaim(state.accountId, claim.sk) : null;
      return {
        kind: 'duplicate' as const,
        state,
        token: typeof first?.resumeToken === 'string' ? first.resumeToken : null,
      };
    }
    const token = outcome.opensCycle ? null : liveToken(state, now);
    const saved = await deps.accounts.save({
      state: outcome.opensCycle ? outcome.state : { ...outcome.state, taskToken: null, tokenExpiresAt: null },
      expectedVersion: state ? state.version : null,
      entries: outcome.entries,
      profile: outcome.profile,
      creates: claim
        ? [
            {
              sk: claim.sk,
              attributes: claimOf(
                event,
                outcome.state.cycleId,
                now,
                outcome.opensCycle ? null : token,
                claim.withDetail,
              ),
            },
          ]
        : [],
    });
    if (saved.kind === 'conflict') return CONFLICT;
    if (saved.kind === 'duplicate') {
      const claim = await deps.accounts.getClaim(event.detail.accountId, saved.sk);
      return {
        kind: 'duplicate' as const,
        state,
        token: typeof claim?.resumeToken === 'string' ? claim.resumeToken : null,
      };
    }
    return { kind: 'applied' as const, state: saved.state, token };
  });

/** Starts the cycle's execution, or wakes the one waiting, so it sees the change at once. */
const nudgeWorkflow = async (
  deps: IntakeDeps,
  event: InboundEvent,
  state: AccountState | null,
  token: string | null,
) => {
  // A new cycle, or a courtesy for a statement coming due: each runs as its own execution.
  if (event.detailType === 'AccountDelinquent' || event.detailType === 'AccountDueSoon') {
    if (!state) return;
    const started = await deps.callbacks.start(executionName(state.accountId, state.cycleId), {
      accountId: state.accountId,
      cycleId: state.cycleId,
      loop: 0,
      generation: 0,
    });
    if (!started) deps.log.info('execution already exists', { accountId: state.accountId, cycleId: state.cycleId });
    return;
  }
  if (!token) return;
  const resumed = await deps.callbacks.resume(token);
  if (!resumed.resumed) {
    // Expected after a redelivery whose first delivery already woke the execution: logged and counted.
    deps.metrics.count('resume-stale');
    deps.log.warn('resume found no waiting execution', {
      accountId: event.detail.accountId,
      detailType: event.detailType,
      reason: resumed.reason,
    });
  }
};

/** How long an event waits for its account's cycle to open before it is rejected (docs/contract.md §10.1). */
export const HOLD_MINUTES = 15;

/** An event for an account with no open cycle, younger than the hold, is retried rather than rejected. */
const heldForCycle = (reason: string, time: unknown, now: Date): boolean => {
  if (!reason.startsWith('accountId: no open collection cycle')) return false;
  const sent = typeof time === 'string' ? Date.parse(time) : Number.NaN;
  return Number.isFinite(sent) && now.getTime() - sent < HOLD_MINUTES * 60_000;
};

/** One inbound envelope, as EventBridge delivers it: `{ source, detail-type, detail, … }`. */
export const receiveEvent = async (deps: IntakeDeps, body: string): Promise<IntakeResult> => {
  let envelope: Record<string, unknown>;
  try {
    envelope = JSON.parse(body) as Record<string, unknown>;
  } catch {
    return reject(deps, body, 'body: not valid JSON');
  }
  if (envelope === null || typeof envelope !== 'object' || Array.isArray(envelope))
    return reject(deps, body, 'body: expected an EventBridge event object');
  const parsed = parseInbound(envelope.source, envelope['detail-type'], envelope.detail);
  if (!parsed.ok) return reject(deps, body, parsed.reason);
  const applied = await applyOnce(deps, parsed.event, typeof envelope.id === 'string' ? envelope.id : null);
  if (applied.kind === 'rejected') {
    if (heldForCycle(applied.reason, envelope.time, deps.clock.now())) {
      // Out of order (a standard queue delivers so): the cycle may open in a moment; the queue brings it back.
      deps.metrics.count('event-held');
      deps.log.info('event held: its cycle is not open yet', {
        accountId: parsed.event.detail.accountId,
        detailType: parsed.event.detailType,
      });
      throw new TransientError(`${applied.reason}; held for up to ${HOLD_MINUTES} minutes for the cycle to open`);
    }
    return reject(deps, body, applied.reason, parsed.event.detailType);
  }
  // A duplicate still nudges: the first delivery may have saved and then failed before it could.
  await nudgeWorkflow(deps, parsed.event, applied.state, applied.token);
  const { accountId } = parsed.event.detail;
  deps.metrics.count(`${parsed.event.detailType}-${applied.kind}`);
  deps.log.info(`event ${applied.kind}`, { accountId, detailType: parsed.event.detailType });
  return { kind: applied.kind, accountId };
};

const reject = async (deps: IntakeDeps, body: string, reason: string, detailType?: string): Promise<IntakeResult> => {
  await deps.deadLetters.reject(body, reason);
  deps.metrics.count('event-rejected');
  // The reason names fields and values the bank sent; it never quotes customer contact points.
  deps.log.warn('event rejected', { detailType, reason: reason.replace(/"[^"]*@[^"]*"|\+\d{6,}/g, '<redacted>') });
  return { kind: 'rejected', reason };
};
