// A payment to the person split across their open accounts (docs/contract.md §11.1): as the customer said
// (`allocation`), or in the pack's order, each account taking at most its amount due and the rest going to the last.
import { createHash } from 'node:crypto';
import type { AccountState } from './account';
import { daysPastDue } from './days-past-due';

export interface AllocationPart {
  accountId: string;
  /** Minor units, > 0. */
  amount: number;
}

/**
 * One round of a payment's split, kept once on the person: round 1 is the split itself; a part the intake could not
 * apply (its account's cycle closed meanwhile) is split again over the person's other open accounts as the next round.
 */
export interface AllocationRound {
  round: number;
  parts: AllocationPart[];
  /** The accounts whose part of the round before was refused: what this round splits again. */
  refused: string[];
  /** When the round was kept; absent on a split the release before rounds kept (its parts named as it named them). */
  keptAt?: string;
}

/** A part as it was applied: that account's own payment `paymentId`. */
export interface AppliedPart extends AllocationPart {
  paymentId: string;
}

/** What orders the person's accounts for a payment that does not say how it is split, most urgent first. */
export const ALLOCATION_KEYS = ['days-past-due', 'apr', 'oldest-cycle'] as const;
export type AllocationKey = (typeof ALLOCATION_KEYS)[number];
export const DEFAULT_ALLOCATION_ORDER: readonly AllocationKey[] = ALLOCATION_KEYS;

export type Allocation = { ok: true; parts: AllocationPart[] } | { ok: false; reason: string };

/** One account as the split sees it. */
export type AllocationTarget = Pick<
  AccountState,
  'accountId' | 'amountDue' | 'aprBps' | 'openedAt' | 'dueDate' | 'timezone' | 'currency'
>;

const compareBy =
  (key: AllocationKey, now: Date) =>
  (a: AllocationTarget, b: AllocationTarget): number => {
    switch (key) {
      case 'days-past-due':
        return daysPastDue(b.dueDate, now, b.timezone) - daysPastDue(a.dueDate, now, a.timezone);
      case 'apr':
        return (b.aprBps ?? 0) - (a.aprBps ?? 0);
      case 'oldest-cycle':
        return Date.parse(a.openedAt) - Date.parse(b.openedAt);
    }
  };

/** The accounts in the order a payment fills them; ties fall back to the account id, so the split is stable. */
export const allocationOrder = (
  accounts: readonly AllocationTarget[],
  now: Date,
  order: readonly AllocationKey[] = DEFAULT_ALLOCATION_ORDER,
): AllocationTarget[] =>
  [...accounts].sort((a, b) => {
    for (const key of order) {
      const by = compareBy(key, now)(a, b);
      if (by !== 0) return by;
    }
    return a.accountId < b.accountId ? -1 : a.accountId > b.accountId ? 1 : 0;
  });

/**
 * Fills the accounts in order, each up to its amount due; what is left after the last one's due goes to the last.
 * Accounts that take nothing are left out of the parts.
 */
export const splitByOrder = (
  amount: number,
  accounts: readonly AllocationTarget[],
  now: Date,
  order: readonly AllocationKey[] = DEFAULT_ALLOCATION_ORDER,
): AllocationPart[] => {
  const ordered = allocationOrder(accounts, now, order);
  const parts: AllocationPart[] = [];
  let left = amount;
  ordered.forEach((account, i) => {
    const last = i === ordered.length - 1;
    const take = last ? left : Math.min(left, Math.max(0, account.amountDue));
    left -= take;
    if (take > 0) parts.push({ accountId: account.accountId, amount: take });
  });
  return parts;
};

/**
 * The parts a payment of `amount` to the person is applied as, over their open accounts in the payment's currency (an
 * account in another is no concern of it): the customer's `given` split when it adds up and names only those accounts,
 * each once; otherwise, with no split given, the pack's order. Reasons name `allocation` and what is wrong.
 */
export const allocatePayment = (
  amount: number,
  currency: string,
  accounts: readonly AllocationTarget[],
  now: Date,
  given?: readonly AllocationPart[],
  order?: readonly AllocationKey[],
): Allocation => {
  const payable = accounts.filter((a) => a.currency === currency);
  if (payable.length === 0)
    return { ok: false, reason: `customerId: no open collection cycle in ${currency} for this person` };
  if (!given) return { ok: true, parts: splitByOrder(amount, payable, now, order) };
  const open = new Set(payable.map((a) => a.accountId));
  const seen = new Set<string>();
  for (const part of given) {
    if (!open.has(part.accountId))
      return {
        ok: false,
        reason: `allocation: ${part.accountId} is not an open account of this person in ${currency}`,
      };
    if (seen.has(part.accountId)) return { ok: false, reason: `allocation: ${part.accountId} is named twice` };
    seen.add(part.accountId);
  }
  const sum = given.reduce((total, part) => total + part.amount, 0);
  if (sum !== amount) return { ok: false, reason: `allocation: the parts add up to ${sum}, the payment is ${amount}` };
  return { ok: true, parts: given.map((part) => ({ accountId: part.accountId, amount: part.amount })) };
};

/** The longest id the id pattern allows (docs/contract.md, Conventions). */
const ID_LENGTH = 64;

/**
 * The payment id a part is applied under on its account, which PaymentReversed names to take it back: `<paymentId>-
 * <accountId>`, and `-R<round>` after it for a later round, where that is at most 64 characters; otherwise the first
 * 47 characters of the payment id, `-`, and the first 16 hexadecimal digits of the SHA-256 of `<paymentId>/<accountId>`
 * (`/<round>` after it for a later round). Stable: a redelivery names the same part the same way.
 */
export const partPaymentId = (paymentId: string, accountId: string, round = 1): string => {
  const suffix = round > 1 ? `-R${round}` : '';
  const visible = `${paymentId}-${accountId}${suffix}`;
  if (visible.length <= ID_LENGTH) return visible;
  const digest = createHash('sha256')
    .update(`${paymentId}/${accountId}${round > 1 ? `/${round}` : ''}`)
    .digest('hex');
  return `${paymentId.slice(0, ID_LENGTH - 17)}-${digest.slice(0, 16)}`;
};

/**
 * The create-once record a part is applied once by, on its account: a namespace of its own, apart from the account's
 * own payments (`PAYMENT#<paymentId>`), so a payment the bank happens to name `<paymentId>-<accountId>` is not taken
 * for the part, nor the part for it.
 */
export const partClaim = (paymentId: string, accountId: string, round = 1): string =>
  `PAYMENT#PERSON#${paymentId}#${accountId}${round > 1 ? `#${round}` : ''}`;

/** The create-once record of the one announcement of a payment's split (event PaymentAllocated), on its account. */
export const allocatedClaim = (paymentId: string): string => `ALLOCATED#${paymentId}`;
