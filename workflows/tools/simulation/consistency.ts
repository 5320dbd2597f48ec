// Does what happened match what the record says? Messages the providers received against the contacts
// recorded, and events published (by eventId) against the events the record implies. Any reader of
// kpis.json, and the fault tests, compare `expected` with `actual`. Both sides are counted as the run goes:
// each account's record when it finishes, each event as it is published.
import { isMessage, perMessageChannel, type MessageChannel } from '../../../functions/domain/channels';
import { eventOutFor, type RecordEntry } from '../../../functions/domain/record';

export interface Tally {
  expected: number;
  actual: number;
}

export interface Consistency {
  /** Per channel a provider sends on: contacts recorded, and messages the provider took. */
  messagesSent: Record<MessageChannel, Tally>;
  /** Per detail-type: events the record implies, and distinct eventIds published. */
  eventsOut: Record<string, Tally>;
  /** Publications of an eventId already published: recognisable redeliveries, not new events. */
  eventsRedelivered: number;
  /** Published eventIds the record does not account for (must be 0). */
  eventsUnexplained: number;
}

export interface RecordedAccount {
  state: { accountId: string; cycleId: string };
  record: readonly RecordEntry[];
}

/** What an account's record says was sent: messages by channel, and events out by detail-type. */
export interface Implied {
  messages: Record<MessageChannel, number>;
  events: Record<string, number>;
}

export const noneImplied = (): Implied => ({ messages: perMessageChannel(() => 0), events: {} });

export const impliedBy = ({ state, record }: RecordedAccount): Implied => {
  const implied = noneImplied();
  for (const entry of record) {
    if (entry.kind === 'contact' && isMessage(entry.channel)) implied.messages[entry.channel] += 1;
    const event = eventOutFor(entry, { accountId: state.accountId, cycleId: state.cycleId });
    if (event) implied.events[event.detailType] = (implied.events[event.detailType] ?? 0) + 1;
  }
  return implied;
};

/** Events out as they are published: distinct eventIds by detail-type, and redeliveries of one already seen. */
export class PublishedEvents {
  readonly distinct: Record<string, number> = {};
  redelivered = 0;
  private readonly seen = new Set<string>();

  add(event: { detailType: string; detail: Record<string, unknown> }): void {
    const id = String(event.detail.eventId ?? '');
    if (this.seen.has(id)) {
      this.redelivered += 1;
      return;
    }
    this.seen.add(id);
    this.distinct[event.detailType] = (this.distinct[event.detailType] ?? 0) + 1;
  }
}

export const checkConsistency = (
  implied: Implied,
  delivered: Record<MessageChannel, number>,
  published: PublishedEvents,
): Consistency => {
  const types = [...new Set([...Object.keys(implied.events), ...Object.keys(published.distinct)])];
  const expected = Object.values(implied.events).reduce((a, b) => a + b, 0);
  const actual = Object.values(published.distinct).reduce((a, b) => a + b, 0);
  return {
    messagesSent: perMessageChannel((c) => ({ expected: implied.messages[c], actual: delivered[c] })),
    eventsOut: Object.fromEntries(
      types.map((type) => [type, { expected: implied.events[type] ?? 0, actual: published.distinct[type] ?? 0 }]),
    ),
    eventsRedelivered: published.redelivered,
    eventsUnexplained: Math.max(0, actual - expected),
  };
};
