// Errors the workflow tells apart: transient ones are retried by Step Functions/SQS, the rest are
// recorded and end the execution in Fail (with an alarm).

/** Worth retrying: the same call may succeed later (contention, throttling). */
export class TransientError extends Error {
  override readonly name = 'TransientError';
}

/**
 * Send-once found another invocation sending this very message right now (Powertools idempotency's in-progress
 * record): retried as any transient error, never counted as a failed attempt of ours, since the message may well
 * go (docs/contract.md §3.13, §10.4).
 */
export class SendInProgressError extends TransientError {
  constructor(contactId: string, options?: ErrorOptions) {
    super(`send of ${contactId} is in progress in another invocation`, options);
  }
}

/** A workflow step for an account that has no state: a bug or a deleted item, never retried. */
export class AccountNotFoundError extends Error {
  override readonly name = 'AccountNotFoundError';
  constructor(accountId: string) {
    super(`account ${accountId} has no collection state`);
  }
}

/** A send the provider refused for good (bad address, opted-out number…): not worth retrying. */
export class PermanentSendError extends Error {
  override readonly name = 'PermanentSendError';
  /** The recipient opted out of this channel at the provider (an SMS "STOP"): we stop using it too. */
  readonly optedOut: boolean;

  constructor(message: string, options: { optedOut?: boolean } = {}) {
    super(message);
    this.optedOut = options.optedOut ?? false;
  }
}
