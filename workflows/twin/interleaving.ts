// Interleaving for deterministic simulation testing (docs/simulation.md, "Interleaving"): before a
// task runs, an inbound event due soon may be delivered first, between two states of the execution, as happens in
// AWS when an event arrives while a loop is running or while a task waits out its retry's backoff. A retry after a
// failed attempt passes the same point, so an event may change the state between an attempt and its retry. And
// work that completes in the same virtual instant (an execution's timeout, another execution's, an event's
// arrival) is applied in an order drawn for it, so a race between them is tried both ways. The choices come from
// the seed and the account alone, so a run with the same seed makes the same ones.
import { seededRandom, type Random } from './random';
import type { Scheduler } from './scheduler';

export interface InterleavingOptions {
  /** Share of task starts before which the account's next inbound event is delivered, if one is due in time. */
  rate: number;
  seed: number;
  /** How far ahead an event may be brought (default 10 minutes: a task's retries back off for about as long). */
  horizonMs?: number;
}

/** The hook the engine calls before each task: resolves once whatever it chose to deliver first is done. */
export type BetweenStates = (accountId: string, state: string) => Promise<void>;

const DEFAULT_HORIZON_MS = 10 * 60_000;

/** A per-account seed: the same account makes the same choices whichever accounts run beside it. */
const accountSeed = (seed: number, accountId: string): number => {
  let h = seed >>> 0;
  for (let i = 0; i < accountId.length; i += 1) h = Math.imul(h ^ accountId.charCodeAt(i), 0x01000193) >>> 0;
  return h;
};

/** The engine's hook, how many events it has delivered between states so far, and how many ties it reordered. */
export interface Interleaving {
  betweenStates: BetweenStates;
  delivered(): number;
  /** Ties (timers of one account due in one instant) where another than the first scheduled went first. */
  reordered(): number;
}

/** Each account's own sources, one per kind of choice: drawing for one kind never shifts the other's draws. */
const perAccount = (seed: number, kind: string) => {
  const randoms = new Map<string, Random>();
  return (accountId: string): Random => {
    let random = randoms.get(accountId);
    if (!random) randoms.set(accountId, (random = seededRandom(accountSeed(seed, `${kind}${accountId}`))));
    return random;
  };
};

export const interleaving = (scheduler: Scheduler, options: InterleavingOptions): Interleaving => {
  const horizon = options.horizonMs ?? DEFAULT_HORIZON_MS;
  // The between-states draws keep the stream they had before ties were reordered (the account id alone).
  const between = perAccount(options.seed, '');
  const ties = perAccount(options.seed, 'ties:');
  let delivered = 0;
  let reordered = 0;
  scheduler.breakTiesWith((accountId, tied) => {
    const index = Math.floor(ties(accountId)() * tied);
    if (index > 0) reordered += 1;
    return index;
  });
  return {
    delivered: () => delivered,
    reordered: () => reordered,
    betweenStates: async (accountId) => {
      if (between(accountId)() >= options.rate) return;
      const delivery = scheduler.pullDelivery(accountId, horizon);
      if (!delivery) return;
      delivered += 1;
      await delivery;
    },
  };
};
