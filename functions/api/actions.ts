// Customer and collector actions become docs/contract.md §1 events on the bus, validated here with the intake's own
// schemas so the caller hears at once which field is wrong (the intake still validates again).
import { randomUUID } from 'node:crypto';
import { openOffer, type AccountState } from '../domain/account';
import { applyEvent } from '../domain/apply-event';
import { parseInbound, type DetailType, type FieldIssue } from '../domain/inbound-events';
import { isInstalmentCountAllowed } from '../domain/plan-schedule';
import type { PolicyPack } from '../domain/policy-packs';
import type { InboundEntry } from '../ports';
import { ApiProblem } from './problem';

export type Actor = 'collections.customer' | 'collections.agent';

/**
 * A new id for an event the API creates (a promise, a dispute): unique, and valid under the contract's id pattern
 * (docs/contract.md §1).
 */
export const newId = (prefix: string): string => `${prefix}-${randomUUID()}`;

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The account an action is for, as it stands now, and the pack it is collected under. */
export interface ActionTarget {
  state: AccountState;
  now: Date;
  pack: PolicyPack;
}

/**
 * The §1 event for a request body: only `fields` may come from the body, `fixed` (account, ids) from the
 * route. A bad body is a 422 naming each field and what is wrong with it. With the `target` account, the
 * intake's own rules are applied too (a promise dated before the customer's today), so the caller hears
 * at once what would otherwise reach only the dead-letter queue: a reason about a body field is a 422
 * naming it; one about the collector's authority (`agentRole`) a 403; any other is a 409, not possible now.
 */
export const actionEvent = (
  source: Actor,
  detailType: DetailType,
  body: unknown,
  fields: readonly string[],
  fixed: Record<string, unknown>,
  target?: ActionTarget,
): InboundEntry => {
  if (!isPlainObject(body))
    throw new ApiProblem(422, 'The body must be a JSON object.', [{ field: 'body', reason: 'expected a JSON object' }]);
  const unknown: FieldIssue[] = Object.keys(body)
    .filter((k) => !fields.includes(k))
    .map((field) => ({ field, reason: `not a field of this request (expected ${fields.join(', ') || 'none'})` }));
  if (unknown.length) throw new ApiProblem(422, 'The body has fields this request does not take.', unknown);
  const detail = { ...body, ...fixed };
  const parsed = parseInbound(source, detailType, detail);
  if (!parsed.ok) throw new ApiProblem(422, 'The body is not valid.', parsed.issues);
  const outcome = target && applyEvent(target.state, parsed.event, target.now, target.pack);
  if (outcome?.kind === 'rejected') {
    const at = outcome.reason.indexOf(': ');
    const field = outcome.reason.slice(0, at);
    if (at > 0 && fields.includes(field))
      throw new ApiProblem(422, 'The body is not valid.', [{ field, reason: outcome.reason.slice(at + 2) }]);
    // About who is acting (a collector's authority), not the body: not theirs to do.
    if (field === 'agentRole')
      throw new ApiProblem(
        403,
        `Not yours to agree: ${outcome.reason.slice(at + 2)}; a member of the supervisors group agrees it.`,
      );
    throw new ApiProblem(409, `Not possible now: ${outcome.reason}.`);
  }
  return { source, detailType, detail: parsed.event.detail as Record<string, unknown> };
};

/** A request's JSON body, or a 422 saying it is not JSON. */
export const jsonBody = (request: { json(): Promise<unknown> }): Promise<unknown> =>
  request.json().catch(() => {
    throw new ApiProblem(422, 'The body must be JSON.', [{ field: 'body', reason: 'not valid JSON' }]);
  });

/** Refuses an action on a cycle that is over. */
export const requireOpen = (state: AccountState): void => {
  if (state.status !== 'open')
    throw new ApiProblem(
      409,
      `Cycle ${state.cycleId} is closed (${state.closeReason ?? 'closed'}); nothing more can be done on it.`,
    );
};

/** A plan can be taken only on an open cycle with no plan running. */
export const requireNoPlan = (state: AccountState): void => {
  requireOpen(state);
  if (state.plan) throw new ApiProblem(409, `Plan ${state.plan.planId} is already running on this account.`);
};

/** A plan the customer takes must be the one on offer, at a length the pack allows. */
export const requireOfferedPlan = (
  state: AccountState,
  planId: unknown,
  instalments: unknown,
  pack: PolicyPack,
): void => {
  requireNoPlan(state);
  const offer = openOffer(state);
  if (!offer) {
    throw new ApiProblem(
      409,
      state.lastOffer
        ? `Plan ${state.lastOffer.planId} was taken already; no other is on offer now.`
        : 'No plan has been offered on this cycle yet.',
    );
  }
  if (planId !== undefined && planId !== offer.planId) {
    throw new ApiProblem(409, `Plan ${String(planId)} is not on offer; the plan on offer is ${offer.planId}.`);
  }
  if (
    typeof instalments === 'number' &&
    Number.isInteger(instalments) &&
    !isInstalmentCountAllowed(instalments, pack)
  ) {
    throw new ApiProblem(422, "The plan is outside the policy's limits.", [
      { field: 'instalments', reason: `expected 2 to ${pack.maxPlanInstalments} under ${pack.id}, got ${instalments}` },
    ]);
  }
};

/** A settlement the customer accepts must be the one on offer, not yet accepted, on an open cycle. */
export const requireOfferedSettlement = (state: AccountState, settlementId: unknown): void => {
  requireOpen(state);
  const offered = state.settlement;
  if (!offered) throw new ApiProblem(409, 'No settlement is on offer on this account now.');
  // Not a string at all: the body's validation names the field (422).
  if (typeof settlementId === 'string' && settlementId !== offered.settlementId)
    throw new ApiProblem(
      409,
      `Settlement ${String(settlementId)} is not on offer; the one on offer is ${offered.settlementId}.`,
    );
  if (offered.acceptedAt) throw new ApiProblem(409, `Settlement ${offered.settlementId} was accepted already.`);
};
