// The outbox: which entry items carry an event out, and what the stream filter passes on to the bus.
import { marshall } from '@aws-sdk/util-dynamodb';
import { describe, expect, it } from 'vitest';
import {
  eventFromStreamRecord,
  matchesPattern,
  OUTBOX_FILTER,
  outboxFields,
} from '../../functions/adapters/aws/outbox';
import type { RecordEntry } from '../../functions/domain/record';

const ids = { accountId: 'A1', cycleId: '2026-01' };
const contact: RecordEntry = {
  kind: 'contact',
  at: '2026-01-06T15:00:00.000Z',
  contactId: '2026-01-C1',
  channel: 'email',
  template: 'reminder-gentle',
  locale: 'en-US',
  rule: 'r',
  text: 'Pay 120.00 USD',
};
const sk = `CONTACT#${contact.at}#2026-01-C1`;
const insert = (item: Record<string, unknown>, eventName = 'INSERT') => ({
  eventName,
  dynamodb: { NewImage: marshall(item, { removeUndefinedValues: true }) },
});

describe('outbox fields', () => {
  it('gives an announcing entry its event, with the item key as a stable event id and no message text', () => {
    const fields = outboxFields(contact, ids, sk);
    expect(fields.eventType).toBe('ContactAttempted');
    const detail = JSON.parse(fields.eventDetail!);
    expect(detail).toEqual({
      ...ids,
      at: contact.at,
      contactId: '2026-01-C1',
      channel: 'email',
      template: 'reminder-gentle',
      rule: 'r',
      eventId: `A1/${sk}`,
    });
    expect(fields.eventDetail).not.toContain('120.00');
  });

  it('gives nothing to entries that announce no event', () => {
    expect(
      outboxFields(
        { kind: 'payment', at: contact.at, paymentId: 'P1', amount: 1, receivedAt: contact.at },
        ids,
        'EVENT#x',
      ),
    ).toEqual({});
    expect(
      outboxFields(
        {
          kind: 'contact-failed',
          at: contact.at,
          contactId: 'C1',
          channel: 'sms',
          template: 't',
          rule: 'r',
          reason: 'opted out',
        },
        ids,
        'EVENT#y',
      ),
    ).toEqual({});
  });
});

describe('stream filter', () => {
  const item = { pk: 'ACCOUNT#A1', sk, ...contact, ...outboxFields(contact, ids, sk) };

  it('passes a new event item on as the event Pipes would put on the bus', () => {
    expect(eventFromStreamRecord(insert(item))).toEqual({
      detailType: 'ContactAttempted',
      detail: JSON.parse(item.eventDetail!),
    });
  });

  it('drops state writes, claims, modifications and removals', () => {
    expect(eventFromStreamRecord(insert({ pk: 'ACCOUNT#A1', sk: 'STATE', version: 3 }))).toBeNull();
    expect(eventFromStreamRecord(insert({ pk: 'ACCOUNT#A1', sk: 'PAYMENT#P1', amount: 1 }))).toBeNull();
    expect(eventFromStreamRecord(insert(item, 'MODIFY'))).toBeNull();
    expect(eventFromStreamRecord({ eventName: 'REMOVE', dynamodb: {} })).toBeNull();
  });

  it('matches value lists and exists, as EventBridge patterns do', () => {
    expect(
      matchesPattern(OUTBOX_FILTER, { eventName: 'INSERT', dynamodb: { NewImage: { eventType: { S: 'X' } } } }),
    ).toBe(true);
    expect(matchesPattern(OUTBOX_FILTER, { eventName: 'INSERT', dynamodb: { NewImage: { other: { S: 'X' } } } })).toBe(
      false,
    );
    expect(matchesPattern({ a: [{ exists: false }] }, {})).toBe(true);
    expect(matchesPattern({ a: ['x', 'y'] }, { a: 'z' })).toBe(false);
  });
});
