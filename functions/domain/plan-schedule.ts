// Instalment plans: offered terms, schedules, and how payments settle instalments. Integer maths only.
import type { Instalment, PlanTerm } from './account';
import type { PolicyPack } from './policy-packs';
import { addMonths, daysBetween, type LocalDate } from './zoned-time';

/** `total` split into `count` equal instalments; the remainder goes on the last one. */
export const instalmentAmounts = (total: number, count: number): number[] => {
  if (!Number.isSafeInteger(total) || total < 0)
    throw new RangeError(`total: expected a non-negative integer, got ${total}`);
  if (!Number.isInteger(count) || count < 1)
    throw new RangeError(`instalments: expected a positive integer, got ${count}`);
  const each = Math.floor(total / count);
  return Array.from({ length: count }, (_, i) => (i === count - 1 ? total - each * (count - 1) : each));
};

/** Monthly schedule, the first instalment due one month after `acceptedOn`. */
export const planSchedule = (total: number, count: number, acceptedOn: LocalDate): Instalment[] =>
  instalmentAmounts(total, count).map((amount, i) => ({ dueDate: addMonths(acceptedOn, i + 1), amount, paid: 0 }));

/** Terms offered on `balance`: every option of the pack, with the waivers the pack allows. */
export const planTerms = (balance: number, lateFee: number | null, hardship: boolean, pack: PolicyPack): PlanTerm[] =>
  pack.planOptions
    .filter((count) => count >= 2 && count <= pack.maxPlanInstalments)
    .map((count) => ({
      instalments: count,
      monthlyAmount: instalmentAmounts(balance, count)[0] as number,
      interestFrozen: pack.interestFreezeAllowed,
      // Waivers are for hardship only, and never beyond the pack's cap.
      feeWaived: hardship ? (lateFee ?? 0) * pack.maxFeeWaiverCycles : 0,
    }));

export const isInstalmentCountAllowed = (count: number, pack: PolicyPack): boolean =>
  Number.isInteger(count) && count >= 2 && count <= pack.maxPlanInstalments;

/**
 * Applies a payment made on `paidOn` to the oldest unpaid instalment and any excess to the next ones.
 * Returns the new instalments and what is left over once every instalment is paid.
 */
export const allocatePayment = (
  instalments: readonly Instalment[],
  amount: number,
  paidOn: LocalDate | null = null,
): { instalments: Instalment[]; excess: number } => {
  let left = amount;
  const next = instalments.map((instalment) => {
    const owed = instalment.amount - instalment.paid;
    const applied = Math.min(owed, left);
    left -= applied;
    if (applied === 0) return instalment;
    const paid = instalment.paid + applied;
    return { ...instalment, paid, ...(paid >= instalment.amount ? { paidOn } : {}) };
  });
  return { instalments: next, excess: left };
};

/**
 * Takes a reversed payment's `amount` back off the instalments it paid (docs/contract.md §3.21): from instalment
 * `first` where it is known (a debit's), then from the newest paid back to the oldest: what stays paid is the oldest.
 */
export const unallocatePayment = (instalments: readonly Instalment[], amount: number, first?: number): Instalment[] => {
  const next = [...instalments];
  const order = [...next.keys()].reverse();
  if (first !== undefined && next[first]) order.unshift(first);
  let left = amount;
  for (const i of order) {
    const instalment = next[i]!;
    const taken = Math.min(instalment.paid, left);
    if (taken === 0) continue;
    left -= taken;
    next[i] = { ...instalment, paid: instalment.paid - taken, paidOn: null };
  }
  return next;
};

export const isPlanComplete = (instalments: readonly Instalment[]): boolean =>
  instalments.every((i) => i.paid >= i.amount);

/** Days the oldest unpaid instalment is late on `today` (0 when none is past due). */
export const daysLate = (instalments: readonly Instalment[], today: LocalDate): number => {
  const oldestUnpaid = instalments.find((i) => i.paid < i.amount);
  return oldestUnpaid ? Math.max(0, daysBetween(oldestUnpaid.dueDate, today)) : 0;
};

/** Unpaid amount of instalments already due on `today`. */
export const amountOverdueOnPlan = (instalments: readonly Instalment[], today: LocalDate): number =>
  instalments.filter((i) => daysBetween(i.dueDate, today) > 0).reduce((sum, i) => sum + (i.amount - i.paid), 0);

export const nextUnpaid = (instalments: readonly Instalment[]): Instalment | undefined =>
  instalments.find((i) => i.paid < i.amount);
