// The intake's side of the person (docs/contract.md §11.1): an opening account is listed on its person and starts
// with what holds for them; an event naming the person reaches each of their open accounts; bankruptcy or death on
// one account stops collection on all of them.
import type { AccountState } from '../domain/account';
import type { InboundEvent } from '../domain/inbound-events';
import { bankFlagsOf, STOPS, type Person, type PersonFact } from '../domain/person';
import { personCapOf, personCapRule } from '../domain/person-caps';
import { localDate } from '../domain/zoned-time';
import type { ContactSlot } from '../ports';
import { onAccount, type PersonEvent } from '../domain/person-events';
import type { IntakeDeps, IntakeResult } from './apply-once';
import { applyToAccount, openAccounts, personResult } from './person-accounts';
import { receivePersonPayment } from './person-payment';

/**
 * An account opening (a cycle, or a courtesy) under a customer number is listed on that person first (listed twice
 * is fine), and is handed the person as they stand, so what holds for them holds for it from the start. A fact kept
 * after this read is handed to it once it is saved (person-join.ts).
 */
export const personAtOpening = async (deps: IntakeDeps, event: InboundEvent): Promise<Person | null> => {
  const customerId =
    event.detailType === 'AccountDelinquent' || event.detailType === 'AccountDueSoon'
      ? event.detail.customer.customerId
      : undefined;
  if (!customerId) return null;
  await deps.persons.addAccount(customerId, event.detail.accountId);
  return deps.persons.getPerson(customerId);
};

const factOf = (event: Exclude<PersonEvent, { detailType: 'PaymentPosted' }>): PersonFact =>
  event.detailType === 'CeaseCommunication' ? { kind: 'cease' } : { kind: 'opt-out', channel: event.detail.channel };

/**
 * A cease or an opt-out naming the person is kept on the person (so an account of theirs that opens later starts with
 * it) and applied to each open account; a payment is split across the open accounts (person-payment.ts).
 */
export const receivePersonEvent = async (
  deps: IntakeDeps,
  event: PersonEvent,
  deliveryId: string | null,
): Promise<IntakeResult> => {
  if (event.detailType === 'PaymentPosted') return receivePersonPayment(deps, event, deliveryId);
  const { customerId } = event.detail;
  await deps.persons.addFact(customerId, factOf(event));
  // A courtesy reminder waiting on an account of theirs is the customer's contact too: it hears the cease as well.
  const open = await openAccounts(deps, await deps.persons.getPerson(customerId), true);
  const applied = [];
  for (const state of open) applied.push(await applyToAccount(deps, onAccount(event, state.accountId), deliveryId));
  return personResult(
    deps,
    event,
    applied.map((a) => a.kind).filter((k) => k !== 'rejected'),
  );
};

/**
 * Bankruptcy or death the bank reports on one account of a person stops collection on all of them (docs/contract.md
 * §3.5): kept on the person, and told to each other open account as the bank's update of its flags. So it is when the
 * account it names has no cycle open (`state` null: read here), as the person's other accounts may. The bank's `false`
 * on an account of theirs clears the fact from the person: accounts of theirs that open later start without it.
 */
export const spreadStops = async (
  deps: IntakeDeps,
  event: InboundEvent,
  state: AccountState | null,
  deliveryId: string | null,
): Promise<void> => {
  const said = bankFlagsOf(event);
  if (said.bankrupt === undefined && said.deceased === undefined) return;
  if (event.detailType !== 'AccountDelinquent' && event.detailType !== 'AccountUpdated') return;
  const { accountId } = event.detail;
  const customerId =
    event.detail.customer?.customerId ?? (state ?? (await deps.accounts.getState(accountId)))?.customerId;
  if (!customerId) return;
  const cleared = STOPS.filter((kind) => said[kind] === false);
  if (cleared.length > 0) {
    const person = await deps.persons.getPerson(customerId);
    for (const kind of cleared) if (person?.[kind]) await deps.persons.clearFact(customerId, kind);
  }
  const stops = STOPS.filter((kind) => said[kind] === true);
  if (stops.length === 0) return;
  for (const kind of stops) await deps.persons.addFact(customerId, { kind });
  const others = (await openAccounts(deps, await deps.persons.getPerson(customerId))).filter(
    (s) => s.accountId !== accountId && stops.some((kind) => !s.flags[kind]),
  );
  for (const other of others) {
    const update: InboundEvent = {
      detailType: 'AccountUpdated',
      detail: { accountId: other.accountId, flags: Object.fromEntries(stops.map((kind) => [kind, true])) },
      source: event.source,
    };
    await applyToAccount(deps, update, deliveryId);
  }
};

/**
 * A call made outside the queue (a `callId` that is no call task) counts toward the person's calls of the day as a
 * dialled task does: it takes its place on the person's ledger before it is applied, and is refused with the person
 * rule when the day's places are taken. Answers the place to give back if the call is then not applied.
 */
export const placeForOutsideCall = async (
  deps: IntakeDeps,
  event: InboundEvent,
): Promise<{ refused: string } | { taken: ContactSlot | null }> => {
  if (event.detailType !== 'CallOutcomeRecorded') return { taken: null };
  const state = await deps.accounts.getState(event.detail.accountId);
  if (!state?.customerId || state.status !== 'open' || state.callTask?.taskId === event.detail.callId)
    return { taken: null };
  // The day the call was dialled (never later than now, as its record says): an outcome may come after midnight.
  const { dialledAt } = event.detail;
  const dialled = dialledAt ? Math.min(Date.parse(dialledAt), deps.clock.now().getTime()) : deps.clock.now().getTime();
  const slot: ContactSlot = {
    customerId: state.customerId,
    date: localDate(new Date(dialled), state.timezone),
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
