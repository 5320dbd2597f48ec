// The intake use-case: one inbound envelope, validated, applied once, and the account's execution
// started or woken. Bad input goes to the dead-letter queue with its reason; nothing is dropped silently.
import { parseAddressed } from '../domain/person-events';
import { TransientError } from '../errors';
import { applyOnce, nudgeWorkflow, type IntakeDeps, type IntakeResult } from './apply-once';
import {
  callCovers,
  personAtOpening,
  placeForOutsideCall,
  receivePersonEvent,
  spreadCall,
  spreadStops,
} from './person-intake';

export type { IntakeDeps, IntakeResult };

/** How long an event waits for its account's cycle to open before it is rejected (docs/contract.md §10.1). */
export const HOLD_MINUTES = 15;

/** An event for an account with no open cycle, younger than the hold, is retried rather than rejected. */
const heldForCycle = (reason: string, time: unknown, now: Date): boolean => {
  if (!/^(accountId|customerId): no open collection cycle/.test(reason)) return false;
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
  const parsed = parseAddressed(envelope.source, envelope['detail-type'], envelope.detail);
  if (!parsed.ok) return reject(deps, body, parsed.reason);
  const deliveryId = typeof envelope.id === 'string' ? envelope.id : null;
  if (parsed.person) {
    const outcome = await receivePersonEvent(deps, parsed.person, deliveryId);
    if (outcome.kind !== 'rejected') return outcome;
    if (heldForCycle(outcome.reason, envelope.time, deps.clock.now())) {
      deps.metrics.count('event-held');
      throw new TransientError(`${outcome.reason}; held for up to ${HOLD_MINUTES} minutes for a cycle to open`);
    }
    return reject(deps, body, outcome.reason, parsed.person.detailType);
  }
  const person = await personAtOpening(deps, parsed.event);
  const named =
    parsed.event.detailType === 'CallOutcomeRecorded'
      ? await deps.accounts.getState(parsed.event.detail.accountId)
      : null;
  const place = await placeForOutsideCall(deps, parsed.event, named);
  if ('refused' in place) return reject(deps, body, place.refused, parsed.event.detailType);
  const covers = await callCovers(deps, parsed.event, named);
  const applied = await applyOnce(deps, parsed.event, deliveryId, {
    person,
    ...(covers.length > 1 ? { covers } : {}),
  });
  if (applied.kind === 'rejected' && place.taken) await deps.persons.releaseContact(place.taken);
  // A dial of the person's task counts on every account it lists, whatever the one it names came to.
  await spreadCall(deps, parsed.event, covers, deliveryId);
  // Bankruptcy or death on an account with no cycle open still stops the person's others (docs/contract.md §3.5).
  if (applied.kind === 'rejected' && applied.reason.startsWith('accountId: no open collection cycle'))
    await spreadStops(deps, parsed.event, null, deliveryId);
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
  if (applied.kind === 'applied') await spreadStops(deps, parsed.event, applied.state, deliveryId);
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
