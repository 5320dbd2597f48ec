// The CallQueue contract (docs/contract.md §3.12): the queue each account store holds over the same table keeps
// these promises in DynamoDB and in process alike, so the desk and the simulation's collectors meet the same queue.
import { beforeAll, expect, it } from 'vitest';
import type { CallTaskItem } from '../../functions/ports';
import { openAccount, type ContractStore } from './account-store-contract';

export const callQueueContract = (make: () => Promise<ContractStore>) => {
  let repo: ContractStore;
  beforeAll(async () => {
    repo = await make();
  });
  const open = (accountId: string) => openAccount(repo, accountId);

  const task = (accountId: string, taskId: string, expiresAt = '2026-01-06T03:00:00.000Z'): CallTaskItem => ({
    taskId,
    accountId,
    accountIds: [accountId],
    cycleId: '2026-01',
    createdAt: '2026-01-05T14:00:00.000Z',
    expiresAt,
    status: 'open',
    claimedBy: null,
    leaseUntil: null,
  });
  const queueTask = async (accountId: string, taskId: string, expiresAt?: string) => {
    const state = await open(accountId);
    const saved = await repo.save({
      state,
      expectedVersion: state.version,
      callTasks: [task(accountId, taskId, expiresAt)],
    });
    expect(saved.kind).toBe('saved');
  };
  const t = (iso: string) => new Date(iso);

  it('queues a task with the state change, lists it until its window ends, and refuses it twice', async () => {
    await queueTask('Q1', 'TQ1');
    expect((await repo.openTasks(t('2026-01-05T15:00:00Z'))).filter((x) => x.taskId === 'TQ1')).toEqual([
      task('Q1', 'TQ1'),
    ]);
    expect((await repo.openTasks(t('2026-01-06T03:00:00Z'))).some((x) => x.taskId === 'TQ1')).toBe(false);
    await queueTask('Q1B', 'TQ1B', '2026-01-06T02:00:00.000Z');
    // A limit keeps the soonest-ending.
    expect((await repo.openTasks(t('2026-01-05T15:00:00Z'), 1)).map((x) => x.taskId)).toEqual(['TQ1B']);
    const state = (await repo.getState('Q1'))!;
    await expect(
      repo.save({ state, expectedVersion: state.version, callTasks: [task('Q1', 'TQ1')] }),
    ).rejects.toThrow();
    expect((await repo.getState('Q1'))!.version).toBe(state.version);
  });

  it('lets one collector hold a task until its lease runs out', async () => {
    await queueTask('Q2', 'TQ2');
    const now = t('2026-01-05T15:00:00Z');
    const lease = t('2026-01-05T15:15:00Z');
    expect(await repo.claim('TQ2', 'agent-a', now, lease)).toEqual({
      kind: 'claimed',
      task: { ...task('Q2', 'TQ2'), status: 'claimed', claimedBy: 'agent-a', leaseUntil: lease.toISOString() },
    });
    expect(await repo.claim('TQ2', 'agent-b', t('2026-01-05T15:05:00Z'), t('2026-01-05T15:20:00Z'))).toEqual({
      kind: 'refused',
      reason: 'another collector has claimed the task',
    });
    // Claiming again answers the claim as it stands: the lease is not renewed (docs/contract.md §10.7).
    expect(await repo.claim('TQ2', 'agent-a', t('2026-01-05T15:05:00Z'), t('2026-01-05T15:20:00Z'), 3)).toEqual({
      kind: 'claimed',
      task: { ...task('Q2', 'TQ2'), status: 'claimed', claimedBy: 'agent-a', leaseUntil: lease.toISOString() },
    });
    expect((await repo.claim('TQ2', 'agent-b', t('2026-01-05T15:20:00Z'), t('2026-01-05T15:35:00Z'))).kind).toBe(
      'claimed',
    );
    expect(await repo.claim('NOPE', 'agent-a', now, lease)).toEqual({ kind: 'refused', reason: 'no such task' });
    expect(await repo.claim('TQ2', 'agent-a', t('2026-01-06T03:00:00Z'), t('2026-01-06T03:15:00Z'))).toEqual({
      kind: 'refused',
      reason: "the task's window ended at 2026-01-06T03:00:00.000Z",
    });
  });

  it('gives a task to one of two collectors claiming it at once', async () => {
    await queueTask('Q3', 'TQ3');
    const now = t('2026-01-05T15:00:00Z');
    const results = await Promise.all(
      ['agent-a', 'agent-b'].map((agent) => repo.claim('TQ3', agent, now, t('2026-01-05T15:15:00Z'))),
    );
    expect(results.map((r) => r.kind).sort()).toEqual(['claimed', 'refused']);
  });

  it('takes a dial only from the collector holding the task, and the task leaves the queue', async () => {
    await queueTask('Q4', 'TQ4');
    const now = t('2026-01-05T15:00:00Z');
    expect(await repo.markDialled('TQ4', 'agent-a')).toEqual({
      kind: 'refused',
      reason: 'claim the task before recording its outcome',
    });
    await repo.claim('TQ4', 'agent-a', now, t('2026-01-05T15:15:00Z'));
    expect(await repo.markDialled('TQ4', 'agent-b')).toEqual({
      kind: 'refused',
      reason: 'another collector has claimed the task',
    });
    expect((await repo.markDialled('TQ4', 'agent-a')).kind).toBe('claimed');
    expect((await repo.markDialled('TQ4', 'agent-a')).kind).toBe('claimed');
    expect((await repo.getTask('TQ4'))?.status).toBe('dialled');
    expect((await repo.openTasks(now)).some((x) => x.taskId === 'TQ4')).toBe(false);
    expect(await repo.claim('TQ4', 'agent-b', now, t('2026-01-05T15:15:00Z'))).toEqual({
      kind: 'refused',
      reason: 'the task has been dialled',
    });
  });

  it('lets a collector hold at most 3 claims at once; a dial or a lapsed lease frees a place', async () => {
    const now = t('2026-01-05T15:00:00Z');
    const lease = t('2026-01-05T15:15:00Z');
    for (const n of [1, 2, 3, 4]) await queueTask(`CAP${n}`, `TCAP${n}`);
    for (const n of [1, 2, 3]) expect((await repo.claim(`TCAP${n}`, 'agent-cap', now, lease, 3)).kind).toBe('claimed');
    expect(await repo.claim('TCAP4', 'agent-cap', now, lease, 3)).toEqual({
      kind: 'refused',
      reason:
        'you hold 3 claims already (TCAP1, TCAP2, TCAP3), the most at once: record an outcome or let a lease run out ' +
        'first',
    });
    // Another collector is not held back by this one's claims.
    expect((await repo.claim('TCAP4', 'agent-other', now, lease, 3)).kind).toBe('claimed');
    await queueTask('CAP5', 'TCAP5');
    expect((await repo.markDialled('TCAP1', 'agent-cap')).kind).toBe('claimed');
    expect((await repo.claim('TCAP5', 'agent-cap', now, lease, 3)).kind).toBe('claimed');
    await queueTask('CAP6', 'TCAP6');
    expect((await repo.claim('TCAP6', 'agent-cap', t('2026-01-05T15:10:00Z'), lease, 3)).kind).toBe('refused');
    expect((await repo.claim('TCAP6', 'agent-cap', lease, t('2026-01-05T15:30:00Z'), 3)).kind).toBe('claimed');
    // Without a cap (the simulated collectors, each dialling what it claims at once) none applies: at 15:05 this
    // collector still holds TCAP2, TCAP3, TCAP5 and TCAP6.
    await queueTask('CAP7', 'TCAP7');
    const uncapped = await repo.claim('TCAP7', 'agent-cap', t('2026-01-05T15:05:00Z'), t('2026-01-05T15:20:00Z'));
    expect(uncapped.kind).toBe('claimed');
  });

  it('keeps the longest access a collector was given to an account', async () => {
    expect(await repo.accessOf('ACC-A', 'agent-a')).toBeNull();
    const access = { accountId: 'ACC-A', agentId: 'agent-a', reason: 'inbound-call' as const };
    await repo.grantAccess({ ...access, until: '2026-01-05T15:30:00.000Z' });
    await repo.grantAccess({ ...access, until: '2026-01-05T15:15:00.000Z', reason: 'claim' });
    expect(await repo.accessOf('ACC-A', 'agent-a')).toEqual({ ...access, until: '2026-01-05T15:30:00.000Z' });
    await repo.grantAccess({ ...access, until: '2026-01-05T16:00:00.000Z', reason: 'claim' });
    expect(await repo.accessOf('ACC-A', 'agent-a')).toEqual({
      ...access,
      until: '2026-01-05T16:00:00.000Z',
      reason: 'claim',
    });
    expect(await repo.accessOf('ACC-A', 'agent-b')).toBeNull();
  });

  it('counts a collector at most 3 open inbound calls, even opened at once; an ended call frees a place', async () => {
    const now = t('2026-01-05T15:00:00Z');
    const until = '2026-01-05T15:30:00.000Z';
    const opened = await Promise.all(
      ['IN1', 'IN2', 'IN3', 'IN4'].map((callId) => repo.openInboundCall('agent-in', callId, until, now, 3)),
    );
    expect(opened.filter((o) => o.kind === 'opened')).toHaveLength(3);
    expect(opened.filter((o) => o.kind === 'refused')).toEqual([{ kind: 'refused', open: 3 }]);
    // Another collector has places of their own; once the calls end, this one has again.
    expect(await repo.openInboundCall('agent-other', 'IN5', until, now, 3)).toEqual({ kind: 'opened' });
    expect(await repo.openInboundCall('agent-in', 'IN6', '2026-01-05T16:00:00.000Z', t(until), 3)).toEqual({
      kind: 'opened',
    });
  });
};
