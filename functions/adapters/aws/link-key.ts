// The self-service link signing key, from Secrets Manager through Powertools Parameters (cached five minutes).
import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { asRetryable } from './transient-errors';

/** Shortest key accepted: 32 bytes, the HMAC-SHA256 block's worth of secret. */
const MIN_KEY_BYTES = 32;

export const newSecretsClient = () => new SecretsManagerClient({});

export const linkKeyFromSecret = (secretId: string, client: SecretsManagerClient = newSecretsClient()) => {
  const secrets = new SecretsProvider({ awsSdkV3Client: client });
  return async (): Promise<Uint8Array> => {
    let value: Awaited<ReturnType<typeof secrets.get>>;
    try {
      value = await secrets.get(secretId, { maxAge: 300 });
    } catch (error) {
      // Powertools wraps every failure as GetParameterError, which no Retry names: a throttle must stay a retry.
      throw asRetryable(error, `link key: secret ${secretId}`);
    }
    const key =
      typeof value === 'string' ? Buffer.from(value, 'utf8') : value instanceof Uint8Array ? value : undefined;
    if (!key || key.length < MIN_KEY_BYTES)
      throw new Error(`link key: secret ${secretId} must hold at least ${MIN_KEY_BYTES} bytes`);
    return key;
  };
};
