// Switches over a union end in assertNever: a kind no case names is a compile error, and one that arrives anyway
// (read from outside without a schema) stops with what it was instead of passing as "nothing to do".
import { describe, expect, it } from 'vitest';
import { assertNever } from '../../functions/domain/assert-never';
import { figuresOf } from '../../functions/domain/daily-figures';
import { eventKey, type InboundEvent } from '../../functions/domain/inbound-events';
import { eventOutFor, type RecordEntry } from '../../functions/domain/record';
import { toTimeline } from '../../functions/domain/timeline';

const ids = { accountId: 'A1', cycleId: '2026-01' };
const at = '2026-01-06T15:00:00.000Z';
/** An entry of a kind the union does not have, as old or foreign data might hold it. */
const stranger = { kind: 'carrier-pigeon', at } as unknown as RecordEntry;

describe('assertNever', () => {
  it('throws with the value it was handed and what it was', () => {
    expect(() => assertNever('x' as never, 'channel')).toThrow('unexpected channel: "x"');
  });

  it('announces nothing for an audit-only entry, by name', () => {
    expect(eventOutFor({ kind: 'opt-out', at, channel: 'sms' }, ids)).toBeNull();
    expect(eventOutFor({ kind: 'payment', at, paymentId: 'P1', amount: 100, receivedAt: at }, ids)).toBeNull();
    expect(eventOutFor({ kind: 'cease', at }, ids)).toBeNull();
  });

  it('refuses an entry of a kind no case names, in the outbox, the figures and the timeline', () => {
    expect(() => eventOutFor(stranger, ids)).toThrow('unexpected record entry: {"kind":"carrier-pigeon"');
    expect(() => figuresOf([stranger], { currency: 'USD' })).toThrow('unexpected record entry');
    expect(() => toTimeline([stranger], new Set([stranger.kind]))).toThrow('unexpected record entry');
  });

  it('keys the keyless inbound events as null by name, and refuses an unknown one', () => {
    expect(eventKey({ detailType: 'ChannelOptOut', detail: { accountId: 'A1', channel: 'sms' } })).toBeNull();
    expect(() =>
      eventKey({ detailType: 'Teleported', detail: { accountId: 'A1' } } as unknown as InboundEvent),
    ).toThrow('unexpected inbound event');
  });
});
