import { describe, expect, it } from 'vitest';
import {
  hmacCustomerLinks,
  LINK_DAYS,
  signLinkToken,
  verifyLinkToken,
} from '../../functions/adapters/hmac-customer-links';
import { redactLinks } from '../../functions/api/agent-account-view';

const key = Buffer.alloc(32, 9);
const now = new Date('2026-03-02T15:00:00Z');

describe('self-service link tokens', () => {
  it('verify for the account and cycle they were signed for, until they expire', () => {
    const token = signLinkToken(key, 'A1', 'C1', new Date('2026-04-01T15:00:00Z'));
    expect(verifyLinkToken(key, token, now)).toEqual({
      ok: true,
      accountId: 'A1',
      cycleId: 'C1',
      expiresAt: '2026-04-01T15:00:00.000Z',
    });
    expect(verifyLinkToken(key, token, new Date('2026-04-01T15:00:00Z'))).toEqual({
      ok: false,
      reason: 'link expired',
    });
  });

  it('refuse another key, a changed claim and junk', () => {
    const token = signLinkToken(key, 'A1', 'C1', new Date('2026-04-01T15:00:00Z'));
    expect(verifyLinkToken(Buffer.alloc(32, 8), token, now)).toEqual({
      ok: false,
      reason: 'link signature does not match',
    });
    // Swap in another account's claim under the first token's signature.
    const other = signLinkToken(key, 'A2', 'C1', new Date('2026-04-01T15:00:00Z'));
    expect(verifyLinkToken(key, `${other.split('.')[0]}.${token.split('.')[1]}`, now).ok).toBe(false);
    for (const junk of ['', 'abc', 'a.b.c', `${token}.x`]) expect(verifyLinkToken(key, junk, now).ok).toBe(false);
  });

  it('refuse a MAC with junk characters inside: only its one canonical encoding verifies', () => {
    const token = signLinkToken(key, 'A1', 'C1', new Date('2026-04-01T15:00:00Z'));
    const [payload, mac] = token.split('.') as [string, string];
    // A lenient base64url decoder skips '!' and '=': the same bytes, another text.
    for (const bent of [`${mac.slice(0, 5)}!${mac.slice(5)}`, `${mac}=`, `${mac.slice(0, 5)} ${mac.slice(5)}`]) {
      expect(Buffer.from(bent, 'base64url').equals(Buffer.from(mac, 'base64url'))).toBe(true);
      expect(verifyLinkToken(key, `${payload}.${bent}`, now)).toEqual({
        ok: false,
        reason: 'link signature does not match',
      });
    }
  });

  it('expire 30 days after the message and carry the API base', async () => {
    const links = hmacCustomerLinks('https://api.example.com/', async () => key);
    const link = await links.linkFor('A1', 'C1', now);
    expect(link).toMatch(/^https:\/\/api\.example\.com\/c\/[\w-]+\.[\w-]+$/);
    const check = await links.verify(link.split('/c/')[1]!, now);
    expect(check).toMatchObject({
      ok: true,
      accountId: 'A1',
      expiresAt: new Date(now.getTime() + LINK_DAYS * 86_400_000).toISOString(),
    });
  });

  it('are shortened in what collectors read', () => {
    const token = signLinkToken(key, 'A1', 'C1', new Date('2026-04-01T15:00:00Z'));
    expect(redactLinks(`Details: https://x.test/c/${token} Reply STOP`)).toBe('Details: https://x.test/c/… Reply STOP');
  });
});
