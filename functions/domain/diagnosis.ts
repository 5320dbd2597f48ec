// The debt diagnosis: what is owed, how late, what it costs the customer, and who they are as a payer.
import { isHardship, type AccountState } from './account';
import { bucketOf, daysPastDue, type Bucket } from './days-past-due';
import { lateFees, penaltyInterest } from './fees';
import { segmentOf, type Segmentation } from './segment';

export interface Diagnosis {
  dpd: number;
  bucket: Bucket;
  amountDue: number;
  balance: number;
  /** Penalty interest accrued on the overdue amount since the due date (informational). */
  penaltyInterest: number;
  /** Late fees for the cycles missed so far (informational). */
  lateFees: number;
  segmentation: Segmentation;
  /** Why the customer is late, as they last said (docs/contract.md §3.15), or null. */
  reason: string | null;
  hardship: boolean;
}

export const diagnose = (state: AccountState, now: Date): Diagnosis => {
  const dpd = daysPastDue(state.dueDate, now, state.timezone);
  const frozen = state.plan?.interestFrozen ?? false;
  return {
    dpd,
    bucket: bucketOf(dpd),
    amountDue: state.amountDue,
    balance: state.balance,
    penaltyInterest: frozen || state.aprBps === null ? 0 : penaltyInterest(state.amountDue, state.aprBps, dpd),
    lateFees: lateFees(state.lateFee, dpd),
    segmentation: segmentOf(state),
    reason: state.reason?.reason ?? null,
    hardship: isHardship(state),
  };
};
