// One virtual clock for the whole local run, and a discrete-event scheduler: when every execution is
// parked and no work is in flight, the clock jumps to the next due timer. Timers that fall due at the
// same instant fire together, at most one per key (account), so runs are parallel yet deterministic.
import type { Clock } from '../../functions/adapters/clock';

interface Timer { at: number; seq: number; key: string; fire: () => void; cancelled: boolean }

export class Scheduler implements Clock {
  private timers: Timer[] = [];
  private seq = 0;
  private busy = 0;
  private idleWaiters: (() => void)[] = [];
  private current: number;

  constructor(start: number) {
    this.current = start;
  }

  now(): Date {
    return new Date(this.current);
  }

  get time(): number {
    return this.current;
  }

  /** Runs `fire` at virtual time `at` (never earlier than now); returns a cancel function. */
  schedule(at: number, key: string, fire: () => void): () => void {
    const timer: Timer = { at: Math.max(at, this.current), seq: this.seq++, key, fire, cancelled: false };
    this.timers.push(timer);
    this.sortPending = true;
    return () => { timer.cancelled = true; };
  }

  private sortPending = false;

  /** Marks work in flight: the clock stands still until every `enter` has its `leave`. */
  enter(): void {
    this.busy += 1;
  }

  leave(): void {
    this.busy -= 1;
    if (this.busy < 0) throw new Error('scheduler: leave() without enter()');
    if (this.busy === 0) for (const wake of this.idleWaiters.splice(0)) wake();
  }

  /** Resolves once nothing is in flight, after letting queued callbacks settle. */
  async idle(): Promise<void> {
    for (;;) {
      if (this.busy > 0) await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
      await new Promise((resolve) => setImmediate(resolve));
      if (this.busy === 0) return;
    }
  }

  private nextBatch(until: number): Timer[] {
    if (this.sortPending) {
      this.timers = this.timers.filter((t) => !t.cancelled).sort((a, b) => a.at - b.at || a.seq - b.seq);
      this.sortPending = false;
    }
    while (this.timers[0]?.cancelled) this.timers.shift();
    const first = this.timers[0];
    if (!first || first.at >= until) return [];
    const batch: Timer[] = [];
    const keys = new Set<string>();
    const rest: Timer[] = [];
    for (const timer of this.timers) {
      if (timer.cancelled) continue;
      if (timer.at === first.at && !keys.has(timer.key)) {
        keys.add(timer.key);
        batch.push(timer);
      } else {
        rest.push(timer);
      }
    }
    this.timers = rest;
    return batch;
  }

  /** Advances virtual time up to (not including) `until`, firing timers as they fall due. */
  async runUntil(until: number, onAdvance?: (time: number) => void): Promise<void> {
    for (;;) {
      await this.idle();
      const batch = this.nextBatch(until);
      if (batch.length === 0) break;
      this.current = batch[0]!.at;
      onAdvance?.(this.current);
      for (const timer of batch) timer.fire();
    }
    await this.idle();
    this.current = Math.max(this.current, until);
  }

  /** Timers still pending (for tests and progress output). */
  get pending(): number {
    return this.timers.filter((t) => !t.cancelled).length;
  }
}
