// One loopback HTTP endpoint that speaks the AWS JSON protocol for the calls handlers make besides
// DynamoDB and SES: Step Functions (StartExecution, SendTaskSuccess/Failure), EventBridge PutEvents,
// SQS SendMessage (the dead-letter queue) and End User Messaging SendTextMessage.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Faults } from './faults';

/** An AWS error: its `code` becomes the error's name in the SDK. */
export class AwsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

/** Who signed the request: the access key id of its SigV4 `Authorization` header (the local stand-in for a role). */
export interface Caller {
  accessKeyId: string | null;
}

export type Operation = (
  request: Record<string, unknown>,
  caller: Caller,
) => Record<string, unknown> | Promise<Record<string, unknown>>;

/** Operations by X-Amz-Target, e.g. `AWSStepFunctions.StartExecution`. */
export type Operations = Record<string, Operation>;

const readBody = async (request: IncomingMessage): Promise<string> => {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
};

/**
 * The request's JSON object, or the error AWS answers for a body it cannot read: a body that is not JSON is a
 * SerializationException, one that is JSON but not an object (`null`, a list) a ValidationException; both 400.
 */
const requestOf = (body: string): Record<string, unknown> => {
  if (!body) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new AwsError('SerializationException', 'The request body is not valid JSON.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new AwsError('ValidationException', 'The request body must be a JSON object.');
  return parsed as Record<string, unknown>;
};

/** `AWS4-HMAC-SHA256 Credential=<access key id>/<date>/<region>/<service>/aws4_request, …` */
const callerOf = (request: IncomingMessage): Caller => ({
  accessKeyId: /Credential=([^/,\s]+)\//.exec(String(request.headers.authorization ?? ''))?.[1] ?? null,
});

const reply = (response: ServerResponse, status: number, body: unknown, errorType?: string) => {
  response.writeHead(status, {
    'content-type': 'application/x-amz-json-1.0',
    ...(errorType ? { 'x-amzn-errortype': errorType, 'x-amzn-query-error': `${errorType};Sender` } : {}),
  });
  response.end(JSON.stringify(body));
};

export interface AwsEndpoint {
  url: string;
  calls: Record<string, number>;
  close(): Promise<void>;
}

/** Read-only JSON a person can open in a browser (GET by path), beside the AWS operations: the SMS inbox. */
export type Views = Record<string, () => unknown>;

export const startAwsEndpoint = async (
  operations: Operations,
  faults: Faults,
  views: Views = {},
): Promise<AwsEndpoint> => {
  const calls: Record<string, number> = {};
  const server: Server = createServer(async (request, response) => {
    const view = request.method === 'GET' ? views[new URL(request.url ?? '/', 'http://local').pathname] : undefined;
    if (view) {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(view(), null, 2));
      return;
    }
    const target = String(request.headers['x-amz-target'] ?? '');
    try {
      const body = await readBody(request);
      const operation = operations[target];
      if (!operation)
        throw new AwsError(
          'UnknownOperationException',
          `local endpoint: ${target || 'no X-Amz-Target'} is not served here`,
        );
      const fault = faults.next();
      if (fault === 'throttle') throw new AwsError('ThrottlingException', 'Rate exceeded (injected fault)');
      if (fault === 'unavailable')
        throw new AwsError('ServiceUnavailable', 'Service unavailable (injected fault)', 503);
      calls[target] = (calls[target] ?? 0) + 1;
      reply(response, 200, await operation(requestOf(body), callerOf(request)));
    } catch (error) {
      if (error instanceof AwsError)
        reply(response, error.status, { __type: error.code, message: error.message }, error.code);
      else reply(response, 500, { __type: 'InternalFailure', message: (error as Error).message }, 'InternalFailure');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};
