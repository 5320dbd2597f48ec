// One contact attempt: pending until the provider answers, then a contact or a recorded failure.
import { describe, expect, it } from 'vitest';
import { applyEvent } from '../../functions/domain/apply-event';
import {
  attemptContact,
  callTaskCreated,
  contactFailed,
  contactRefusedOptedOut,
  contactSent,
} from '../../functions/domain/contact-attempt';
import { classifySendError } from '../../functions/adapters/aws/send-errors';
import { PermanentSendError } from '../../functions/errors';
import { nextStep } from '../../functions/domain/next-step';
import { newSettlement } from '../../functions/domain/settlement';
import { POLICY_PACKS } from '../../policies/built-in-packs';
import { DEFAULT_STRATEGY } from '../../functions/domain/strategy';
import { anAccount, at } from '../support/fixtures';

const playbook = { pack: POLICY_PACKS['us-regf'], strategy: DEFAULT_STRATEGY };
// 09:00 in Chicago.
const now = at('2026-01-06T15:00:00Z');

const pendingFor = (state = anAccount(), template: 'reminder-gentle' | 'plan-offer' = 'reminder-gentle') => {
  const attempt = attemptContact(state, 'email', template, now, playbook);
  if (attempt.kind !== 'contact') throw new Error(`expected contact, got ${attempt.kind}`);
  return attempt.pending;
};

describe('a contact attempt', () => {
  it('words the message and holds it pending, changing nothing yet', () => {
    const pending = pendingFor();
    expect(pending).toMatchObject({
      contactId: '2026-01-C1',
      channel: 'email',
      template: 'reminder-gentle',
      attempts: 0,
      offer: null,
    });
    expect(pending.text).toContain('120.00 USD');
  });

  it('gives a new id after a failed send, so every attempt in the record is distinct', () => {
    expect(pendingFor(anAccount({ history: { contacts: 2, failedSends: 1 } })).contactId).toBe('2026-01-C4');
  });

  it('becomes a contact once sent, and an offer is made only then', () => {
    const pending = pendingFor(anAccount(), 'plan-offer');
    const sent = contactSent({ ...anAccount(), pendingContact: pending }, pending);
    expect(sent.entries.map((e) => e.kind)).toEqual(['plan-offered', 'contact']);
    expect(sent.state).toMatchObject({
      pendingContact: null,
      lastOffer: { planId: '2026-01-PL1' },
      history: { contacts: 1, plansOffered: 1 },
    });
  });

  describe('a settlement offer pending while a collector agrees one on the phone (docs/contract.md §11.2.20)', () => {
    // 120 days past due: the workflow words its offer (1,500.00) and holds it pending; meanwhile a collector agrees
    // 1,875.00 on the phone, offered and accepted at once.
    const day120 = at('2026-05-01T21:47:04Z');
    const due = anAccount({ escalationLevel: 2 });
    const attempt = attemptContact(due, 'email', 'settlement-offer', day120, playbook);
    if (attempt.kind !== 'contact') throw new Error(`expected contact, got ${attempt.kind}`);
    const pending = attempt.pending;
    const waiting = { ...due, pendingContact: pending };
    const agree = () => {
      const settlementId = newSettlement(waiting, day120, playbook.pack).settlementId;
      const agreed = applyEvent(
        waiting,
        {
          detailType: 'SettlementAccepted',
          source: 'collections.agent',
          detail: { accountId: 'A1', settlementId, amount: 187_500 },
        },
        day120,
        playbook.pack,
      );
      if (agreed.kind !== 'applied') throw new Error(agreed.kind);
      return agreed.state;
    };

    it("gives the collector's settlement an id of its own, not the pending offer's", () => {
      expect(pending.settlement?.settlementId).toBe('2026-01-ST1');
      expect(agree().settlement).toMatchObject({ settlementId: '2026-01-ST2', amount: 187_500 });
    });

    it('keeps the accepted settlement when the pending offer is then sent: a contact, no second offer', () => {
      const sent = contactSent(agree(), pending);
      expect(sent.state.settlement).toMatchObject({ settlementId: '2026-01-ST2', amount: 187_500 });
      expect(sent.state.settlement?.acceptedAt).not.toBeNull();
      expect(sent.state.history.settlementsOffered).toBe(1);
      expect(sent.entries.map((e) => e.kind)).toEqual(['contact']);
    });

    it('keeps it too when the offer was to go as a call task', () => {
      const queued = callTaskCreated(agree(), { ...pending, channel: 'call' }, day120, playbook.pack);
      expect(queued.state.settlement).toMatchObject({ settlementId: '2026-01-ST2', amount: 187_500 });
      expect(queued.entries.map((e) => e.kind)).toEqual(['call-task']);
    });
  });

  it('is recorded as failed, not as a contact, when it could not be sent; the cadence moves on', () => {
    const pending = pendingFor();
    const failed = contactFailed(
      { ...anAccount(), pendingContact: pending },
      pending,
      'ConflictException: opted out',
      now,
    );
    expect(failed.entries).toEqual([
      {
        kind: 'contact-failed',
        at: now.toISOString(),
        contactId: '2026-01-C1',
        channel: 'email',
        template: 'reminder-gentle',
        rule: pending.rule,
        reason: 'ConflictException: opted out',
      },
    ]);
    expect(failed.state).toMatchObject({
      pendingContact: null,
      history: { contacts: 0, failedSends: 1, lastFailedAt: now.toISOString(), lastReminderAt: now.toISOString() },
    });
  });

  it('records the channel as opted out when the provider refuses because the customer replied STOP', () => {
    const pending = pendingFor();
    const refused = contactRefusedOptedOut(
      { ...anAccount(), pendingContact: pending },
      pending,
      'ConflictException (DESTINATION_PHONE_NUMBER_OPTED_OUT)',
      now,
    );
    expect(refused.entries.map((e) => e.kind)).toEqual(['contact-failed', 'opt-out']);
    expect(refused.state.optOuts).toEqual(['email']);
    // Already opted out: the failure alone.
    expect(
      contactRefusedOptedOut(
        { ...anAccount({ optOuts: ['email'] }), pendingContact: pending },
        pending,
        'x',
        now,
      ).entries.map((e) => e.kind),
    ).toEqual(['contact-failed']);
  });

  it("classifies End User Messaging's opted-out refusal as permanent and as an opt-out", () => {
    const error = Object.assign(new Error('Conflict Occurred'), {
      name: 'ConflictException',
      $fault: 'client',
      Reason: 'DESTINATION_PHONE_NUMBER_OPTED_OUT',
    });
    const classified = classifySendError(error);
    expect(classified).toBeInstanceOf(PermanentSendError);
    expect((classified as PermanentSendError).optedOut).toBe(true);
    const invalid = classifySendError(
      Object.assign(new Error('bad number'), { name: 'ValidationException', $fault: 'client' }),
    ) as PermanentSendError;
    expect(invalid.optedOut).toBe(false);
    expect(
      classifySendError(Object.assign(new Error('slow down'), { name: 'ThrottlingException', $fault: 'client' })),
    ).not.toBeInstanceOf(PermanentSendError);
  });

  it("names a provider's refusal by its code alone, never by its message, which may quote the address", () => {
    const refused = classifySendError(
      Object.assign(
        new Error('Email address is not verified. The following identities failed the check: ana@example.com'),
        { name: 'MessageRejected', $fault: 'client' },
      ),
    );
    expect(refused).toBeInstanceOf(PermanentSendError);
    expect(refused.message).toBe('MessageRejected');
    const optedOut = classifySendError(
      Object.assign(new Error('Conflict Occurred for +13125550100'), {
        name: 'ConflictException',
        $fault: 'client',
        Reason: 'DESTINATION_PHONE_NUMBER_OPTED_OUT',
      }),
    );
    expect(optedOut.message).toBe('ConflictException (DESTINATION_PHONE_NUMBER_OPTED_OUT)');
    const failing = classifySendError(
      Object.assign(new Error('Internal error sending to +13125550100'), { name: 'InternalFailure', $fault: 'server' }),
    );
    expect(failing).not.toBeInstanceOf(PermanentSendError);
    expect(failing).toMatchObject({ name: 'InternalFailure', message: 'InternalFailure' });
  });

  it('makes the next step finish a message left pending', () => {
    const pending = pendingFor();
    expect(nextStep({ ...anAccount(), pendingContact: pending }, now, playbook)).toMatchObject({
      action: 'remind',
      channel: 'email',
      rule: 'finish-pending-contact',
    });
  });

  it('waits a day after a failed send before offering a plan again', () => {
    // 40 days past due: an offer is due now, unless a send just failed.
    // Past the account's own time of day (A1: 16:47 in Chicago).
    const later = at('2026-01-06T23:00:00Z');
    const due = anAccount({ dueDate: '2025-11-27' });
    expect(nextStep(due, later, playbook)).toMatchObject({ action: 'offer-plan' });
    const failed = later.toISOString();
    const waiting = nextStep(
      { ...due, history: { ...due.history, lastFailedAt: failed, lastReminderAt: failed } },
      later,
      playbook,
    );
    expect(waiting.action).toBe('wait');
    expect(Date.parse((waiting as { notBefore: string }).notBefore)).toBeGreaterThanOrEqual(
      later.getTime() + 86_400_000,
    );
  });
});
