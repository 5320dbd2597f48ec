// Does what happened match what the record says? Messages the providers received against the contacts
// recorded, and events published (by eventId) against the events the record implies. Any reader of
// kpis.json, and the fault tests, compare `expected` with `actual`.
import { eventOutFor, type RecordEntry } from '../../functions/domain/record';

export interface Tally { expected: number; actual: number }

export interface Consistency {
  emailsSent: Tally;
  smsSent: Tally;
  /** Per detail-type: events the record implies, and distinct eventIds published. */
  eventsOut: Record<string, Tally>;
  /** Publications of an eventId already published: recognisable redeliveries, not new events. */
  eventsRedelivered: number;
  /** Published eventIds the record does not account for (must be 0). */
  eventsUnexplained: number;
}

export interface RecordedAccount { state: { accountId: string; cycleId: string }; record: readonly RecordEntry[] }

export const checkConsistency = (
  accounts: readonly RecordedAccount[],
  delivered: { emails: number; sms: number; eventsOut: readonly { detailType: string; detail: Record<string, unknown> }[] },
): Consistency => {
  const contacts = accounts.flatMap((a) => a.record).filter((e) => e.kind === 'contact');
  const eventsOut: Record<string, Tally> = {};
  const tally = (type: string) => (eventsOut[type] ??= { expected: 0, actual: 0 });
  let implied = 0;
  for (const a of accounts) {
    for (const entry of a.record) {
      const event = eventOutFor(entry, { accountId: a.state.accountId, cycleId: a.state.cycleId });
      if (!event) continue;
      tally(event.detailType).expected += 1;
      implied += 1;
    }
  }
  const seen = new Set<string>();
  let redelivered = 0;
  for (const event of delivered.eventsOut) {
    const id = String(event.detail.eventId ?? '');
    if (seen.has(id)) {
      redelivered += 1;
      continue;
    }
    seen.add(id);
    tally(event.detailType).actual += 1;
  }
  return {
    emailsSent: { expected: contacts.filter((c) => c.channel === 'email').length, actual: delivered.emails },
    smsSent: { expected: contacts.filter((c) => c.channel === 'sms').length, actual: delivered.sms },
    eventsOut,
    eventsRedelivered: redelivered,
    eventsUnexplained: Math.max(0, seen.size - implied),
  };
};
