// Transient faults for the local endpoints: a share of calls fail with throttling or a 503 before the
// service acts on them, as a throttled or timed-out AWS call would. Retries must hide them all.
import type { Random } from './random';

export interface Faults {
  /** Decides whether this call fails; counts what it injected. */
  next(): 'throttle' | 'unavailable' | null;
  readonly injected: number;
}

export const faults = (rate: number, random: Random): Faults => {
  let injected = 0;
  return {
    next() {
      if (rate <= 0 || random() >= rate) return null;
      injected += 1;
      return random() < 0.5 ? 'throttle' : 'unavailable';
    },
    get injected() {
      return injected;
    },
  };
};

export const noFaults: Faults = { next: () => null, injected: 0 };
