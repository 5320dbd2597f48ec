// Which provider errors mean "this message will never go" rather than "try again".
import { PermanentSendError } from '../../errors';
import { isTransientAwsError } from './transient-errors';

/** A client-side fault that is not throttling is permanent (bad address, opted-out number, rejected content). */
export const classifySendError = (error: unknown): Error => {
  const e = error as Error & { $fault?: string; Reason?: string };
  // SES's LimitExceededException is its sending quota for now, not a refusal of this message.
  if (e?.$fault === 'client' && !isTransientAwsError(e) && e.name !== 'LimitExceededException') {
    // End User Messaging refuses a number that replied STOP with this reason.
    const optedOut =
      e.Reason === 'DESTINATION_PHONE_NUMBER_OPTED_OUT' || /DESTINATION_PHONE_NUMBER_OPTED_OUT/.test(e.message);
    return new PermanentSendError(`${e.name}${e.Reason ? ` (${e.Reason})` : ''}: ${e.message}`, { optedOut });
  }
  return e instanceof Error ? e : new Error(String(error));
};
