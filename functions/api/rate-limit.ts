// Per-client rate limits in the app (docs/contract.md §7): a token bucket per source address, per customer link and
// per collector, so one client cannot spend the route's whole stage limit that every other caller shares. In AWS each
// function instance keeps its own buckets; API Gateway's per-route throttles stay the limit on the whole.
import { ApiProblem } from './problem';

/** A bucket holds up to `burst` requests and refills at `perSecond`. */
export interface BucketRule {
  perSecond: number;
  burst: number;
}

export type Taken = { ok: true } | { ok: false; retryAfterSeconds: number };

interface Bucket {
  tokens: number;
  at: number;
}

/** Buckets kept at most, so a flood of new keys (made-up links) costs bounded memory: the least recent goes first. */
export const MAX_CLIENTS = 10_000;

/** Token buckets by client key under one rule. `now` is in milliseconds (the wall clock: rates are real time). */
export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    readonly rule: BucketRule,
    private readonly now: () => number = Date.now,
    private readonly maxClients = MAX_CLIENTS,
  ) {}

  /** Takes one request from `key`'s bucket, or says how many whole seconds until one is there. */
  take(key: string): Taken {
    const now = this.now();
    const last = this.buckets.get(key);
    const tokens = last
      ? Math.min(this.rule.burst, last.tokens + ((now - last.at) / 1000) * this.rule.perSecond)
      : this.rule.burst;
    // Re-inserted, so the map's order is least recently used first.
    this.buckets.delete(key);
    if (tokens < 1) {
      this.buckets.set(key, { tokens, at: now });
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - tokens) / this.rule.perSecond)) };
    }
    this.buckets.set(key, { tokens: tokens - 1, at: now });
    if (this.buckets.size > this.maxClients) this.buckets.delete(this.buckets.keys().next().value!);
    return { ok: true };
  }

  get size(): number {
    return this.buckets.size;
  }
}

/** The app's limits, by who is asking. */
export interface RateLimits {
  /** Every request, by source address (also those that fail to sign in). */
  address: BucketRule;
  /** The customer routes, by link token: one person's page. */
  link: BucketRule;
  /** The collectors' routes, by the token's subject. */
  collector: BucketRule;
  /** Inbound calls, by collector: each opens an account, so fewer than other requests. */
  inbound: BucketRule;
}

/**
 * Far above what a person at a page or a desk sends (a desk polls its queue, a page loads once per action), far below
 * what one client could take of the stage's limit shared by all (50 requests a second for customer routes).
 */
export const DEFAULT_RATE_LIMITS: RateLimits = {
  address: { perSecond: 40, burst: 100 },
  link: { perSecond: 5, burst: 30 },
  collector: { perSecond: 20, burst: 60 },
  inbound: { perSecond: 1 / 6, burst: 10 },
};

/** The app's buckets, one set per app (per function instance in AWS). */
export const rateLimiter = (limits: RateLimits = DEFAULT_RATE_LIMITS, now?: () => number) => {
  const buckets = Object.fromEntries(
    Object.entries(limits).map(([name, rule]) => [name, new TokenBuckets(rule, now)]),
  ) as Record<keyof RateLimits, TokenBuckets>;
  return {
    /** Takes a request from `key`'s bucket of kind `kind`, or refuses it with a 429 saying when to try again. */
    take(kind: keyof RateLimits, key: string): void {
      const taken = buckets[kind].take(key);
      if (!taken.ok)
        throw new ApiProblem(
          429,
          `Too many requests from this ${kind}: try again in ${taken.retryAfterSeconds} s.`,
          undefined,
          taken.retryAfterSeconds,
        );
    },
  };
};
export type RateLimiter = ReturnType<typeof rateLimiter>;
