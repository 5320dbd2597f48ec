// How a batch's inbound events reach its stack: each account's delinquency, then what its simulated customer
// sends, numbered per account and delivered as queues deliver (a few twice, a few late), until the run ends.
import type { LocalStack } from '../../twin/local-stack';
import type { Emit } from './customer-agents';
import type { SyntheticAccount } from './portfolio';

/** A delivery's own number, from its account and delivery number alone (so not from which accounts run beside it). */
const deliveryHash = (accountId: string, n: number): number => {
  let hash = n * 2_654_435_761;
  for (const char of accountId) hash = Math.imul(hash ^ char.charCodeAt(0), 16_777_619) >>> 0;
  return hash;
};
/** About 1% of deliveries arrive twice, as at-least-once queues deliver. */
const duplicateDelivery = (hash: number): boolean => hash % 100 === 0;
/**
 * About 2% arrive 1–10 minutes late, after events sent later (a standard queue keeps no order, docs/contract.md §10.1):
 * how late, or 0.
 */
const lateBy = (hash: number): number => (hash % 50 === 1 ? (1 + ((hash >>> 8) % 10)) * 60_000 : 0);

/** What delivering needs of the stack: its inbound queue and each account's clock. */
export type DeliveryStack = Pick<LocalStack, 'inbound' | 'scheduler'>;

export class BatchDeliveries {
  /** Events the stack has taken in (a duplicate counts twice). */
  eventsIn = 0;
  /** Events sent that arrive late, before the run ends. */
  eventsLate = 0;
  private readonly sentBy = new Map<string, number>();

  constructor(
    private readonly stack: DeliveryStack,
    private readonly until: number,
  ) {}

  /** Each account's delinquency, which opens its cycle. */
  delinquencies(portfolio: readonly SyntheticAccount[]): void {
    for (const account of portfolio) {
      this.deliver(account.delinquentAt, account.event.detail.accountId, {
        id: `delinquent-${account.index}`,
        source: 'bank.core',
        'detail-type': 'AccountDelinquent',
        detail: account.event.detail,
      });
    }
  }

  /** What a simulated customer sends, delivered as a queue would: late now and then, and now and then twice. */
  readonly send: Emit = (at, accountId, source, detailType, detail) => {
    // Counted per account, so an account's deliveries do not depend on which others run beside it.
    const sent = (this.sentBy.get(accountId) ?? 0) + 1;
    this.sentBy.set(accountId, sent);
    const envelope = { id: `sim-${accountId}-${sent}`, source, 'detail-type': detailType, detail };
    const hash = deliveryHash(accountId, sent);
    const late = lateBy(hash);
    if (late > 0 && at + late < this.until) this.eventsLate += 1;
    this.deliver(at + late, accountId, envelope);
    // Twice, as at-least-once queues deliver: it must apply once.
    if (duplicateDelivery(hash)) this.deliver(at + 60_000, accountId, envelope);
  };

  /** Queues the envelope for the account at `at`, stamped with its clock when it is read; nothing after the end. */
  private deliver(at: number, key: string, envelope: Record<string, unknown>): void {
    if (at >= this.until) return;
    const { scheduler } = this.stack;
    this.stack.inbound.enqueue(
      key,
      async () => {
        this.eventsIn += 1;
        return { ...envelope, time: new Date(scheduler.timeOf(key)).toISOString() };
      },
      at,
    );
  }
}
