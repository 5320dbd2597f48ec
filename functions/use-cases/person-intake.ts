// The intake's side of the person (docs/contract.md §11.1): an opening account is listed on its person and starts
// with what holds for them; an event naming the person reaches each of their open accounts; bankruptcy or death on
// one account stops collection on all of them.
import type { AccountState } from '../domain/account';
import { allocatePayment } from '../domain/allocation';
import { eventKey, type InboundEvent } from '../domain/inbound-events';
import type { Person, PersonFact } from '../domain/person';
import { accountsCovered } from '../domain/person-call';
import { personCapOf, personCapRule } from '../domain/person-caps';
import { localDate } from '../domain/zoned-time';
import type { ContactSlot } from '../ports';
import { onAccount, paymentPart, type PersonEvent } from '../domain/person-events';
import { applyOnce, nudgeWorkflow, type ApplyExtras, type IntakeDeps, type IntakeResult } from './apply-once';

/**
 * An account opening (a cycle, or a courtesy) under a customer number is listed on that person first (listed twice
 * is fine), and is handed the person as they stand, so what holds for them holds for it from the start.
 */
export const personAtOpening = async (deps: IntakeDeps, event: InboundEvent): Promise<Person | null> => {
  const customerId =
    event.detailType === 'AccountDelinquent' ||
    event.detailType === 'AccountDueSoon' ||
    event.detailType === 'AccountUpdated'
      ? event.detail.customer?.customerId
      : undefined;
  if (!customerId) return null;
  await deps.persons.addAccount(customerId, event.detail.accountId);
  return event.detailType === 'AccountUpdated' ? null : deps.persons.getPerson(customerId);
};

/** Applies an account's share of a person-wide event, and starts or wakes its execution. */
const applyToAccount = async (
  deps: IntakeDeps,
  event: InboundEvent,
  deliveryId: string | null,
  extras: ApplyExtras = {},
) => {
  const applied = await applyOnce(deps, event, deliveryId, extras);
  if (applied.kind !== 'rejected') await nudgeWorkflow(deps, event, applied.state, applied.token);
  return applied;
};

/** The person's accounts with a collection cycle open now (and, `withCourtesy`, those with a courtesy open). */
const openAccounts = async (deps: IntakeDeps, person: Person | null, withCourtesy = false): Promise<AccountState[]> => {
  const states = await Promise.all((person?.accountIds ?? []).map((id) => deps.accounts.getState(id)));
  return states.filter((s): s is AccountState => !!s && s.status === 'open' && (withCourtesy || !s.courtesy));
};

const factOf = (event: Exclude<PersonEvent, { detailType: 'PaymentPosted' }>): PersonFact =>
  event.detailType === 'CeaseCommunication' ? { kind: 'cease' } : { kind: 'opt-out', channel: event.detail.channel };

/**
 * A cease or an opt-out naming the person is kept on the person (so an account of theirs that opens later starts with
 * it) and applied to each open account; a payment is split across the open accounts and each part applied once.
 */
export const receivePersonEvent = async (
  deps: IntakeDeps,
  event: PersonEvent,
  deliveryId: string | null,
): Promise<IntakeResult> => {
  const { customerId } = event.detail;
  const result = (kinds: string[]): IntakeResult => {
    const kind = kinds.length > 0 && kinds.every((k) => k === 'duplicate') ? 'duplicate' : 'applied';
    deps.metrics.count(`${event.detailType}-person-${kind}`);
    deps.log.info(`person event ${kind}`, { customerId, detailType: event.detailType, accounts: kinds.length });
    return { kind, accountId: customerId };
  };
  if (event.detailType !== 'PaymentPosted') {
    await deps.persons.addFact(customerId, factOf(event));
    // A courtesy reminder waiting on an account of theirs is the customer's contact too: it hears the cease as well.
    const open = await openAccounts(deps, await deps.persons.getPerson(customerId), true);
    const applied = [];
    for (const state of open) applied.push(await applyToAccount(deps, onAccount(event, state.accountId), deliveryId));
    return result(applied.map((a) => a.kind).filter((k) => k !== 'rejected'));
  }
  const now = deps.clock.now();
  const d = event.detail;
  // The first split stands: a redelivery after some parts were applied (or all, and the accounts closed) applies the
  // same parts, each once.
  let parts = await deps.persons.allocationOf(customerId, d.paymentId);
  if (!parts) {
    const open = await openAccounts(deps, await deps.persons.getPerson(customerId));
    if (open.length === 0)
      return { kind: 'rejected', reason: `customerId: no open collection cycle for ${customerId}` };
    const split = allocatePayment(d.amount, d.currency, open, now, d.allocation, deps.pack.allocationOrder);
    if (!split.ok) return { kind: 'rejected', reason: split.reason };
    parts = await deps.persons.keepAllocation(customerId, d.paymentId, split.parts);
  }
  const entry = {
    kind: 'payment-allocated' as const,
    at: now.toISOString(),
    paymentId: d.paymentId,
    customerId,
    parts,
  };
  const kinds: string[] = [];
  const refused: string[] = [];
  for (const part of parts) {
    const applied = await applyToAccount(deps, paymentPart(event, part), deliveryId, { entries: [entry] });
    if (applied.kind === 'rejected') refused.push(`${part.accountId}: ${applied.reason}`);
    else kinds.push(applied.kind);
  }
  if (refused.length) return { kind: 'rejected', reason: `allocation: parts not applied (${refused.join('; ')})` };
  return result(kinds);
};

/**
 * Bankruptcy or death the bank reports on one account of a person stops collection on all of them (docs/contract.md
 * §3.5): kept on the person, and told to each other open account as the bank's update of its flags. So it is when the
 * account it names has no cycle open (`state` null: read here), as the person's other accounts may.
 */
export const spreadStops = async (
  deps: IntakeDeps,
  event: InboundEvent,
  state: AccountState | null,
  deliveryId: string | null,
): Promise<void> => {
  if (event.detailType !== 'AccountDelinquent' && event.detailType !== 'AccountUpdated') return;
  const flags = { bankrupt: event.detail.flags?.bankrupt === true, deceased: event.detail.flags?.deceased === true };
  if (!flags.bankrupt && !flags.deceased) return;
  const { accountId } = event.detail;
  const customerId =
    event.detail.customer?.customerId ?? (state ?? (await deps.accounts.getState(accountId)))?.customerId;
  if (!customerId) return;
  for (const kind of ['bankrupt', 'deceased'] as const)
    if (flags[kind]) await deps.persons.addFact(customerId, { kind });
  const others = (await openAccounts(deps, await deps.persons.getPerson(customerId))).filter(
    (s) =>
      s.accountId !== accountId && ((flags.bankrupt && !s.flags.bankrupt) || (flags.deceased && !s.flags.deceased)),
  );
  for (const other of others) {
    const update: InboundEvent = {
      detailType: 'AccountUpdated',
      detail: {
        accountId: other.accountId,
        flags: { ...(flags.bankrupt ? { bankrupt: true } : {}), ...(flags.deceased ? { deceased: true } : {}) },
      },
      source: event.source,
    };
    await applyToAccount(deps, update, deliveryId);
  }
};

/**
 * The accounts a dial counts on (docs/contract.md §11.1): where the account it names belongs to a person, each open
 * account of theirs holding the task dialled (the one named among them); none otherwise. `state`: the account named.
 */
export const callCovers = async (
  deps: IntakeDeps,
  event: InboundEvent,
  state: AccountState | null,
): Promise<string[]> => {
  if (event.detailType !== 'CallOutcomeRecorded' || !state?.customerId) return [];
  const person = await deps.persons.getPerson(state.customerId);
  // One read per account, as the intake reads (a person holds a few): its role has no batch read.
  const states = await Promise.all((person?.accountIds ?? []).map((id) => deps.accounts.getState(id)));
  return accountsCovered(
    states.filter((s): s is AccountState => s !== null),
    event.detail.callId,
  );
};

/**
 * One dial of the person's task counts as a call on each account it lists: applied to each of them besides the one
 * the event names (that one takes the intake's own path), each once, as its own call outcome (`CALL#<taskId>`).
 */
export const spreadCall = async (
  deps: IntakeDeps,
  event: InboundEvent,
  covers: readonly string[],
  deliveryId: string | null,
): Promise<void> => {
  if (event.detailType !== 'CallOutcomeRecorded' || covers.length < 2) return;
  for (const accountId of covers.filter((id) => id !== event.detail.accountId))
    await applyToAccount(deps, { ...event, detail: { ...event.detail, accountId } }, deliveryId, { covers });
};

/**
 * A call made outside the queue (a `callId` that is no call task) counts toward the person's calls of the day as a
 * dialled task does: it takes its place on the person's ledger before it is applied, and is refused with the person
 * rule when the day's places are taken. Answers the place to give back if the call is then not applied.
 */
export const placeForOutsideCall = async (
  deps: IntakeDeps,
  event: InboundEvent,
  state: AccountState | null,
): Promise<{ refused: string } | { taken: ContactSlot | null }> => {
  if (event.detailType !== 'CallOutcomeRecorded') return { taken: null };
  if (!state?.customerId || state.status !== 'open' || state.callTask?.taskId === event.detail.callId)
    return { taken: null };
  // Delivered again after it was applied (a task's dial among them, gone from the account by then): its place, if it
  // took one, is held already.
  if (await deps.accounts.getClaim(state.accountId, eventKey(event)!)) return { taken: null };
  const slot: ContactSlot = {
    customerId: state.customerId,
    date: localDate(deps.clock.now(), state.timezone),
    kind: 'calls',
    contactId: `${state.accountId}:${state.cycleId}-CALL-${event.detail.callId}`,
  };
  if ((await deps.persons.reserveContact(slot, personCapOf(deps.pack, 'calls'))) === 'reserved') return { taken: slot };
  return {
    refused:
      `callId: ${event.detail.callId} is no call task, and a call outside the queue is not allowed now ` +
      `(${deps.pack.id}/${personCapRule('calls')})`,
  };
};
