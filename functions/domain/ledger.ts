// The account's ledger (docs/contract.md §3.19): an entry for every change to its balance or amount due, and the one
// fold that reads them. The state's balance and amount due move only through `post`, so they are always the fold of its
// ledger, and the close rules read the fold (next-step.ts). Pure.
import type { AccountState } from './account';
import type { Change } from './change';
import type { LedgerEntry } from './ledger-entry';

export type { LedgerEntry, LedgerKind } from './ledger-entry';

export interface Position {
  balance: number;
  amountDue: number;
}

/**
 * The amount due after `entry`, from the one before and the balance after: a payment or a waiver takes its amount off
 * (never below 0); a write-off or a sale leaves no more due than the balance; the others state what is due (the bank's
 * figure, or the rule's: a re-age, a plan broken, a payment owed again).
 */
const dueAfter = (due: number, balance: number, entry: Pick<LedgerEntry, 'kind' | 'amount' | 'amountDue'>): number => {
  switch (entry.kind) {
    case 'payment':
    case 'waived':
    case 'recovered':
      return Math.max(0, due + entry.amount);
    case 'written-off':
    case 'sold':
      return Math.min(due, balance);
    case 'opened':
    case 'updated':
    case 'reversed':
    case 'charged-off':
    case 'costs':
      return entry.amountDue;
  }
};

const step = (position: Position, entry: Pick<LedgerEntry, 'kind' | 'amount' | 'amountDue'>): Position => {
  const balance = position.balance + entry.amount;
  return { balance, amountDue: dueAfter(position.amountDue, balance, entry) };
};

/** The balance and amount due the entries come to, oldest first. */
export const foldLedger = (entries: readonly LedgerEntry[]): Position =>
  entries.reduce(step, { balance: 0, amountDue: 0 });

/** The account's balance and amount due as its ledger has them (a state stored before the ledger: as it says). */
export const positionOf = (state: AccountState): Position =>
  state.ledger ? foldLedger(state.ledger) : { balance: state.balance, amountDue: state.amountDue };

/** The opening entry of a cycle. */
export const openingEntry = (at: string, balance: number, amountDue: number): LedgerEntry => ({
  at,
  kind: 'opened',
  amount: balance,
  balance,
  amountDue,
});

/** What an entry posts: its kind and amount, the amount due where the kind states it, and what it is for. */
export type Posting = Pick<LedgerEntry, 'kind' | 'amount'> &
  Partial<Pick<LedgerEntry, 'amountDue' | 'paymentId' | 'excess' | 'cause'>>;

/**
 * Moves the account's balance and amount due by one entry, the only way they change: the entry goes on the state's
 * ledger and into the record. A state stored before the ledger starts one on the state with what it stood at (its
 * record never had that opening, so it is not written there after the fact).
 */
export const post = (state: AccountState, at: string, posting: Posting): Change => {
  const { kind, amount, amountDue: stated, ...about } = posting;
  const after = step(state, { kind, amount, amountDue: stated ?? state.amountDue });
  const entry: LedgerEntry = { at, kind, amount, ...after, ...about };
  const ledger = state.ledger ?? [openingEntry(state.openedAt, state.balance, state.amountDue)];
  return { state: { ...state, ...after, ledger: [...ledger, entry] }, entries: [{ kind: 'ledger', at, entry }] };
};
