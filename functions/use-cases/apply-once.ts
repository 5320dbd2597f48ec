// Applying one inbound event to one account, once: the event and the waiting execution's token taken in one write,
// then the execution started or woken. The intake (receive-event.ts) and its fan-out to a person's accounts
// (person-intake.ts) both apply through here.
import type { AccountState } from '../domain/account';
import { applyEvent } from '../domain/apply-event';
import { eventKey, type InboundEvent } from '../domain/inbound-events';
import { inheritFacts, type Person } from '../domain/person';
import type { PolicyPack } from '../domain/policy-packs';
import type { RecordEntry } from '../domain/record';
import type { AccountStore, Clock, DeadLetters, Log, Metrics, PersonStore, WorkflowCallbacks } from '../ports';
import { CONFLICT, retryOnConflict } from './account-access';
import { executionName } from './execution-name';

export interface IntakeDeps {
  clock: Clock;
  accounts: AccountStore;
  /** The person's partition (docs/contract.md §11.1): their accounts, the facts that reach them all. */
  persons: PersonStore;
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

export type Applied =
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

/** What a change to one account carries besides the event itself. */
export interface ApplyExtras {
  /** The person an opening account belongs to: what holds for them holds for it from the start. */
  person?: Person | null;
  /** Entries written with the change (a payment to the person's split, beside its part). */
  entries?: RecordEntry[];
  /** A dial of the person's call task: every account it counts on (docs/contract.md §11.1). */
  covers?: readonly string[];
}

/**
 * Applies the event and takes the waiting execution's token in the same write, so no one sends it twice.
 * The token is also kept on the event's create-once record: a redelivery after a crash can still wake it.
 */
export const applyOnce = (
  deps: IntakeDeps,
  event: InboundEvent,
  deliveryId: string | null,
  extras: ApplyExtras = {},
): Promise<Applied> =>
  retryOnConflict(event.detail.accountId, async () => {
    const state = await deps.accounts.getState(event.detail.accountId);
    const now = deps.clock.now();
    const first = applyEvent(state, event, now, deps.pack, extras.covers);
    const outcome =
      first.kind === 'applied' && (first.opensCycle ? extras.person : extras.entries)
        ? withExtras(first, extras, now)
        : first;
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

const withExtras = (
  outcome: Extract<ReturnType<typeof applyEvent>, { kind: 'applied' }>,
  extras: ApplyExtras,
  now: Date,
): typeof outcome => {
  const inherited =
    outcome.opensCycle && extras.person
      ? inheritFacts(outcome.state, extras.person, now.toISOString())
      : { state: outcome.state, entries: [] };
  return {
    ...outcome,
    state: inherited.state,
    entries: [...outcome.entries, ...inherited.entries, ...(extras.entries ?? [])],
  };
};

/** Starts the cycle's execution, or wakes the one waiting, so it sees the change at once. */
export const nudgeWorkflow = async (
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
