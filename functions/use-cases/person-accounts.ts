// The person's accounts as the intake reaches them (docs/contract.md §11.1): those open now, and a share of an event
// naming the person applied to one of them.
import type { AccountState } from '../domain/account';
import type { InboundEvent } from '../domain/inbound-events';
import type { Person } from '../domain/person';
import type { PersonEvent } from '../domain/person-events';
import { applyOnce, nudgeWorkflow, type ApplyExtras, type IntakeDeps, type IntakeResult } from './apply-once';

/**
 * The person's accounts with a collection cycle open now (and, `withCourtesy`, those with a courtesy open). An account
 * listed on them that the bank has since given another customer number is theirs no more.
 */
export const openAccounts = async (
  deps: IntakeDeps,
  person: Person | null,
  withCourtesy = false,
): Promise<AccountState[]> => {
  const states = await Promise.all((person?.accountIds ?? []).map((id) => deps.accounts.getState(id)));
  return states.filter(
    (s): s is AccountState =>
      !!s && s.status === 'open' && s.customerId === person?.customerId && (withCourtesy || !s.courtesy),
  );
};

/** Applies an account's share of a person-wide event, and starts or wakes its execution. */
export const applyToAccount = async (
  deps: IntakeDeps,
  event: InboundEvent,
  deliveryId: string | null,
  extras: ApplyExtras = {},
) => {
  const applied = await applyOnce(deps, event, deliveryId, extras);
  if (applied.kind !== 'rejected') await nudgeWorkflow(deps, event, applied.state, applied.token);
  return applied;
};

/** The answer to an event naming the person: a duplicate when each account it reached had it already. */
export const personResult = (deps: IntakeDeps, event: PersonEvent, kinds: readonly string[]): IntakeResult => {
  const { customerId } = event.detail;
  const kind = kinds.length > 0 && kinds.every((k) => k === 'duplicate') ? 'duplicate' : 'applied';
  deps.metrics.count(`${event.detailType}-person-${kind}`);
  deps.log.info(`person event ${kind}`, { customerId, detailType: event.detailType, accounts: kinds.length });
  return { kind, accountId: customerId };
};
