// One entry of an account's ledger (docs/contract.md §3.19, §4): a leaf, so that the state, the record and the fold
// (ledger.ts) can all name it.
export type LedgerKind =
  | 'opened'
  | 'updated'
  | 'payment'
  | 'reversed'
  | 'waived'
  | 'written-off'
  | 'charged-off'
  // After charge-off (docs/contract.md §3.28–3.31), kept in the type for the recovery execution.
  | 'recovered'
  | 'costs'
  | 'sold';

export interface LedgerEntry {
  at: string;
  kind: LedgerKind;
  /** Minor units, signed as the entry moves the balance: `opened` moves it from nothing to the opening balance. */
  amount: number;
  /** The balance after the entry. */
  balance: number;
  /** The amount due after the entry. */
  amountDue: number;
  /** The payment a `payment` or `reversed` entry is for. */
  paymentId?: string;
  /**
   * What a payment brought beyond the balance: the balance stops at 0, so it is on no ledger (the bank holds or refunds
   * it); a reversal takes it back with the rest.
   */
  excess?: number;
  /** An `updated` entry the workflow made itself rather than the bank's AccountUpdated: a re-age, a plan broken. */
  cause?: 're-aged' | 'plan-broken';
}
