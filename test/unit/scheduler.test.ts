import { describe, expect, it } from 'vitest';
import { interleaving } from '../../workflows/twin/interleaving';
import { Scheduler } from '../../workflows/twin/scheduler';

const T0 = Date.parse('2026-01-05T00:00:00Z');

describe('per-account virtual clocks', () => {
  it('fires timers of one account at the same instant in the order they were scheduled', async () => {
    const scheduler = new Scheduler(T0);
    const fired: string[] = [];
    for (const name of ['first', 'second', 'third']) scheduler.schedule(T0 + 1000, 'A', () => fired.push(name));
    await scheduler.runUntil(T0 + 10_000);
    expect(fired).toEqual(['first', 'second', 'third']);
  });

  it('jumps each account to its next timer and never fires at or after until', async () => {
    const scheduler = new Scheduler(T0);
    const seen: [string, string][] = [];
    const note = (key: string) => () => seen.push([key, scheduler.clock(key).now().toISOString()]);
    scheduler.schedule(T0 + 86_400_000, 'A', note('A'));
    scheduler.schedule(T0 + 3_600_000, 'B', note('B'));
    scheduler.schedule(T0 + 2 * 86_400_000, 'A', note('A-late'));
    await scheduler.runUntil(T0 + 2 * 86_400_000);
    expect(seen.sort()).toEqual([
      ['A', '2026-01-06T00:00:00.000Z'],
      ['B', '2026-01-05T01:00:00.000Z'],
    ]);
    expect(scheduler.timeOf('A')).toBe(T0 + 2 * 86_400_000);
  });

  it("holds an account's clock while its work is in flight", async () => {
    const scheduler = new Scheduler(T0);
    const order: string[] = [];
    scheduler.schedule(T0 + 1000, 'A', () => {
      scheduler.enter('A');
      order.push('work starts');
      setTimeout(() => {
        order.push('work ends');
        scheduler.leave('A');
      }, 20);
    });
    scheduler.schedule(T0 + 2000, 'A', () => order.push(`next timer at ${scheduler.timeOf('A') - T0}`));
    await scheduler.runUntil(T0 + 10_000);
    expect(order).toEqual(['work starts', 'work ends', 'next timer at 2000']);
  });

  it('does not fire a cancelled timer', async () => {
    const scheduler = new Scheduler(T0);
    let fired = false;
    const cancel = scheduler.schedule(T0 + 1000, 'A', () => {
      fired = true;
    });
    cancel();
    await scheduler.runUntil(T0 + 10_000);
    expect(fired).toBe(false);
  });
});

describe('interleaving: an inbound delivery brought between two states', () => {
  it("delivers the account's next event now when it is due within the horizon, and moves the clock to it", async () => {
    const scheduler = new Scheduler(T0);
    const seen: string[] = [];
    scheduler.schedule(T0 + 60_000, 'A', async () => void seen.push(`event at ${scheduler.timeOf('A') - T0}`), true);
    const pulled = scheduler.pullDelivery('A', 5 * 60_000);
    expect(pulled).not.toBeNull();
    await pulled;
    expect(seen).toEqual(['event at 60000']);
    await scheduler.runUntil(T0 + 600_000);
    // Delivered once: the timer it came from is gone.
    expect(seen).toEqual(['event at 60000']);
  });

  it('brings nothing beyond the horizon, nothing that is not a delivery, and nothing behind an earlier timer', () => {
    const scheduler = new Scheduler(T0);
    scheduler.schedule(T0 + 10 * 60_000, 'far', () => undefined, true);
    scheduler.schedule(T0 + 60_000, 'timer', () => undefined);
    scheduler.schedule(T0 + 30_000, 'behind', () => undefined);
    scheduler.schedule(T0 + 60_000, 'behind', () => undefined, true);
    expect(scheduler.pullDelivery('far', 5 * 60_000)).toBeNull();
    expect(scheduler.pullDelivery('timer', 5 * 60_000)).toBeNull();
    expect(scheduler.pullDelivery('behind', 5 * 60_000)).toBeNull();
    expect(scheduler.timeOf('far')).toBe(T0);
  });
});

describe('interleaving: work completing in the same instant, applied in an order drawn from the seed', () => {
  /** The order one account's timers of one instant fire in: `!` marks an event's arrival (a delivery). */
  const firingOrder = async (names: string[], seed?: number) => {
    const scheduler = new Scheduler(T0);
    const interleaved = seed === undefined ? undefined : interleaving(scheduler, { rate: 0, seed });
    const fired: string[] = [];
    for (const name of names)
      scheduler.schedule(T0 + 60_000, 'A', async () => void fired.push(name), name.startsWith('!'));
    await scheduler.runUntil(T0 + 120_000);
    return { fired, reordered: interleaved?.reordered() ?? 0 };
  };
  const SEEDS = Array.from({ length: 24 }, (_, i) => i + 1);

  it('fires them in the order they were scheduled without the interleaving', async () => {
    expect((await firingOrder(['timeout-1', 'timeout-2', '!payment'])).fired).toEqual([
      'timeout-1',
      'timeout-2',
      '!payment',
    ]);
  });

  it('tries every order of two completions across seeds, and the same order again for the same seed', async () => {
    const orders = new Map<number, string>();
    for (const seed of SEEDS) {
      const { fired, reordered } = await firingOrder(['timeout-1', 'timeout-2'], seed);
      expect(reordered).toBe(fired[0] === 'timeout-1' ? 0 : 1);
      orders.set(seed, fired.join(' then '));
    }
    expect(new Set(orders.values())).toEqual(new Set(['timeout-1 then timeout-2', 'timeout-2 then timeout-1']));
    for (const seed of SEEDS)
      expect((await firingOrder(['timeout-1', 'timeout-2'], seed)).fired.join(' then ')).toBe(orders.get(seed));
  });

  it('keeps events of one instant in their order, with a completion before, between or after them', async () => {
    const places = new Set<number>();
    for (const seed of SEEDS) {
      const { fired } = await firingOrder(['!first-event', '!second-event', 'timeout'], seed);
      expect(fired.filter((name) => name.startsWith('!'))).toEqual(['!first-event', '!second-event']);
      places.add(fired.indexOf('timeout'));
    }
    expect([...places].sort()).toEqual([0, 1, 2]);
  });
});
