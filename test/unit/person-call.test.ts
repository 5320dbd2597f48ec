// One call for all debts (docs/contract.md §11.1), in plain values: where an account of a person places the call it
// wants, what joining the person's task records and announces, and what one dial of it does on each account.
import { describe, expect, it } from 'vitest';
import type { AccountState } from '../../functions/domain/account';
import { applyEvent } from '../../functions/domain/apply-event';
import { attemptContact, callTaskCreated } from '../../functions/domain/contact-attempt';
import {
  accountsCovered,
  CALL_BEING_RECORDED,
  personCallDecision,
  type PersonCallTask,
  type PersonTaskPointer,
} from '../../functions/domain/person-call';
import { eventOutFor } from '../../functions/domain/record';
import { DEFAULT_STRATEGY } from '../../functions/domain/strategy';
import { POLICY_PACKS } from '../../policies/built-in-packs';
import { anAccount, at } from '../support/fixtures';

const pack = POLICY_PACKS['us-regf'];
const playbook = { pack, strategy: DEFAULT_STRATEGY };
// 09:00 in Chicago.
const now = at('2026-01-06T15:00:00Z');

const task = (over: Partial<PersonCallTask> = {}): PersonCallTask => ({
  taskId: 'T1',
  accountId: 'A1',
  cycleId: '2026-01',
  accountIds: ['A1'],
  expiresAt: '2026-01-07T03:00:00.000Z',
  status: 'open',
  ...over,
});
const pointer = (over: Partial<PersonCallTask> | null = {}): PersonTaskPointer => ({
  version: 4,
  taskId: 'T1',
  expiresAt: '2026-01-07T03:00:00.000Z',
  task: over === null ? null : task(over),
});

/** The account with the person's task queued on it (or joined), as the contact step leaves it. */
const holding = (state: AccountState, joining?: PersonCallTask) => {
  const attempt = attemptContact(state, 'call', 'reminder-firm', now, playbook);
  if (attempt.kind !== 'contact') throw new Error(attempt.kind);
  return callTaskCreated(state, attempt.pending, now, pack, joining);
};

describe('where an account of a person places the call it wants', () => {
  it('makes the first task of a person with none yet, and the next one once the last window has ended', () => {
    expect(personCallDecision(null, [], now)).toEqual({ kind: 'make', expectedVersion: null });
    expect(personCallDecision(pointer({ expiresAt: '2026-01-06T03:00:00.000Z' }), [], now)).toEqual({
      kind: 'make',
      expectedVersion: 4,
    });
    // The table let the task go (its TTL): it is over.
    expect(personCallDecision(pointer(null), [], now)).toEqual({ kind: 'make', expectedVersion: 4 });
  });

  it('joins the task of the person that is open, claimed or not', () => {
    expect(personCallDecision(pointer(), [], now)).toEqual({ kind: 'join', task: task(), expectedVersion: 4 });
    expect(personCallDecision(pointer({ status: 'claimed' }), [], now)).toMatchObject({ kind: 'join' });
  });

  it("waits while a dialled task's outcome has not reached an account holding it, and makes the next after", () => {
    const dialled = pointer({ status: 'dialled', accountIds: ['A1', 'A2'] });
    const a1 = holding(anAccount({ customerId: 'CIF-1' })).state;
    const held = { ...a1, callTask: { ...a1.callTask!, taskId: 'T1' } };
    expect(personCallDecision(dialled, [held], now)).toEqual({ kind: 'wait', rule: CALL_BEING_RECORDED });
    // Recorded on it (no task held), or its cycle closed: the call is over.
    expect(personCallDecision(dialled, [{ ...held, callTask: null }], now)).toEqual({
      kind: 'make',
      expectedVersion: 4,
    });
    expect(personCallDecision(dialled, [{ ...held, status: 'closed' }], now)).toMatchObject({ kind: 'make' });
  });
});

describe("an account joining the person's task", () => {
  it('holds the task under its own contact id, records the list, and announces the task with its first account', () => {
    const first = task({ accountIds: ['A1'], cycleId: '2025-12' });
    const { state, entries } = holding(anAccount({ accountId: 'A2', customerId: 'CIF-1' }), first);
    expect(state.callTask).toMatchObject({ taskId: 'T1', contactId: '2026-01-C1', expiresAt: first.expiresAt });
    const entry = entries.find((e) => e.kind === 'call-task')!;
    expect(entry).toMatchObject({ taskId: 'T1', accountIds: ['A1', 'A2'], taskCycleId: '2025-12' });
    expect(eventOutFor(entry, { accountId: 'A2', cycleId: '2026-01' })).toEqual({
      detailType: 'CallTaskCreated',
      detail: {
        accountId: 'A1',
        cycleId: '2025-12',
        accountIds: ['A1', 'A2'],
        at: now.toISOString(),
        taskId: 'T1',
        expiresAt: first.expiresAt,
      },
    });
  });

  it('lists itself alone on a task it makes; an account without a customer number lists nothing, as before', () => {
    const made = holding(anAccount({ customerId: 'CIF-1' })).entries.find((e) => e.kind === 'call-task')!;
    expect(made).toMatchObject({ accountIds: ['A1'] });
    expect(eventOutFor(made, { accountId: 'A1', cycleId: '2026-01' })?.detail).toMatchObject({
      accountId: 'A1',
      accountIds: ['A1'],
    });
    const alone = holding(anAccount()).entries.find((e) => e.kind === 'call-task')!;
    expect(alone).not.toHaveProperty('accountIds');
  });
});

describe("one dial of the person's task", () => {
  const a1 = holding(anAccount({ customerId: 'CIF-1' })).state;
  const t1 = a1.callTask!.taskId;
  const a2 = holding(anAccount({ accountId: 'A2', customerId: 'CIF-1' }), task({ taskId: t1 })).state;
  const dial = (state: AccountState, covers: string[], outcome: 'right-party' | 'no-answer' = 'right-party') => {
    const applied = applyEvent(
      state,
      { detailType: 'CallOutcomeRecorded', detail: { accountId: state.accountId, callId: t1, outcome } },
      now,
      pack,
      covers,
    );
    if (applied.kind !== 'applied') throw new Error(applied.kind);
    return applied;
  };

  it('covers each open account of the person holding it', () => {
    expect(accountsCovered([a2, a1, anAccount({ accountId: 'A3' })], t1)).toEqual(['A1', 'A2']);
    expect(accountsCovered([{ ...a2, status: 'closed' }, a1], t1)).toEqual(['A1']);
  });

  it('is a call on each account it covers, naming them all, and a conversation starts the quiet days on each', () => {
    for (const state of [a1, a2]) {
      const { state: after, entries } = dial(state, ['A1', 'A2']);
      expect(entries.find((e) => e.kind === 'contact')).toMatchObject({ channel: 'call', accountIds: ['A1', 'A2'] });
      expect(after.callTask).toBeNull();
      expect(after.history.lastRightPartyAt).toBe(now.toISOString());
      expect(after.history.recentContacts.map((c) => c.channel)).toEqual(['call']);
    }
  });

  it('is no contact on an account where a call was no longer allowed, which lets the task go', () => {
    const { state, entries } = dial({ ...a2, ceased: true }, ['A1', 'A2']);
    expect(entries.map((e) => e.kind)).toEqual(['contact-blocked', 'call-outcome']);
    expect(entries[0]).toMatchObject({ channel: 'call', rule: 'us-regf/cease-communication' });
    expect(state.callTask).toBeNull();
    expect(state.history.recentContacts).toEqual([]);
  });

  it('on an account alone is a call as before, with no list', () => {
    const { entries } = dial(a1, [], 'no-answer');
    expect(entries.find((e) => e.kind === 'contact')).not.toHaveProperty('accountIds');
  });
});
