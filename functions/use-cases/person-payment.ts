// A payment naming the person (docs/contract.md §11.1): split across their open accounts in its currency, each part
// applied once as that account's own payment, and the split announced once, as it was applied (event PaymentAllocated).
import {
  allocatePayment,
  allocatedClaim,
  partClaim,
  splitByOrder,
  type AllocationPart,
  type AllocationRound,
  type AppliedPart,
} from '../domain/allocation';
import { paymentPart, type PersonEvent } from '../domain/person-events';
import { CONFLICT, retryOnConflict } from './account-access';
import type { IntakeDeps, IntakeResult } from './apply-once';
import { applyToAccount, openAccounts, personResult } from './person-accounts';

type PersonPayment = Extract<PersonEvent, { detailType: 'PaymentPosted' }>;

/** More rounds than a person has accounts cannot be needed: each one leaves out the accounts that refused a part. */
const MAX_ROUNDS = 20;

/**
 * Splits the payment (the first split stands: a redelivery applies the same parts, each once) and applies its parts one
 * account after another. A part whose account's cycle closed between the split and its turn is split again over the
 * person's other open accounts in the currency, as the next round, kept once too; with no such account left the
 * payment is rejected naming the amount not applied. What was applied is announced once either way.
 */
export const receivePersonPayment = async (
  deps: IntakeDeps,
  event: PersonPayment,
  deliveryId: string | null,
): Promise<IntakeResult> => {
  const { customerId, paymentId, amount, currency } = event.detail;
  const now = deps.clock.now();
  let round = await deps.persons.allocationOf(customerId, paymentId, 1);
  if (!round) {
    const open = await openAccounts(deps, await deps.persons.getPerson(customerId));
    if (open.length === 0)
      return { kind: 'rejected', reason: `customerId: no open collection cycle for ${customerId}` };
    const split = allocatePayment(amount, currency, open, now, event.detail.allocation, deps.pack.allocationOrder);
    if (!split.ok) return { kind: 'rejected', reason: split.reason };
    round = await deps.persons.keepAllocation(customerId, paymentId, first(split.parts, now));
  }
  const applied: AppliedPart[] = [];
  const kinds: string[] = [];
  const refusals: string[] = [];
  const refusedAccounts = new Set<string>();
  let unapplied = 0;
  for (let turn = 0; round && turn < MAX_ROUNDS; turn += 1) {
    const next = await deps.persons.allocationOf(customerId, paymentId, round.round + 1);
    const refused: AllocationPart[] = [];
    for (const part of round.parts) {
      // Refused in an earlier delivery, and split again already: not tried again.
      if (next?.refused.includes(part.accountId)) {
        refused.push(part);
        continue;
      }
      const outcome = await applyPart(deps, event, part, round, deliveryId);
      if (outcome.kind === 'rejected') {
        refused.push(part);
        refusals.push(`${part.accountId}: ${outcome.reason}`);
      } else {
        kinds.push(outcome.kind);
        applied.push({ ...part, paymentId: outcome.paymentId });
      }
    }
    for (const part of refused) refusedAccounts.add(part.accountId);
    const left = refused.reduce((sum, part) => sum + part.amount, 0);
    if (left === 0) break;
    round = next ?? (await splitAgain(deps, event, round.round + 1, left, refused, refusedAccounts));
    if (!round) unapplied = left;
  }
  if (applied.length > 0) await announce(deps, event, applied);
  if (unapplied > 0)
    return {
      kind: 'rejected',
      reason:
        `allocation: ${unapplied} ${currency} of payment ${paymentId} not applied: the person ${customerId} has no ` +
        `open account in ${currency} left for it (${refusals.join('; ')})`,
    };
  return personResult(deps, event, kinds);
};

const first = (parts: AllocationPart[], now: Date): AllocationRound => ({
  round: 1,
  parts,
  refused: [],
  keptAt: now.toISOString(),
});

/**
 * Applies one part on its account, once. A split the release before rounds kept is applied as that release applied its
 * parts (under `<paymentId>-<accountId>`, claimed as that payment), so its redelivery finds the parts it applied.
 */
const applyPart = async (
  deps: IntakeDeps,
  event: PersonPayment,
  part: AllocationPart,
  round: AllocationRound,
  deliveryId: string | null,
) => {
  const { paymentId } = event.detail;
  const legacy = round.keptAt === undefined;
  const as = paymentPart(event, part, round.round);
  if (legacy) as.detail.paymentId = `${paymentId}-${part.accountId}`;
  const claim = legacy ? {} : { claim: partClaim(paymentId, part.accountId, round.round) };
  return { ...(await applyToAccount(deps, as, deliveryId, claim)), paymentId: as.detail.paymentId };
};

/** The next round: the refused parts' amount over the person's open accounts in the currency that refused none. */
const splitAgain = async (
  deps: IntakeDeps,
  event: PersonPayment,
  round: number,
  left: number,
  refused: readonly AllocationPart[],
  refusedAccounts: ReadonlySet<string>,
): Promise<AllocationRound | null> => {
  const { customerId, paymentId, currency } = event.detail;
  const now = deps.clock.now();
  const open = (await openAccounts(deps, await deps.persons.getPerson(customerId))).filter(
    (s) => s.currency === currency && !refusedAccounts.has(s.accountId),
  );
  if (open.length === 0) return null;
  return deps.persons.keepAllocation(customerId, paymentId, {
    round,
    parts: splitByOrder(left, open, now, deps.pack.allocationOrder),
    refused: refused.map((part) => part.accountId),
    keptAt: now.toISOString(),
  });
};

/**
 * Announces the split as applied, once (event PaymentAllocated): an entry on the first part's account, written with a
 * create-once record, so a redelivery announces nothing again. The account's state is only stamped: nothing of it
 * changes, and its waiting execution keeps its token.
 */
const announce = async (deps: IntakeDeps, event: PersonPayment, parts: readonly AppliedPart[]) => {
  const { accountId } = parts[0]!;
  const { customerId, paymentId } = event.detail;
  await retryOnConflict(accountId, async () => {
    const state = await deps.accounts.getState(accountId);
    if (!state) return null;
    const saved = await deps.accounts.save({
      state,
      expectedVersion: state.version,
      entries: [
        { kind: 'payment-allocated', at: deps.clock.now().toISOString(), paymentId, customerId, parts: [...parts] },
      ],
      creates: [{ sk: allocatedClaim(paymentId), attributes: { paymentId, customerId } }],
    });
    return saved.kind === 'conflict' ? CONFLICT : null;
  });
};
