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
