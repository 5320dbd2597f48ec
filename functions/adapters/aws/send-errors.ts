// Which provider errors mean "this message will never go" rather than "try again".
import { PermanentSendError } from '../../errors';
import { isTransientAwsError } from './transient-errors';

/**
 * What a provider's error is recorded as: its code and reason code, never its message, which may quote the address
 * or number it refused (SES: "…failed the check…: ana@example.com"). The record and the logs keep this only.
 */
const codeOf = (name: string, reason?: string): string => `${name}${reason ? ` (${reason})` : ''}`;

const OPTED_OUT = 'DESTINATION_PHONE_NUMBER_OPTED_OUT';

/**
 * A client-side fault that is not throttling is permanent (bad address, opted-out number, rejected content). A
 * provider's error of any kind is named by its code alone.
 */
export const classifySendError = (error: unknown): Error => {
  const e = error as Error & { $fault?: string; Reason?: string };
  // SES's LimitExceededException is its sending quota for now, not a refusal of this message.
  if (e?.$fault === 'client' && !isTransientAwsError(e) && e.name !== 'LimitExceededException') {
    // End User Messaging refuses a number that replied STOP with this reason.
    const optedOut = e.Reason === OPTED_OUT || e.message.includes(OPTED_OUT);
    return new PermanentSendError(codeOf(e.name, e.Reason ?? (optedOut ? OPTED_OUT : undefined)), { optedOut });
  }
  if (e?.$fault !== undefined)
    return Object.assign(new Error(codeOf(e.name, e.Reason)), { name: e.name, $fault: e.$fault });
  return e instanceof Error ? e : new Error(String(error));
};
