// The one HTTP API (docs/contract.md §7): customer links, collectors' routes and the two pages. Served by API
// Gateway + Lambda in AWS and by @hono/node-server locally; every action becomes a §1 event on the bus.
import { Hono, type Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { secureHeaders } from 'hono/secure-headers';
import { agentRoutes } from './agent-routes';
import { customerRoutes } from './customer-routes';
import type { ApiDeps } from './deps';
import { LOCALES, type Locale } from '../domain/money';
import { deskPage } from './pages/desk-page';
import { pageHeaders, scriptNonce } from './pages/layout';
import { ApiProblem, problemOf, problemResponse } from './problem';
import { rateLimiter } from './rate-limit';

/** The caller's address: API Gateway's `sourceIp` in Lambda, the socket's peer on @hono/node-server. */
const clientAddress = (c: Context): string => {
  const env = c.env as
    | { requestContext?: { http?: { sourceIp?: string } }; incoming?: { socket?: { remoteAddress?: string } } }
    | undefined;
  return env?.requestContext?.http?.sourceIp ?? env?.incoming?.socket?.remoteAddress ?? 'unknown';
};

/** The link token a customer route is reached by (`/c/{token}…`, `/api/customer/{token}…`). */
const LINK_PATH = /^\/(?:c|api\/customer)\/([^/]+)/;

export const makeApi = (deps: ApiDeps): Hono => {
  const app = new Hono();
  // Every response: HTTPS only from now on (browsers ignore it over plain HTTP, as locally), never framed or sniffed,
  // no referrer. The pages add their own Content-Security-Policy (pages/layout.ts).
  app.use(
    secureHeaders({
      strictTransportSecurity: 'max-age=63072000; includeSubDomains',
      xFrameOptions: 'DENY',
      referrerPolicy: 'no-referrer',
      crossOriginEmbedderPolicy: false,
    }),
  );
  // Account data is never kept by a browser or a proxy (docs/contract.md §10.7); the pages set the same themselves.
  app.use('/api/*', async (c, next) => {
    await next();
    c.header('cache-control', 'no-store');
  });
  // Per client, before any work: by address for every request, by link for the customer's routes; the collectors'
  // routes take theirs once the token names the collector (agent-routes.ts).
  const limiter = rateLimiter(deps.rateLimits);
  app.use(async (c, next) => {
    limiter.take('address', clientAddress(c));
    const link = LINK_PATH.exec(c.req.path)?.[1];
    if (link) limiter.take('link', link);
    await next();
  });
  app.route('/', customerRoutes(deps));
  app.route('/', agentRoutes(deps, limiter));
  app.get('/desk', (c) => {
    const wanted = c.req.query('lang') ?? (/^zh\b/i.test(c.req.header('accept-language') ?? '') ? 'zh-CN' : 'en-US');
    const locale: Locale = (LOCALES as readonly string[]).includes(wanted) ? (wanted as Locale) : 'en-US';
    const connect = deps.deskSignIn.kind === 'cognito' ? [`https://${deps.deskSignIn.domain}`] : [];
    const nonce = scriptNonce();
    return c.html(deskPage(locale, deps.deskSignIn, nonce), 200, pageHeaders(connect, nonce));
  });
  app.notFound((c) => problemResponse(c, problemOf(404, `Nothing at ${c.req.method} ${c.req.path}.`)));
  app.onError((error, c) => {
    if (error instanceof ApiProblem)
      return problemResponse(c, problemOf(error.status, error.message, error.errors), error.retryAfterSeconds);
    if (error instanceof HTTPException && error.status === 400)
      return problemResponse(c, problemOf(422, error.message, [{ field: 'body', reason: error.message }]));
    deps.log.error('api error', { path: c.req.routePath, error: (error as Error).message });
    return problemResponse(c, problemOf(500, 'Something went wrong on our side; nothing was changed by this request.'));
  });
  return app;
};
