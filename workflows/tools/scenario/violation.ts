// What the checkers read and report: one account's state and record, and a rule it broke.
import type { AccountState } from '../../../functions/domain/account';
import type { RecordEntry } from '../../../functions/domain/record';

/** One account as a run left it: what the checkers fold. */
export interface AccountRun {
  state: AccountState;
  record: RecordEntry[];
}

/** A rule the record breaks: which account, which rule, when, and what happened. */
export interface Violation {
  accountId: string;
  rule: string;
  at: string;
  detail: string;
}
