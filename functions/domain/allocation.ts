// A payment to the person split across their open accounts (docs/contract.md §11.1): as the customer said
// (`allocation`), or in the pack's order, each account taking at most its amount due and the rest going to the last.
import type { AccountState } from './account';
import { daysPastDue } from './days-past-due';

export interface AllocationPart {
  accountId: string;
  /** Minor units, > 0. */
  amount: number;
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
 * The parts a payment of `amount` to the person is applied as: the customer's `given` split when it adds up and names
 * only the person's open accounts, each once; otherwise, with no split given, the pack's order. Reasons name
 * `allocation` and what is wrong.
 */
export const allocatePayment = (
  amount: number,
  currency: string,
  accounts: readonly AllocationTarget[],
  now: Date,
  given?: readonly AllocationPart[],
  order?: readonly AllocationKey[],
): Allocation => {
  if (accounts.length === 0) return { ok: false, reason: 'customerId: the person has no open account' };
  const other = accounts.find((a) => a.currency !== currency);
  if (other)
    return {
      ok: false,
      reason: `currency: account ${other.accountId} is in ${other.currency}, payment is in ${currency}`,
    };
  if (!given) return { ok: true, parts: splitByOrder(amount, accounts, now, order) };
  const open = new Set(accounts.map((a) => a.accountId));
  const seen = new Set<string>();
  for (const part of given) {
    if (!open.has(part.accountId))
      return { ok: false, reason: `allocation: ${part.accountId} is not an open account of this person` };
    if (seen.has(part.accountId)) return { ok: false, reason: `allocation: ${part.accountId} is named twice` };
    seen.add(part.accountId);
  }
  const sum = given.reduce((total, part) => total + part.amount, 0);
  if (sum !== amount) return { ok: false, reason: `allocation: the parts add up to ${sum}, the payment is ${amount}` };
  return { ok: true, parts: given.map((part) => ({ accountId: part.accountId, amount: part.amount })) };
};

/** The payment id each part is applied under on its account: applied once there, as any payment. */
export const partPaymentId = (paymentId: string, accountId: string): string => `${paymentId}-${accountId}`;
