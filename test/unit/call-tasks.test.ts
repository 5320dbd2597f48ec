// A call is a task for a collector (docs/contract.md §3.12): queued, offered only when callable, a contact only once
// dialled.
import { describe, expect, it } from 'vitest';
import type { AccountState } from '../../functions/domain/account';
import { applyEvent } from '../../functions/domain/apply-event';
import { callBlockedBy, dialRefusal, rankQueue } from '../../functions/domain/call-queue';
import { attemptContact, callTaskCreated, taskIdFor } from '../../functions/domain/contact-attempt';
import { decideContact } from '../../functions/domain/contact-policy';
import { nextStep } from '../../functions/domain/next-step';
import { POLICY_PACKS } from '../../policies/built-in-packs';
import { eventOutFor } from '../../functions/domain/record';
import { DEFAULT_STRATEGY } from '../../functions/domain/strategy';
import { settleDeadlines } from '../../functions/domain/transitions';
import { anAccount, at } from '../support/fixtures';

const pack = POLICY_PACKS['us-regf'];
const playbook = { pack, strategy: DEFAULT_STRATEGY };
// 09:00 in Chicago.
const now = at('2026-01-06T15:00:00Z');

const queued = (state: AccountState = anAccount(), template: 'reminder-firm' | 'plan-offer' = 'reminder-firm') => {
  const attempt = attemptContact(state, 'call', template, now, playbook);
  if (attempt.kind !== 'contact') throw new Error(attempt.kind);
  return callTaskCreated(state, attempt.pending, now, pack);
};

const dial = (state: AccountState, callId: string, outcome: 'no-answer' | 'right-party', when = now) => {
  const outcomeOf = applyEvent(
    state,
    { detailType: 'CallOutcomeRecorded', detail: { accountId: state.accountId, callId, outcome } },
    when,
    pack,
  );
  if (outcomeOf.kind !== 'applied') throw new Error(outcomeOf.kind);
  return outcomeOf;
};

describe('a call task', () => {
  it("waits in the queue until 21:00 in the customer's zone, is announced, and is no contact yet", () => {
    const { state, entries, task } = queued();
    expect(task).toMatchObject({
      taskId: taskIdFor('A1', '2026-01-C1'),
      contactId: '2026-01-C1',
      expiresAt: '2026-01-07T03:00:00.000Z',
      template: 'reminder-firm',
    });
    expect(task.script).toMatch(/^Agent call task: Your card account is 5 days past due with 120\.00 USD overdue/);
    expect(state.callTask).toEqual(task);
    expect(state.history.contacts).toBe(0);
    expect(state.history.recentContacts).toEqual([]);
    expect(entries).toEqual([
      {
        kind: 'call-task',
        at: now.toISOString(),
        taskId: task.taskId,
        contactId: '2026-01-C1',
        expiresAt: task.expiresAt,
      },
    ]);
    expect(eventOutFor(entries[0]!, { accountId: 'A1', cycleId: '2026-01' })).toEqual({
      detailType: 'CallTaskCreated',
      detail: {
        accountId: 'A1',
        cycleId: '2026-01',
        at: now.toISOString(),
        taskId: task.taskId,
        expiresAt: task.expiresAt,
      },
    });
  });

  it('has an id unique across accounts and the same on a retry', () => {
    expect(taskIdFor('A1', '2026-01-C1')).toBe(taskIdFor('A1', '2026-01-C1'));
    expect(taskIdFor('A1', '2026-01-C1')).not.toBe(taskIdFor('A2', '2026-01-C1'));
    expect(taskIdFor('A1', '2026-01-C1')).toMatch(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/);
  });

  it('holds every other contact while it waits, and the workflow looks again when its window ends', () => {
    const { state, task } = queued();
    const step = nextStep(
      { ...state, history: { ...state.history, lastReminderAt: '2026-01-01T00:00:00Z' } },
      now,
      playbook,
    );
    expect(step).toMatchObject({ action: 'wait', rule: 'call-task-window-ends', notBefore: task.expiresAt });
  });

  it('becomes a contact with the script when dialled, counts toward the call cap and leaves the queue', () => {
    const { state, task } = queued();
    const dialled = dial(state, task.taskId, 'no-answer', at('2026-01-06T15:20:00Z'));
    expect(dialled.state.callTask).toBeNull();
    expect(dialled.state.history.contacts).toBe(1);
    expect(dialled.state.history.recentContacts).toEqual([{ at: '2026-01-06T15:20:00.000Z', channel: 'call' }]);
    expect(dialled.entries).toEqual([
      {
        kind: 'contact',
        at: '2026-01-06T15:20:00.000Z',
        contactId: '2026-01-C1',
        channel: 'call',
        template: 'reminder-firm',
        locale: 'en-US',
        rule: task.rule,
        text: task.script,
      },
      { kind: 'call-outcome', at: '2026-01-06T15:20:00.000Z', callId: task.taskId, outcome: 'no-answer' },
    ]);
  });

  it('makes its plan offer when the task is made, and the dial is then the contact, whoever answers', () => {
    const created = queued(anAccount(), 'plan-offer');
    const { state, task } = created;
    expect(task.offer?.planId).toBe('2026-01-PL1');
    // On the account at once (page, desk, plan-offer-by-45), before anyone dials: no second offer call follows.
    expect(created.entries.map((e) => e.kind)).toEqual(['plan-offered', 'call-task']);
    expect(state.lastOffer?.planId).toBe('2026-01-PL1');
    expect(state.history).toMatchObject({ plansOffered: 1, contacts: 0 });
    expect(dial(state, task.taskId, 'no-answer').entries.map((e) => e.kind)).toEqual(['contact', 'call-outcome']);
    const talked = dial(state, task.taskId, 'right-party');
    expect(talked.entries.map((e) => e.kind)).toEqual(['contact', 'call-outcome']);
    expect(talked.state.history).toMatchObject({
      plansOffered: 1,
      rightPartyContacts: 1,
      lastRightPartyAt: now.toISOString(),
    });
  });

  it('expires undialled at the end of its window: recorded as a call not made, which is no contact', () => {
    const { state, task } = queued();
    expect(settleDeadlines(state, at('2026-01-07T02:59:59Z'), pack).entries).toEqual([]);
    const expired = settleDeadlines(state, at('2026-01-07T03:00:00Z'), pack);
    expect(expired.state.callTask).toBeNull();
    expect(expired.state.history).toMatchObject({ contacts: 0, failedSends: 1 });
    expect(expired.entries).toEqual([
      {
        kind: 'contact-failed',
        at: '2026-01-07T03:00:00.000Z',
        contactId: '2026-01-C1',
        channel: 'call',
        template: 'reminder-firm',
        rule: task.rule,
        reason: `call task ${task.taskId} expired at 2026-01-07T03:00:00.000Z: nobody dialled it`,
      },
    ]);
  });

  it('counts a call made outside the queue as a contact toward the 7-in-7 cap', () => {
    let state = anAccount();
    // One a day, 09:00 in Chicago, from 6 to 12 January: the eighth in those 7 days is over the cap.
    for (let i = 0; i < 7; i += 1)
      state = dial(
        state,
        `MANUAL-${i + 1}`,
        'no-answer',
        at(`2026-01-${String(6 + i).padStart(2, '0')}T15:00:00Z`),
      ).state;
    expect(state.history.contacts).toBe(7);
    expect(decideContact(state, 'call', pack, at('2026-01-12T16:00:00Z'))).toMatchObject({
      kind: 'blocked',
      rule: 'us-regf/call-cap-7-in-7',
    });
    const one = dial(anAccount(), 'MANUAL-1', 'no-answer');
    expect(one.entries[0]).toMatchObject({
      kind: 'contact',
      channel: 'call',
      template: 'call-outside-queue',
      contactId: '2026-01-CALL-MANUAL-1',
    });
  });

  it('refuses a call made outside the queue where the policy would not have allowed one, naming the rule', () => {
    const refused = (state: AccountState, when = now) =>
      applyEvent(
        state,
        {
          detailType: 'CallOutcomeRecorded',
          detail: { accountId: state.accountId, callId: 'MANUAL-9', outcome: 'right-party' },
        },
        when,
        pack,
      );
    expect(refused(anAccount({ ceased: true }))).toEqual({
      kind: 'rejected',
      reason:
        'callId: MANUAL-9 is no call task, and a call outside the queue is not allowed now ' +
        '(us-regf/cease-communication)',
    });
    expect(refused(anAccount(), at('2026-01-07T03:30:00Z'))).toMatchObject({
      kind: 'rejected',
      reason: expect.stringContaining('us-regf/contact-hours'),
    });
    expect(
      refused(anAccount({ placement: { agency: 'northwind-recoveries', placedAt: now.toISOString() } })),
    ).toMatchObject({ kind: 'rejected', reason: expect.stringContaining('placed-with-agency') });
  });
});

describe('the call queue', () => {
  const entry = (state: AccountState) => ({
    task: { taskId: state.callTask!.taskId, accountId: state.accountId, expiresAt: state.callTask!.expiresAt },
    state,
  });
  const account = (accountId: string, overrides: Partial<AccountState> = {}) =>
    queued(anAccount({ accountId, ...overrides })).state;

  it('offers only tasks the policy allows now', () => {
    const ok = account('K1');
    const talked = {
      ...account('K2'),
      history: { ...account('K2').history, lastRightPartyAt: '2026-01-05T15:00:00.000Z' },
    };
    const optedOut = { ...account('K3'), optOuts: ['call' as const] };
    const disputed = { ...account('K4'), openDisputes: ['D1'] };
    const ranked = rankQueue([ok, talked, optedOut, disputed].map(entry), pack, now);
    expect(ranked.map((t) => t.accountId)).toEqual(['K1']);
    expect(callBlockedBy(talked, talked.callTask!.taskId, pack, now)).toBe('us-regf/call-after-conversation');
    expect(callBlockedBy(optedOut, optedOut.callTask!.taskId, pack, now)).toBe('us-regf/channel-opt-out');
    // Before 08:00 in Chicago nobody may call.
    expect(rankQueue([entry(ok)], pack, at('2026-01-06T13:59:00Z'))).toEqual([]);
    // A task the account has moved past (dialled elsewhere, expired) is not offered.
    expect(callBlockedBy(ok, 'T-other', pack, now)).toBe('task-no-longer-current');
  });

  it('ranks a promise due today first, then the older bucket, and says why', () => {
    const b1 = account('R1', { bucket: 'B1' });
    const b3 = account('R2', { bucket: 'B3', dueDate: '2025-11-01' });
    const promised = account('R3', {
      bucket: 'B1',
      promise: { promiseId: 'P', amount: 100, dueDate: '2026-01-06', madeAt: '2026-01-02T00:00:00Z', paidSince: 0 },
    });
    const ranked = rankQueue([b1, b3, promised].map(entry), pack, now);
    expect(ranked.map((t) => t.accountId)).toEqual(['R3', 'R2', 'R1']);
    expect(ranked[0]!.reason).toContain('promise due today');
    expect(ranked[1]).toMatchObject({
      bucket: 'B3',
      dpd: 66,
      customerLocalTime: '09:00',
      amountDue: 12_000,
      currency: 'USD',
    });
    expect(ranked[0]!.priority).toBeGreaterThan(ranked[1]!.priority);
  });
});

describe('recording a dial', () => {
  const claimed = { status: 'claimed' as const, claimedBy: 'agent-1', leaseUntil: '2026-03-02T15:15:00.000Z' };
  it('takes the outcome from the collector holding the claim while its lease runs', () => {
    expect(dialRefusal(claimed, 'agent-1', new Date('2026-03-02T15:14:59Z'))).toBeNull();
    expect(dialRefusal(claimed, 'agent-2', new Date('2026-03-02T15:14:59Z'))).toBe(
      'another collector has claimed the task',
    );
  });

  it("refuses an outcome once the claim's lease has ended, but not a retry of a dial already recorded", () => {
    expect(dialRefusal(claimed, 'agent-1', new Date('2026-03-02T15:15:00Z'))).toBe(
      "the claim's lease ended at 2026-03-02T15:15:00.000Z; claim the task again",
    );
    expect(dialRefusal({ ...claimed, status: 'dialled' }, 'agent-1', new Date('2026-03-02T16:00:00Z'))).toBeNull();
  });
});
