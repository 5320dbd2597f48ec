// Self-service links (docs/contract.md §7): `<apiUrl>/c/<token>`, where the token is an HMAC-signed claim for one
// account and cycle that expires 30 days after the message carrying it. It reaches nothing else.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { CustomerLinks, LinkCheck } from '../ports';

/** How long a link in a message stays good. */
export const LINK_DAYS = 30;
const DAY_MS = 86_400_000;

interface Claims {
  a: string;
  c: string;
  e: number;
}

const encode = (value: string | Buffer) => Buffer.from(value).toString('base64url');
const signature = (key: Uint8Array, payload: string) => createHmac('sha256', key).update(payload).digest();

export const signLinkToken = (key: Uint8Array, accountId: string, cycleId: string, expiresAt: Date): string => {
  const payload = encode(
    JSON.stringify({ a: accountId, c: cycleId, e: Math.floor(expiresAt.getTime() / 1000) } satisfies Claims),
  );
  return `${payload}.${encode(signature(key, payload))}`;
};

export const verifyLinkToken = (key: Uint8Array, token: string, now: Date): LinkCheck => {
  const [payload, mac, extra] = token.split('.');
  if (!payload || !mac || extra !== undefined) return { ok: false, reason: 'malformed link token' };
  // Compared as text, in the one canonical encoding: a lenient decode would let junk characters in a MAC verify.
  const expected = Buffer.from(encode(signature(key, payload)));
  const given = Buffer.from(mac);
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { ok: false, reason: 'link signature does not match' };
  let claims: Claims;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Claims;
  } catch {
    return { ok: false, reason: 'malformed link token' };
  }
  if (typeof claims.a !== 'string' || typeof claims.c !== 'string' || typeof claims.e !== 'number')
    return { ok: false, reason: 'malformed link token' };
  if (claims.e * 1000 <= now.getTime()) return { ok: false, reason: 'link expired' };
  return { ok: true, accountId: claims.a, cycleId: claims.c, expiresAt: new Date(claims.e * 1000).toISOString() };
};

/** A link's token is its last path segment; its reference, a digest of the token (no key, no claims in it). */
export const linkReference = (linkOrToken: string): string =>
  createHash('sha256')
    .update(linkOrToken.slice(linkOrToken.lastIndexOf('/') + 1))
    .digest('base64url')
    .slice(0, 22);

/**
 * Links signed with a key the caller provides (Secrets Manager in AWS, cached by Powertools; a generated one locally).
 */
export const hmacCustomerLinks = (baseUrl: string, current: () => Promise<Uint8Array>): CustomerLinks => {
  const base = baseUrl.replace(/\/+$/, '');
  return {
    async linkFor(accountId, cycleId, sentAt) {
      const expiresAt = new Date(sentAt.getTime() + LINK_DAYS * DAY_MS);
      return `${base}/c/${signLinkToken(await current(), accountId, cycleId, expiresAt)}`;
    },
    async verify(token, now) {
      return verifyLinkToken(await current(), token, now);
    },
    referenceOf: linkReference,
  };
};
