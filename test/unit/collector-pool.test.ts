// A limited team of collectors: shifts in the centre's zone, one call at a time, soonest-ending windows first.
import { describe, expect, it } from 'vitest';
import { CollectorPool, type QueuedCall } from '../../workflows/tools/simulation/collector-pool';

const t = (iso: string) => Date.parse(iso);
const MIN = 60_000;
// 08:00–20:00 in Chicago (UTC-6 in January): 14:00Z to 02:00Z.
const team = (agents: number) =>
  new CollectorPool({
    agents,
    fromHour: 8,
    untilHour: 20,
    timezone: 'America/Chicago',
    handleMinutes: { conversation: 12, other: 3 },
  });
const call = (
  taskId: string,
  createdAt: string,
  expiresAt: string,
  outcome: QueuedCall['outcome'] = 'no-answer',
): QueuedCall => ({ accountId: `A-${taskId}`, taskId, createdAt: t(createdAt), expiresAt: t(expiresAt), outcome });

describe('a collector pool', () => {
  it('dials one call at a time per collector, the window that ends first first, each taking its handle time', () => {
    const pool = team(1);
    pool.enqueue(call('late', '2026-01-06T15:00:00Z', '2026-01-07T03:00:00Z'));
    pool.enqueue(call('soon', '2026-01-06T15:00:00Z', '2026-01-06T18:00:00Z', 'right-party'));
    const dials = pool.assign(t('2026-01-06T15:00:00Z'), t('2026-01-06T15:30:00Z'));
    expect(dials.map((d) => [d.taskId, new Date(d.at).toISOString()])).toEqual([
      ['soon', '2026-01-06T15:00:00.000Z'],
      ['late', '2026-01-06T15:12:00.000Z'], // after the 12-minute conversation
    ]);
    expect(pool.dials).toBe(2);
    expect(pool.busyMs).toBe(15 * MIN);
  });

  it('shares the queue among collectors, and leaves what cannot start in this slice for the next', () => {
    const pool = team(2);
    for (const id of ['a', 'b', 'c'])
      pool.enqueue(call(id, '2026-01-06T15:00:00Z', '2026-01-07T03:00:00Z', 'right-party'));
    const first = pool.assign(t('2026-01-06T15:00:00Z'), t('2026-01-06T15:10:00Z'));
    expect(first.map((d) => [d.taskId, d.agentId])).toEqual([
      ['a', 'sim-agent-1'],
      ['b', 'sim-agent-2'],
    ]);
    const next = pool.assign(t('2026-01-06T15:10:00Z'), t('2026-01-06T15:20:00Z'));
    expect(next.map((d) => [d.taskId, new Date(d.at).toISOString()])).toEqual([['c', '2026-01-06T15:12:00.000Z']]);
  });

  it('works only its shift, and lets a task expire when no one reaches it in its window', () => {
    const pool = team(1);
    // Created at 05:00 in Chicago; the shift starts at 08:00.
    pool.enqueue(call('early', '2026-01-06T11:00:00Z', '2026-01-07T03:00:00Z'));
    expect(pool.assign(t('2026-01-06T11:00:00Z'), t('2026-01-06T11:10:00Z'))).toEqual([]);
    expect(
      pool.assign(t('2026-01-06T14:00:00Z'), t('2026-01-06T14:10:00Z')).map((d) => new Date(d.at).toISOString()),
    ).toEqual(['2026-01-06T14:00:00.000Z']);
    // Created after the shift ended, with a window that ends before the next shift starts.
    pool.enqueue(call('night', '2026-01-07T02:30:00Z', '2026-01-07T03:00:00Z'));
    expect(pool.assign(t('2026-01-07T02:30:00Z'), t('2026-01-07T02:40:00Z'))).toEqual([]);
    expect(pool.assign(t('2026-01-07T14:00:00Z'), t('2026-01-07T14:10:00Z'))).toEqual([]);
    expect(pool.dials).toBe(1);
  });

  it('counts collector-hours on shift', () => {
    expect(team(3).shiftHours(t('2026-01-06T06:00:00Z'), t('2026-01-07T06:00:00Z'))).toBe(3 * 12);
  });
});
