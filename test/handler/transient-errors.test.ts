// Throttles and server faults reach the workflow under a name its Retry lists (docs/contract.md §10.4): the link key
// that Powertools wraps as GetParameterError (Remind, OfferPlan, SendLetter) and S3's SlowDown and InternalError
// (SendLetter). The real classification, the real SDK clients and Powertools against a loopback endpoint that answers
// as the services do; the names are checked against the state machine's own list.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GetParameterError } from '@aws-lambda-powertools/parameters';
import { IdempotencyPersistenceLayerError } from '@aws-lambda-powertools/idempotency';
import { DynamoDBServiceException } from '@aws-sdk/client-dynamodb';
import { S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import {
  InternalServiceError,
  ResourceNotFoundException,
  SecretsManagerServiceException,
} from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linkKeyFromSecret } from '../../functions/adapters/aws/link-key';
import { s3Documents } from '../../functions/adapters/aws/s3-documents';
import { classifySendError } from '../../functions/adapters/aws/send-errors';
import { asRetryable } from '../../functions/adapters/aws/transient-errors';
import { PermanentSendError } from '../../functions/errors';
import { TRANSIENT_ERRORS } from '../../workflows/definition/collection-workflow';

/** Whether Step Functions would retry a task that failed with `error` (it matches the error's name). */
const retried = (error: unknown) => TRANSIENT_ERRORS.includes((error as Error).name);
const metadata = (httpStatusCode: number) => ({ $metadata: { httpStatusCode } });

describe('the classification', () => {
  it("makes S3's SlowDown and InternalError transient, under a name the workflow retries", () => {
    const slowDown = new S3ServiceException({
      name: 'SlowDown',
      $fault: 'server',
      ...metadata(503),
      message: 'Please reduce your request rate.',
    });
    const internal = new S3ServiceException({
      name: 'InternalError',
      $fault: 'server',
      ...metadata(500),
      message: 'We encountered an internal error.',
    });
    // As they come from the SDK, no Retry names them: one throttle failed the cycle.
    expect([retried(slowDown), retried(internal)]).toEqual([false, false]);
    const mapped = [asRetryable(slowDown, 'documents: put k'), asRetryable(internal, 'documents: put k')];
    expect(mapped.map(retried)).toEqual([true, true]);
    expect((mapped[0] as Error).message).toBe('documents: put k: SlowDown: Please reduce your request rate.');
    expect((mapped[0] as Error).cause).toBe(slowDown);
  });

  it("looks through Powertools' GetParameterError to the Secrets Manager error it wraps", () => {
    const throttled = new GetParameterError('Rate exceeded', {
      cause: new SecretsManagerServiceException({
        name: 'ThrottlingException',
        $fault: 'client',
        ...metadata(400),
        message: 'Rate exceeded',
      }),
    });
    const failed = new GetParameterError('internal', {
      cause: new InternalServiceError({ ...metadata(500), message: 'internal' }),
    });
    expect([retried(throttled), retried(failed)]).toEqual([false, false]);
    expect([asRetryable(throttled, 'link key'), asRetryable(failed, 'link key')].map(retried)).toEqual([true, true]);
  });

  it("looks through Powertools' IdempotencyPersistenceLayerError to a throttle of the send-once record's table", () => {
    const throttled = new IdempotencyPersistenceLayerError('Failed to update record state', {
      cause: new DynamoDBServiceException({
        name: 'ThrottlingException',
        $fault: 'client',
        ...metadata(400),
        message: 'Rate exceeded',
      }),
    });
    expect(retried(throttled)).toBe(false);
    expect(retried(asRetryable(throttled, 'send-once record'))).toBe(true);
  });

  it('leaves what a retry would not mend as it is: a missing secret, a refused object, a bare wrapper', () => {
    const missing = new GetParameterError('not found', {
      cause: new ResourceNotFoundException({ ...metadata(400), message: 'no such secret' }),
    });
    const denied = new S3ServiceException({ name: 'AccessDenied', $fault: 'client', ...metadata(403), message: 'no' });
    const bare = new GetParameterError('Unable to transform value');
    for (const error of [missing, denied, bare]) {
      expect(asRetryable(error, 'x')).toBe(error);
      expect(retried(error)).toBe(false);
    }
  });

  it('still tells a refused message from a throttled one for the senders, with the same list', () => {
    const throttled = Object.assign(new Error('slow down'), { name: 'ThrottlingException', $fault: 'client' });
    const quota = Object.assign(new Error('Daily quota'), { name: 'LimitExceededException', $fault: 'client' });
    const refused = Object.assign(new Error('bad address'), { name: 'BadRequestException', $fault: 'client' });
    // Retried under the same name, the provider's own words left out (they may hold the address).
    for (const error of [throttled, quota]) {
      const classified = classifySendError(error);
      expect(classified).not.toBeInstanceOf(PermanentSendError);
      expect(classified).toMatchObject({ name: error.name, $fault: 'client' });
      expect(classified.message).not.toContain(error.message);
    }
    expect(classifySendError(refused)).toBeInstanceOf(PermanentSendError);
  });
});

/**
 * A loopback endpoint that answers as the services do: Secrets Manager's JSON errors by the secret's name, S3's XML
 * errors by the object's key.
 */
const answers: Record<string, { status: number; code: string }> = {
  'throttled-secret': { status: 400, code: 'ThrottlingException' },
  'missing-secret': { status: 400, code: 'ResourceNotFoundException' },
  'letters/slow.pdf': { status: 503, code: 'SlowDown' },
  'letters/internal.pdf': { status: 500, code: 'InternalError' },
  'letters/denied.pdf': { status: 403, code: 'AccessDenied' },
};
let server: Server;
let url: string;
const saved = { ...process.env };

beforeAll(async () => {
  server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    if (String(request.headers['x-amz-target']).startsWith('secretsmanager.')) {
      const { SecretId } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { SecretId: string };
      const { status, code } = answers[SecretId]!;
      response.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': code });
      response.end(JSON.stringify({ __type: code, message: `${code} (loopback)` }));
      return;
    }
    const key = decodeURIComponent(new URL(request.url!, url).pathname).replace(/^\/documents\//, '');
    const { status, code } = answers[key] ?? { status: 404, code: 'NoSuchBucket' };
    response.writeHead(status, { 'content-type': 'application/xml' });
    response.end(
      `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${code} (loopback)</Message></Error>`,
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // Powertools builds its own Secrets Manager client: it finds the endpoint where the SDK looks, and tries once.
  process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER = url;
  process.env.AWS_MAX_ATTEMPTS = '1';
});

afterAll(async () => {
  process.env = saved;
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('the adapters', () => {
  it('raises a throttled link key as a TransientError, and a missing one as it was', async () => {
    const throttled = await linkKeyFromSecret('throttled-secret')().catch((e: unknown) => e);
    expect(throttled).toMatchObject({ name: 'TransientError' });
    expect((throttled as Error).message).toMatch(/^link key: secret throttled-secret: ThrottlingException: /);
    expect(retried(throttled)).toBe(true);
    const missing = await linkKeyFromSecret('missing-secret')().catch((e: unknown) => e);
    expect(missing).toMatchObject({ name: 'GetParameterError' });
    expect(retried(missing)).toBe(false);
  });

  it("raises S3's SlowDown and InternalError as TransientError, and AccessDenied as it was", async () => {
    const client = new S3Client({ endpoint: url, forcePathStyle: true, maxAttempts: 1 });
    const documents = s3Documents(client, 'documents');
    const put = (key: string) => documents.put(key, new Uint8Array([37, 80, 68, 70]), 'application/pdf');
    const failures = await Promise.all(
      ['letters/slow.pdf', 'letters/internal.pdf', 'letters/denied.pdf'].map((key) => put(key).catch((e) => e)),
    );
    expect(failures.map((e: Error) => e.name)).toEqual(['TransientError', 'TransientError', 'AccessDenied']);
    expect(failures.map(retried)).toEqual([true, true, false]);
    expect(failures[0].message).toMatch(/^documents: put letters\/slow\.pdf: SlowDown: /);
  });
});
