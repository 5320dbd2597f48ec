// A loopback proxy in front of a local service (DynamoDB Local, local SES) that fails a share of calls
// with the service's own throttling error before forwarding, so retries are always safe.
import { createServer, request as forward, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Faults } from './faults';

export type FaultStyle = 'dynamodb' | 'rest-json';

const faultResponse = (style: FaultStyle, kind: 'throttle' | 'unavailable') => {
  if (kind === 'unavailable')
    return {
      status: 503,
      headers: { 'x-amzn-errortype': 'ServiceUnavailable' },
      body: { __type: 'ServiceUnavailable', message: 'Service unavailable (injected fault)' },
    };
  return style === 'dynamodb'
    ? {
        status: 400,
        headers: {},
        body: {
          __type: 'com.amazonaws.dynamodb.v20120810#ThrottlingException',
          message: 'Rate of requests exceeds the allowed throughput (injected fault).',
        },
      }
    : {
        status: 429,
        headers: { 'x-amzn-errortype': 'TooManyRequestsException' },
        body: { message: 'Too many requests (injected fault)' },
      };
};

export interface FaultProxy {
  url: string;
  close(): Promise<void>;
}

export const startFaultProxy = async (target: string, style: FaultStyle, faults: Faults): Promise<FaultProxy> => {
  const upstream = new URL(target);
  const server: Server = createServer((incoming, outgoing) => {
    const fault = faults.next();
    if (fault) {
      const { status, headers, body } = faultResponse(style, fault);
      incoming.resume();
      outgoing.writeHead(status, { 'content-type': 'application/x-amz-json-1.0', ...headers });
      outgoing.end(JSON.stringify(body));
      return;
    }
    const proxied = forward(
      {
        host: upstream.hostname,
        port: upstream.port,
        path: incoming.url,
        method: incoming.method,
        headers: incoming.headers,
      },
      (response) => {
        outgoing.writeHead(response.statusCode ?? 502, response.headers);
        response.pipe(outgoing);
      },
    );
    proxied.on('error', (error) => {
      outgoing.writeHead(502);
      outgoing.end(String(error));
    });
    incoming.pipe(proxied);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};
