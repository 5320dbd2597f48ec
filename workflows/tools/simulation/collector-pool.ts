// A limited team of collectors for the simulation (docs/contract.md §9 `--agents N`): they work their shift in the
// call centre's zone, one call at a time, each taking its handle time, and dial the queued tasks whose window
// ends soonest first. A task still waiting when its window ends expires. The pool runs on the one clock all
// accounts share, advanced in slices, so the same seed gives the same dials.
import { instantAt, localParts } from '../../../functions/domain/zoned-time';
import type { CallOutcome } from '../../twin/collectors';

export interface PoolOptions {
  agents: number;
  /** Shift hours in the centre's zone: [fromHour, untilHour). */
  fromHour: number;
  untilHour: number;
  timezone: string;
  /** Minutes a dial takes: a conversation, and any other outcome. */
  handleMinutes: { conversation: number; other: number };
}

export interface QueuedCall {
  accountId: string;
  taskId: string;
  createdAt: number;
  expiresAt: number;
  outcome: CallOutcome;
}
export interface PoolDial {
  at: number;
  accountId: string;
  taskId: string;
  outcome: CallOutcome;
  agentId: string;
}

const MINUTE = 60_000;

export class CollectorPool {
  private waiting: QueuedCall[] = [];
  private readonly freeAt: number[];
  /** Tasks taken from the queue (a task the account moved past meanwhile is taken but not dialled). */
  dials = 0;
  /** Milliseconds collectors spent on calls. */
  busyMs = 0;

  constructor(readonly options: PoolOptions) {
    this.freeAt = Array.from({ length: options.agents }, () => 0);
  }

  enqueue(call: QueuedCall): void {
    this.waiting.push(call);
  }

  /** The first moment at or after `t` inside a shift. */
  private onShift(t: number): number {
    const { fromHour, untilHour, timezone } = this.options;
    const { date, hour } = localParts(new Date(t), timezone);
    if (hour >= fromHour && hour < untilHour) return t;
    const start = instantAt(date, fromHour, 0, timezone).getTime();
    if (hour < fromHour) return start;
    return instantAt(localParts(new Date(start + 36 * 3_600_000), timezone).date, fromHour, 0, timezone).getTime();
  }

  /**
   * The dials that start in [from, to): tasks in order of the window that ends first (then creation, then
   * id), each to the collector free soonest. What cannot start before `to` waits for the next slice.
   */
  assign(from: number, to: number): PoolDial[] {
    this.waiting.sort(
      (a, b) => a.expiresAt - b.expiresAt || a.createdAt - b.createdAt || a.taskId.localeCompare(b.taskId),
    );
    const dials: PoolDial[] = [];
    const still: QueuedCall[] = [];
    for (const call of this.waiting) {
      if (call.expiresAt <= from) continue; // its window ended while it waited: the workflow records it as expired
      let best = -1;
      let bestAt = Infinity;
      this.freeAt.forEach((free, agent) => {
        const at = this.onShift(Math.max(free, call.createdAt, from));
        if (at < bestAt) {
          bestAt = at;
          best = agent;
        }
      });
      if (bestAt >= to || bestAt >= call.expiresAt) {
        if (bestAt < call.expiresAt) still.push(call);
        continue;
      }
      const handle =
        (call.outcome === 'right-party' ? this.options.handleMinutes.conversation : this.options.handleMinutes.other) *
        MINUTE;
      this.freeAt[best] = bestAt + handle;
      this.dials += 1;
      this.busyMs += handle;
      dials.push({
        at: bestAt,
        accountId: call.accountId,
        taskId: call.taskId,
        outcome: call.outcome,
        agentId: `sim-agent-${best + 1}`,
      });
    }
    this.waiting = still;
    return dials;
  }

  /** Collector-hours on shift between `from` and `to`. */
  shiftHours(from: number, to: number): number {
    let hours = 0;
    for (let t = from; t < to; t += 3_600_000) {
      const { hour } = localParts(new Date(t), this.options.timezone);
      if (hour >= this.options.fromHour && hour < this.options.untilHour) hours += 1;
    }
    return hours * this.options.agents;
  }
}
