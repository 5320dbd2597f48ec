// An account joins its person after an event is applied to it (docs/contract.md §11.1): it is listed on the person its
// state names and given what holds for that person, so that no fact kept on the person misses it. The fan-out of a
// fact (person-intake.ts) reaches the listed accounts that have a state; this covers those it cannot: an account whose
// opening was saved after the fan-out read it, one the bank moved to the person, one listed by no one yet.
import type { InboundEvent } from '../domain/inbound-events';
import { bankFlagsOf, inheritFacts, type Person, type Stop } from '../domain/person';
import { CONFLICT, retryOnConflict } from './account-access';
import { liveToken, wake, type Applied, type IntakeDeps } from './apply-once';

/**
 * After `event` was applied to its account (or found applied before): the account is taken off a person it no longer
 * names and listed on the one it does; and when it has just opened, or joined that person now, it is handed what
 * holds for them. The listing comes first and the person is read after it, so a fact kept meanwhile is either read
 * here or fanned out to this account by whoever kept it.
 */
export const joinPerson = async (
  deps: IntakeDeps,
  event: InboundEvent,
  applied: Exclude<Applied, { kind: 'rejected' }>,
  deliveryId: string | null,
): Promise<void> => {
  const { state } = applied;
  if (!state) return;
  const previous = applied.kind === 'applied' ? applied.previous : state;
  if (previous?.customerId && previous.customerId !== state.customerId)
    await deps.persons.removeAccount(previous.customerId, state.accountId);
  const { customerId } = state;
  if (!customerId) return;
  let person = await deps.persons.getPerson(customerId);
  const listed = person?.accountIds.includes(state.accountId) ?? false;
  if (!listed) {
    await deps.persons.addAccount(customerId, state.accountId);
    person = await deps.persons.getPerson(customerId);
  }
  const opened = event.detailType === 'AccountDelinquent' || event.detailType === 'AccountDueSoon';
  if (!person || (listed && !opened && previous?.customerId === customerId)) return;
  await inheritOnce(deps, state.accountId, person, bankFlagsOf(event), deliveryId, applied.kind === 'duplicate');
};

/** The create-once record that keeps the token an inheritance took, for a redelivery to wake the execution with. */
const joinedClaim = (deliveryId: string) => `DELIVERY#${deliveryId}#JOINED`;

/**
 * Hands the account's open cycle what holds for the person and it lacks, recorded (but for a flag the bank set in the
 * event itself: `explicit`), and wakes the execution to see it.
 * Nothing is written when it lacks nothing; a redelivery then wakes the execution with the token the first took.
 */
const inheritOnce = async (
  deps: IntakeDeps,
  accountId: string,
  person: Person,
  explicit: Partial<Record<Stop, boolean>>,
  deliveryId: string | null,
  redelivery: boolean,
): Promise<void> => {
  let claimed = deliveryId;
  const token = await retryOnConflict(accountId, async () => {
    const state = await deps.accounts.getState(accountId);
    if (!state || state.status !== 'open' || state.customerId !== person.customerId) return null;
    const now = deps.clock.now();
    const inherited = inheritFacts(state, person, now.toISOString(), explicit);
    // Each fact handed over is recorded: no entry, nothing lacked.
    if (inherited.entries.length === 0) return tokenKept(deps, accountId, redelivery ? deliveryId : null);
    const token = liveToken(state, now);
    const saved = await deps.accounts.save({
      state: { ...inherited.state, taskToken: null, tokenExpiresAt: null },
      expectedVersion: state.version,
      entries: inherited.entries,
      creates: claimed && token ? [{ sk: joinedClaim(claimed), attributes: { resumeToken: token } }] : [],
    });
    // A record of this delivery's earlier inheritance: this one is another, kept without it.
    if (saved.kind === 'duplicate') claimed = null;
    return saved.kind === 'saved' ? token : CONFLICT;
  });
  await wake(deps, token, { accountId, detailType: 'person' });
};

const tokenKept = async (deps: IntakeDeps, accountId: string, deliveryId: string | null) => {
  const claim = deliveryId ? await deps.accounts.getClaim(accountId, joinedClaim(deliveryId)) : null;
  return typeof claim?.resumeToken === 'string' ? claim.resumeToken : null;
};
