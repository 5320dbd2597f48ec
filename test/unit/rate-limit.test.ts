// The per-client token buckets of the HTTP API (functions/api/rate-limit.ts), on a hand-turned clock.
import { describe, expect, it } from 'vitest';
import { rateLimiter, TokenBuckets } from '../../functions/api/rate-limit';
import { ApiProblem } from '../../functions/api/problem';

const clock = () => {
  let ms = 0;
  return { now: () => ms, pass: (seconds: number) => (ms += seconds * 1000) };
};

describe('token buckets', () => {
  it('lets a burst through, then refuses until a token refills, saying how long to wait', () => {
    const time = clock();
    const buckets = new TokenBuckets({ perSecond: 2, burst: 3 }, time.now);
    expect([1, 2, 3].map(() => buckets.take('a').ok)).toEqual([true, true, true]);
    // Empty: one token comes in half a second, which is said as a whole second.
    expect(buckets.take('a')).toEqual({ ok: false, retryAfterSeconds: 1 });
    time.pass(0.5);
    expect(buckets.take('a')).toEqual({ ok: true });
    expect(buckets.take('a').ok).toBe(false);
  });

  it('keeps one bucket per client: one client emptying its own leaves the others theirs', () => {
    const time = clock();
    const buckets = new TokenBuckets({ perSecond: 1, burst: 1 }, time.now);
    expect(buckets.take('a').ok).toBe(true);
    expect(buckets.take('a').ok).toBe(false);
    expect(buckets.take('b').ok).toBe(true);
  });

  it('refills no more than the burst however long a client was away', () => {
    const time = clock();
    const buckets = new TokenBuckets({ perSecond: 1, burst: 2 }, time.now);
    buckets.take('a');
    time.pass(3600);
    expect([1, 2, 3].map(() => buckets.take('a').ok)).toEqual([true, true, false]);
  });

  it('says a slow bucket’s wait in whole seconds: 1 every 6 s, empty, is 6 s', () => {
    const time = clock();
    const buckets = new TokenBuckets({ perSecond: 1 / 6, burst: 1 }, time.now);
    buckets.take('a');
    expect(buckets.take('a')).toEqual({ ok: false, retryAfterSeconds: 6 });
  });

  it('holds at most its cap of clients, letting the least recent go', () => {
    const time = clock();
    const buckets = new TokenBuckets({ perSecond: 1, burst: 1 }, time.now, 2);
    buckets.take('a');
    buckets.take('b');
    buckets.take('a'); // a is now the most recent (and empty)
    buckets.take('c'); // b goes
    expect(buckets.size).toBe(2);
    expect(buckets.take('a').ok).toBe(false);
    expect(buckets.take('b').ok).toBe(true); // a fresh bucket: b was forgotten
  });
});

describe('the rate limiter', () => {
  it('refuses with a 429 problem that carries the seconds to wait', () => {
    const time = clock();
    const limiter = rateLimiter(
      {
        address: { perSecond: 1, burst: 1 },
        link: { perSecond: 1, burst: 1 },
        collector: { perSecond: 1, burst: 1 },
        inbound: { perSecond: 1 / 60, burst: 1 },
      },
      time.now,
    );
    limiter.take('inbound', 'agent-1');
    let refused: unknown;
    try {
      limiter.take('inbound', 'agent-1');
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(ApiProblem);
    expect(refused).toMatchObject({ status: 429, retryAfterSeconds: 60 });
    // Another kind of bucket for the same key is its own.
    expect(() => limiter.take('collector', 'agent-1')).not.toThrow();
  });
});
