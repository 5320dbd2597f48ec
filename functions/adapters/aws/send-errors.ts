// Which provider errors mean "this message will never go" rather than "try again".
import { PermanentSendError } from '../../errors';

const TRANSIENT = new Set([
  'ThrottlingException',
  'TooManyRequestsException',
  'LimitExceededException',
  'ServiceUnavailable',
  'InternalServerException',
  'InternalFailure',
  'TimeoutError',
  'RequestTimeout',
]);

/** A client-side fault that is not throttling is permanent (bad address, opted-out number, rejected content). */
export const classifySendError = (error: unknown): Error => {
  const e = error as Error & { $fault?: string; Reason?: string };
  if (e?.$fault === 'client' && !TRANSIENT.has(e.name)) {
    // End User Messaging refuses a number that replied STOP with this reason.
    const optedOut =
      e.Reason === 'DESTINATION_PHONE_NUMBER_OPTED_OUT' || /DESTINATION_PHONE_NUMBER_OPTED_OUT/.test(e.message);
    return new PermanentSendError(`${e.name}${e.Reason ? ` (${e.Reason})` : ''}: ${e.message}`, { optedOut });
  }
  return e instanceof Error ? e : new Error(String(error));
};
