// The call-queue KPIs read from the record alone: tasks, dials, expiries, conversations, queue wait.
import { describe, expect, it } from 'vitest';
import type { RecordEntry } from '../../functions/domain/record';
import { computeKpis, tallyAccounts } from '../../workflows/tools/simulation/kpis';
import type { SimulatedAccount, SimulationRun } from '../../workflows/tools/simulation/run-simulation';
import { emptyUsage } from '../../workflows/twin/usage';
import { anAccount } from '../support/fixtures';

const frame = { start: new Date('2026-01-05T00:00:00Z'), until: new Date('2026-02-04T00:00:00Z'), days: 30 };
const noUsage: SimulationRun['usage'] = {
  ...emptyUsage(),
  transitions: 0,
  messages: { email: 0, sms: 0 },
  eventsOut: 0,
  eventsIn: 0,
  eventsLate: 0,
  executions: 0,
  failedExecutions: 0,
  faultsInjected: 0,
  crashesInjected: {},
  throttlesInjected: {},
};
/** The call KPIs as a run computes them: each account tallied, the tally's ratios taken. */
const callKpis = (accounts: SimulatedAccount[], collectors?: SimulationRun['collectors']) =>
  computeKpis({ tally: tallyAccounts(accounts, frame), violations: [], collectors, usage: noUsage }).calls;

const task = (contactId: string, at: string): RecordEntry => ({
  kind: 'call-task',
  at,
  taskId: `T-${contactId}`,
  contactId,
  expiresAt: '2026-01-07T03:00:00.000Z',
});
const call = (contactId: string, at: string, template = 'reminder-firm'): RecordEntry => ({
  kind: 'contact',
  at,
  contactId,
  channel: 'call',
  template,
  locale: 'en-US',
  rule: 'r',
  text: '',
});
const outcome = (at: string, value: string): RecordEntry => ({ kind: 'call-outcome', at, callId: 'x', outcome: value });

describe('call KPIs', () => {
  it('count tasks, dials, expiries and outside calls, the right-party rate and the mean wait, per account', () => {
    // Both accounts use contact id C1: a dial is matched to its own account's task.
    const a = {
      profile: 'non-payer' as const,
      state: anAccount({ accountId: 'A' }),
      record: [
        task('C1', '2026-01-06T15:00:00.000Z'),
        call('C1', '2026-01-06T15:30:00.000Z'),
        outcome('2026-01-06T15:30:00.000Z', 'right-party'),
        task('C2', '2026-01-08T15:00:00.000Z'),
        {
          kind: 'contact-failed',
          at: '2026-01-09T03:00:00.000Z',
          contactId: 'C2',
          channel: 'call',
          template: 'reminder-firm',
          rule: 'r',
          reason: 'expired',
        } as RecordEntry,
      ],
    };
    const b = {
      profile: 'non-payer' as const,
      state: anAccount({ accountId: 'B' }),
      record: [
        task('C1', '2026-01-06T16:00:00.000Z'),
        call('C1', '2026-01-06T16:10:00.000Z'),
        outcome('2026-01-06T16:10:00.000Z', 'no-answer'),
        call('CALL-9', '2026-01-07T16:00:00.000Z', 'call-outside-queue'),
        outcome('2026-01-07T16:00:00.000Z', 'voicemail'),
      ],
    };
    expect(callKpis([a, b])).toEqual({
      tasks: 3,
      dialled: 2,
      expired: 1,
      outsideQueue: 1,
      rightParty: 1,
      rightPartyRate: 1 / 3,
      averageQueueWaitMinutes: (30 + 10) / 2,
      collectors: null,
    });
    // With a team: dials in the record per collector-hour on shift, and the share of that time on calls.
    expect(callKpis([a, b], { agents: 2, dials: 3, shiftHours: 4, busyHours: 1 }).collectors).toEqual({
      agents: 2,
      dialsPerCollectorHour: 2 / 4,
      utilisation: 1 / 4,
    });
  });

  it('has no rate or wait when nothing was called', () => {
    expect(callKpis([])).toMatchObject({ tasks: 0, rightPartyRate: null, averageQueueWaitMinutes: null });
  });
});
