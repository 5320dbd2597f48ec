// Applying inbound events to the account itself: opening a cycle, the bank's updates, disputes, opt-outs, calls and
// why the customer is late.
import { describe, expect, it } from 'vitest';
import { applyEvent } from '../../functions/domain/apply-event';
import { anAccount, at, delinquent } from '../support/fixtures';
import { appliedState, now, pay, us } from '../support/apply-event';
import type { DelinquencyReason } from '../../functions/domain/inbound-events';

describe('applying inbound events', () => {
  it('opens a cycle with the PII split off into the profile', () => {
    const outcome = applyEvent(null, delinquent(), at('2026-01-05T06:00:00Z'), us);
    expect(outcome).toMatchObject({
      kind: 'applied',
      opensCycle: true,
      profile: { name: 'Ana Diaz', email: 'ana@example.com', phone: '+13125550100' },
    });
    const state = appliedState(outcome);
    expect(state).toMatchObject({
      status: 'open',
      amountDue: 12_000,
      bucket: 'B1',
      reachable: ['email', 'sms', 'call'],
    });
    expect(JSON.stringify(state)).not.toMatch(/Ana|example\.com|\+1312/);
  });

  it('treats a second AccountDelinquent for the same cycle as a duplicate', () => {
    expect(applyEvent(anAccount(), delinquent(), now, us).kind).toBe('duplicate');
  });

  it('rejects a new cycle while another is open, and starts it once the old one closed', () => {
    expect(applyEvent(anAccount(), delinquent({ cycleId: '2026-02' }), now, us)).toEqual({
      kind: 'rejected',
      reason: 'cycleId: account A1 already has open cycle 2026-01',
    });
    expect(
      appliedState(
        applyEvent(anAccount({ status: 'closed', version: 9 }), delinquent({ cycleId: '2026-02' }), now, us),
      ),
    ).toMatchObject({ cycleId: '2026-02', version: 9 });
  });

  it('rejects events for an account with no open cycle', () => {
    expect(applyEvent(null, pay(100), now, us)).toEqual({
      kind: 'rejected',
      reason: 'accountId: no open collection cycle for A1',
    });
  });

  it('opens and resolves disputes once each', () => {
    const raised = appliedState(
      applyEvent(
        anAccount(),
        { detailType: 'DisputeRaised', detail: { accountId: 'A1', disputeId: 'D1', reason: 'not mine' } },
        now,
        us,
      ),
    );
    expect(raised.openDisputes).toEqual(['D1']);
    const resolve = {
      detailType: 'DisputeResolved',
      detail: { accountId: 'A1', disputeId: 'D1', outcome: 'rejected' },
    } as const;
    const resolved = appliedState(applyEvent(raised, resolve, now, us));
    expect(resolved).toMatchObject({ openDisputes: [], resolvedDisputes: ['D1'] });
    expect(applyEvent(resolved, resolve, now, us).kind).toBe('duplicate');
    expect(applyEvent(anAccount(), resolve, now, us)).toEqual({
      kind: 'rejected',
      reason: 'disputeId: no open dispute D1 on account A1',
    });
  });

  it('records opt-outs and cease once', () => {
    const optOut = { detailType: 'ChannelOptOut', detail: { accountId: 'A1', channel: 'sms' } } as const;
    const once = appliedState(applyEvent(anAccount(), optOut, now, us));
    expect(once.optOuts).toEqual(['sms']);
    expect(applyEvent(once, optOut, now, us).kind).toBe('duplicate');
    const cease = { detailType: 'CeaseCommunication', detail: { accountId: 'A1' } } as const;
    expect(applyEvent(appliedState(applyEvent(anAccount(), cease, now, us)), cease, now, us).kind).toBe('duplicate');
  });

  it('remembers a conversation for the call quiet period', () => {
    const talked = appliedState(
      applyEvent(
        anAccount(),
        { detailType: 'CallOutcomeRecorded', detail: { accountId: 'A1', callId: 'C1', outcome: 'right-party' } },
        now,
        us,
      ),
    );
    expect(talked.history).toMatchObject({ rightPartyContacts: 1, lastRightPartyAt: now.toISOString() });
  });

  it("takes a dial of the cycle's own task dated when it was made, even after the workflow let the task go", () => {
    // The collector dialled task 2026-01-C1 at 20:58 in Chicago; the window ended at 21:00 and the workflow recorded
    // the task as expired (one failed send); the outcome reaches the intake at 21:05.
    const expired = anAccount({ callTask: null, history: { failedSends: 1 } });
    const late = at('2026-01-10T03:05:00Z');
    const outcome = (extra: Record<string, unknown>) =>
      applyEvent(
        expired,
        {
          detailType: 'CallOutcomeRecorded',
          detail: { accountId: 'A1', callId: '2026-01-C1', outcome: 'no-answer', agentId: 'agent-1', ...extra },
        },
        late,
        us,
      );
    const taken = outcome({ dialledAt: '2026-01-10T02:58:00Z' });
    expect(taken.kind === 'applied' && taken.entries).toEqual([
      expect.objectContaining({ kind: 'contact', at: '2026-01-10T02:58:00.000Z', contactId: '2026-01-C1' }),
      expect.objectContaining({ kind: 'call-outcome', at: late.toISOString(), dialledAt: '2026-01-10T02:58:00.000Z' }),
    ]);
    expect(appliedState(taken).history.contacts).toBe(1);
    // Without the dial's time it is judged now, outside contact hours; dialled after 21:00 it was never allowed.
    expect(outcome({})).toMatchObject({ kind: 'rejected', reason: /^callId: 2026-01-C1 is no call task/ });
    expect(outcome({ dialledAt: '2026-01-10T03:02:00Z' })).toMatchObject({
      kind: 'rejected',
      reason: /^callId: 2026-01-C1 was dialled at 2026-01-10T03:02:00.000Z, when a call was not allowed/,
    });
    // Only the cycle's own tasks are dials of a task: another cycle's id, or one not made yet, is a call outside the
    // queue.
    for (const callId of ['2025-12-C1', '2026-01-C2']) {
      const other = outcome({ callId, dialledAt: '2026-01-10T02:58:00Z' });
      expect(other.kind === 'applied' && other.entries[0]).toMatchObject({
        contactId: `2026-01-CALL-${callId}`,
        rule: 'call-outside-queue',
      });
    }
  });

  it('merges flags and new charges from the bank', () => {
    const updated = appliedState(
      applyEvent(
        anAccount(),
        { detailType: 'AccountUpdated', detail: { accountId: 'A1', amountDue: 15_900, flags: { hardship: true } } },
        now,
        us,
      ),
    );
    expect(updated).toMatchObject({ amountDue: 15_900, overdue: 15_900, flags: { hardship: true, bankrupt: false } });
  });

  it(
    'writes only the contact points an update names: a new email keeps the phone, and every channel ' +
      'stays reachable',
    () => {
      const outcome = applyEvent(
        anAccount(),
        { detailType: 'AccountUpdated', detail: { accountId: 'A1', customer: { email: 'new@example.com' } } },
        now,
        us,
      );
      expect(outcome).toMatchObject({
        kind: 'applied',
        profile: { email: 'new@example.com' },
        state: { reachable: ['email', 'sms', 'call'] },
      });
      expect(outcome.kind === 'applied' && outcome.profile).toEqual({ email: 'new@example.com' });
      // A phone for a customer who had only an email adds texts and calls.
      const emailOnly = anAccount({ reachable: ['email'] });
      const phoned = applyEvent(
        emailOnly,
        { detailType: 'AccountUpdated', detail: { accountId: 'A1', customer: { phone: '+13125550111' } } },
        now,
        us,
      );
      expect(phoned).toMatchObject({
        kind: 'applied',
        profile: { phone: '+13125550111' },
        state: { reachable: ['email', 'sms', 'call'] },
      });
      // Flags alone touch no contact point.
      expect(
        applyEvent(
          anAccount(),
          { detailType: 'AccountUpdated', detail: { accountId: 'A1', flags: { hardship: true } } },
          now,
          us,
        ),
      ).not.toHaveProperty('profile');
    },
  );

  it('refuses an update leaving more due than the balance, naming the field sent, and changes nothing', () => {
    const account = anAccount();
    const update = (detail: Record<string, unknown>) =>
      applyEvent(account, { detailType: 'AccountUpdated', detail: { accountId: 'A1', ...detail } }, now, us);
    expect(update({ amountDue: account.balance + 1 })).toEqual({
      kind: 'rejected',
      reason: `amountDue: the amount due ${account.balance + 1} would be more than the balance ${account.balance}`,
    });
    expect(update({ balance: account.amountDue - 1 })).toEqual({
      kind: 'rejected',
      reason: `balance: the amount due ${account.amountDue} would be more than the balance ${account.amountDue - 1}`,
    });
    expect(update({ balance: 500, amountDue: 500 }).kind).toBe('applied');
  });
});

describe('why the customer is late (docs/contract.md §10.6)', () => {
  const reason = (reasonId: string, why: DelinquencyReason) =>
    ({
      detailType: 'DelinquencyReasonRecorded',
      detail: { accountId: 'A1', reasonId, reason: why, note: 'lost my job in May' },
    }) as const;

  it('keeps the latest reason on the state and the record, never the note, and takes a repeat once', () => {
    const first = applyEvent(anAccount(), reason('R1', 'job-loss'), now, us);
    expect(first).toMatchObject({
      kind: 'applied',
      state: { reason: { reasonId: 'R1', reason: 'job-loss', at: now.toISOString() } },
      entries: [{ kind: 'reason', at: now.toISOString(), reasonId: 'R1', reason: 'job-loss' }],
    });
    expect(JSON.stringify(first)).not.toContain('May');
    const state = appliedState(first);
    expect(applyEvent(state, reason('R1', 'job-loss'), now, us).kind).toBe('duplicate');
    expect(appliedState(applyEvent(state, reason('R2', 'illness'), now, us)).reason?.reason).toBe('illness');
  });

  it('opens a dispute for fraud or a disputed debt, under the reason id', () => {
    for (const why of ['fraud', 'dispute'] as const) {
      const outcome = applyEvent(anAccount(), reason('R3', why), now, us);
      expect(appliedState(outcome).openDisputes).toEqual(['R3']);
      expect(outcome.kind === 'applied' && outcome.entries.map((e) => e.kind)).toEqual(['reason', 'dispute-opened']);
    }
    expect(appliedState(applyEvent(anAccount(), reason('R4', 'forgot'), now, us)).openDisputes).toEqual([]);
  });
});
