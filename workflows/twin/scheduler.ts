// The discrete-event scheduler of local runs. Only the accounts of one person interact (docs/contract.md §11.1), so
// each person (a key; an account alone is its own) keeps its own virtual clock: a key's next timer fires only when
// everything it set off has settled (its executions parked, its deliveries done), and its clock then jumps to that
// timer. Different people advance concurrently. Each account sees exactly the sequence it would see under one
// global clock, so outcomes are the same; runs are as fast as DynamoDB Local allows.
import { AsyncLocalStorage } from 'node:async_hooks';
import { pacedNow, type LivePace } from './live-pace';
import type { Clock } from '../../functions/ports';

interface Timer {
  at: number;
  seq: number;
  fire: () => unknown;
  cancelled: boolean;
  /** An inbound delivery: what the interleaving may bring forward, between two states of an execution. */
  delivery: boolean;
}
interface Key {
  name: string;
  time: number;
  busy: number;
  settling: boolean;
  timers: Timer[];
  sorted: boolean;
}

/**
 * Which of an account's `tied` timers due in one instant fires first, as an index into them (the interleaving's
 * choice, interleaving.ts); without one, the first scheduled.
 */
export type TieBreak = (name: string, tied: number) => number;

/** How often live mode looks at the clock when nothing wakes it (at speed 60: every 3 virtual seconds). */
const LIVE_TICK_MS = 50;

/** Accounts in flight at once: enough to keep DynamoDB Local busy, few enough to stay responsive. */
const DEFAULT_CONCURRENCY = 48;

export class Scheduler {
  private readonly keys = new Map<string, Key>();
  /** Accounts that share a person's clock, by account: the person's key. */
  private readonly groups = new Map<string, string>();
  private readonly ready = new Set<Key>();
  private busyKeys = 0;
  private seq = 0;
  private wake: (() => void) | undefined;
  private idleWaiters: (() => void)[] = [];
  private until = Infinity;
  private pace: LivePace | undefined;
  private tieBreak: TieBreak | undefined;
  /** Runs work in the async context the scheduler was made in: no function's invocation (usage.ts). */
  private readonly outside = AsyncLocalStorage.snapshot();

  constructor(
    readonly start: number,
    private readonly concurrency = DEFAULT_CONCURRENCY,
  ) {}

  /**
   * Puts an account on its person's clock (docs/contract.md §11.1), before anything is scheduled for it: the
   * person's accounts then see one another's changes in the order one global clock would show them.
   */
  join(account: string, person: string): void {
    if (account === person) return;
    if (this.keys.has(account)) throw new Error(`scheduler: ${account} has its own clock already`);
    this.groups.set(account, person);
  }

  private key(account: string): Key {
    const name = this.groups.get(account) ?? account;
    let key = this.keys.get(name);
    if (!key) {
      key = { name, time: this.start, busy: 0, settling: false, timers: [], sorted: true };
      this.keys.set(name, key);
    }
    return key;
  }

  /** The virtual clock of one account. */
  clock(name: string): Clock {
    const key = this.key(name);
    return { now: () => new Date(key.time) };
  }

  timeOf(name: string): number {
    return this.key(name).time;
  }

  private next(key: Key): Timer | undefined {
    if (!key.sorted) {
      key.timers = key.timers.filter((t) => !t.cancelled).sort((a, b) => a.at - b.at || a.seq - b.seq);
      key.sorted = true;
    }
    while (key.timers[0]?.cancelled) key.timers.shift();
    return key.timers[0];
  }

  private consider(key: Key) {
    const next = this.next(key);
    if (key.busy === 0 && next && next.at < this.until) this.ready.add(key);
    else this.ready.delete(key);
    this.signal();
  }

  private signal() {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  /**
   * Runs `fire` when the account's clock reaches `at` (never earlier than its now); returns a cancel function. A
   * `delivery` is an inbound event's arrival; its `fire` resolves once the intake is done with it.
   */
  schedule(at: number, name: string, fire: () => unknown, delivery = false): () => void {
    const key = this.key(name);
    const timer: Timer = { at: Math.max(at, key.time), seq: this.seq++, fire, cancelled: false, delivery };
    key.timers.push(timer);
    key.sorted = false;
    this.consider(key);
    return () => {
      timer.cancelled = true;
      key.sorted = false;
    };
  }

  /**
   * Delivers the account's next inbound event now, while its execution is between two states, if that event is the
   * account's next timer and due within `horizonMs`: the clock moves on to its arrival, as it would while the next
   * task waited out a retry's backoff. Resolves once the intake is done with it; null when there is none to bring.
   */
  pullDelivery(name: string, horizonMs: number): Promise<void> | null {
    const key = this.key(name);
    const timer = this.next(key);
    if (!timer || !timer.delivery || timer.at > key.time + horizonMs || timer.at >= this.until) return null;
    key.timers.shift();
    key.time = Math.max(key.time, timer.at);
    // Fired as the scheduler fires it, outside the task that asked: the intake runs as itself, not as that function.
    return Promise.resolve(this.outside(() => timer.fire())).then(() => undefined);
  }

  /**
   * From now on, `tieBreak` picks which of an account's timers due in the same instant fires first: the completions
   * of concurrent work (an execution's timeout, another's, an event's arrival) are applied in the order it draws, as
   * AWS may apply them in any. Deliveries keep their order among themselves (docs/contract.md §4: events with the
   * same `at` keep their order in the file); a timeout may go before, between or after them.
   */
  breakTiesWith(tieBreak: TieBreak): void {
    this.tieBreak = tieBreak;
  }

  /** Takes the account's next timer off its list (`next` has found one): of a tie, the one the tie-break picks. */
  private take(key: Key): Timer {
    if (!this.tieBreak) return key.timers.shift()!;
    const { at } = key.timers[0]!;
    const candidates: number[] = [];
    let delivery = false;
    for (let i = 0; i < key.timers.length && key.timers[i]!.at === at; i += 1) {
      const timer = key.timers[i]!;
      if (timer.cancelled || (timer.delivery && delivery)) continue;
      delivery ||= timer.delivery;
      candidates.push(i);
    }
    const index = candidates.length > 1 ? candidates[this.tieBreak(key.name, candidates.length)]! : 0;
    return key.timers.splice(index, 1)[0]!;
  }

  /** Work in flight for an account: its clock stands still until every `enter` has its `leave`. */
  enter(name: string): void {
    const key = this.key(name);
    if (key.busy === 0 && !key.settling) this.busyKeys += 1;
    key.busy += 1;
    this.ready.delete(key);
  }

  leave(name: string): void {
    const key = this.key(name);
    key.busy -= 1;
    if (key.busy < 0) throw new Error(`scheduler: leave(${name}) without enter()`);
    if (key.busy > 0 || key.settling) return;
    // Let promise continuations run first: they may pick the work up again (enter) at once.
    key.settling = true;
    setImmediate(() => {
      key.settling = false;
      if (key.busy > 0) return;
      this.busyKeys -= 1;
      this.consider(key);
      if (this.busyKeys === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
    });
  }

  /** Resolves once no account has work in flight. */
  idle(): Promise<void> {
    if (this.busyKeys === 0) return new Promise((resolve) => setImmediate(resolve));
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** The earliest clock among accounts with work still to do before `until` (for progress output). */
  laggard(): number {
    let min = Infinity;
    for (const key of this.keys.values()) {
      const next = this.next(key);
      if (key.busy > 0) min = Math.min(min, key.time);
      else if (next && next.at < this.until) min = Math.min(min, next.at);
    }
    return Number.isFinite(min) ? min : this.until;
  }

  /** Fires the due timers of ready accounts, as many accounts at once as the concurrency allows. */
  private fireReady(): void {
    while (this.ready.size > 0 && this.busyKeys < this.concurrency) {
      const key = this.ready.values().next().value as Key;
      this.ready.delete(key);
      const next = this.next(key);
      if (!next || key.busy > 0 || next.at >= this.until) continue;
      const timer = this.take(key);
      key.time = Math.max(key.time, timer.at);
      // Hold the account while the timer fires, so its own enter/leave cannot race the loop.
      this.enter(key.name);
      try {
        timer.fire();
      } finally {
        this.leave(key.name);
      }
    }
  }

  /** Advances every account up to (not including) `until`, firing timers as they fall due. */
  async runUntil(until: number, onProgress?: (laggard: number) => void): Promise<void> {
    this.until = until;
    for (const key of this.keys.values()) this.consider(key);
    let lastProgress = 0;
    for (;;) {
      this.fireReady();
      if (onProgress && performance.now() - lastProgress > 250) {
        lastProgress = performance.now();
        onProgress(this.laggard());
      }
      if (this.busyKeys === 0 && this.ready.size === 0) break;
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
    }
    onProgress?.(until);
    for (const key of this.keys.values()) key.time = Math.max(key.time, until);
  }

  /** Live mode's clock: the virtual time now, paced from the wall clock; null when the run is not live. */
  /** Live mode's pace, once it runs: the state file carries it, so clients can tell the virtual time. */
  livePace(): LivePace | undefined {
    return this.pace;
  }

  liveNow(): number | null {
    return this.pace ? pacedNow(this.pace, Date.now()) : null;
  }

  /** When something arriving from outside now happens on an account's clock: live, the paced time. */
  arrivalTime(name: string): number {
    return Math.max(this.key(name).time, this.liveNow() ?? -Infinity);
  }

  /**
   * Live mode: virtual time runs at `speed` × the wall clock from `from` (the scheduler's start, unless a run up to
   * it came first), and timers fire as it reaches
   * them, until `signal` aborts. Work that arrives meanwhile (schedule) wakes the loop at once.
   */
  async runLive(speed: number, signal: AbortSignal, from = this.start): Promise<void> {
    this.pace = { virtualStart: from, wallStart: Date.now(), speed };
    const stop = new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
    while (!signal.aborted) {
      this.until = this.liveNow()! + 1;
      for (const key of this.keys.values()) this.consider(key);
      this.fireReady();
      let tick: NodeJS.Timeout | undefined;
      await Promise.race([
        stop,
        new Promise<void>((resolve) => {
          this.wake = resolve;
          tick = setTimeout(resolve, LIVE_TICK_MS);
        }),
      ]);
      // Woken early by new work: drop the tick, or every wake-up would leave a timer behind.
      clearTimeout(tick);
      this.wake = undefined;
    }
  }
}
