// Errors the workflow tells apart: transient ones are retried by Step Functions/SQS, the rest are
// recorded and end the execution in Fail (with an alarm).

/** Worth retrying: the same call may succeed later (contention, throttling). */
export class TransientError extends Error {
  override readonly name = 'TransientError';
}

/** A workflow step for an account that has no state: a bug or a deleted item, never retried. */
export class AccountNotFoundError extends Error {
  override readonly name = 'AccountNotFoundError';
  constructor(accountId: string) {
    super(`account ${accountId} has no collection state`);
  }
}
