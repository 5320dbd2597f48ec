import { describe, expect, it } from 'vitest';
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
