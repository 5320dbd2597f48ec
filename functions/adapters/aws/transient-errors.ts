// Which AWS errors are worth another try, raised under the name the workflow retries (TransientError, docs/contract.md
// §10.4): Step Functions matches errors by name, and a throttle the SDK's own attempts did not get past reaches a
// function under a name of its service's (S3's SlowDown) or of Powertools' (GetParameterError) that no Retry lists.
import { TransientError } from '../../errors';

/** Throttling, server faults and timeouts by the names the SDK gives them. */
const TRANSIENT_NAMES: ReadonlySet<string> = new Set([
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'SlowDown',
  'InternalError',
  'InternalFailure',
  'InternalServerError',
  'InternalServerException',
  'InternalServiceError',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'RequestTimeout',
  'RequestTimeoutException',
  'TimeoutError',
]);

/** Connections that broke or timed out before the service answered. */
const NETWORK_CODES: ReadonlySet<string> = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN']);

interface SdkError {
  name?: string;
  code?: string;
  $fault?: 'client' | 'server';
  $retryable?: { throttling?: boolean };
  $metadata?: { httpStatusCode?: number };
}

/** Throttling, a server fault, a timeout or a broken connection: the same call may succeed later. */
export const isTransientAwsError = (error: unknown): boolean => {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as SdkError;
  const status = e.$metadata?.httpStatusCode ?? 0;
  return (
    TRANSIENT_NAMES.has(e.name ?? '') ||
    NETWORK_CODES.has(e.code ?? '') ||
    e.$fault === 'server' ||
    e.$retryable !== undefined ||
    status === 429 ||
    status >= 500
  );
};

/**
 * `error` as the workflow should see it: a transient one (or the transient cause Powertools' GetParameterError wraps)
 * as a TransientError that names what failed and keeps the original as its cause; any other as it is.
 */
export const asRetryable = (error: unknown, what: string): unknown => {
  // Powertools wraps what the SDK threw: Parameters as GetParameterError, Idempotency's store as
  // IdempotencyPersistenceLayerError; the SDK's own error, inside, says whether it is worth another try.
  const cause =
    error instanceof Error && (error.name === 'GetParameterError' || error.name === 'IdempotencyPersistenceLayerError')
      ? error.cause
      : error;
  if (!isTransientAwsError(cause)) return error;
  const { name, message } = cause as Error;
  return new TransientError(`${what}: ${name}: ${message}`, { cause: error });
};
