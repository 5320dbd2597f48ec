// The person's one open call task (docs/contract.md §11.1), as every account store keeps it: the pointer in the
// person's partition is written with the change that makes or joins a task, under its version, so two accounts of one
// person racing to make a task cannot both succeed, and an account joins only a task not yet dialled.
import { expect, it } from 'vitest';
import type { AccountState } from '../../functions/domain/account';
import type { CallTaskItem, PersonTaskWrite } from '../../functions/ports';
import { openAccount, type ContractStore } from './account-store-contract';

const EXPIRES = '2099-01-06T03:00:00.000Z';
const NOW = new Date('2099-01-05T15:00:00Z');

const taskOf = (state: AccountState, taskId: string): CallTaskItem => ({
  taskId,
  accountId: state.accountId,
  accountIds: [state.accountId],
  cycleId: state.cycleId,
  createdAt: '2099-01-05T14:00:00.000Z',
  expiresAt: EXPIRES,
  status: 'open',
  claimedBy: null,
  leaseUntil: null,
});

export const personTaskContract = (make: () => Promise<ContractStore>) => {
  /** Saves the account's state again with the person's task made (`callTasks`) or joined. */
  const write = (repo: ContractStore, state: AccountState, personTask: PersonTaskWrite, made?: string) =>
    repo.save({
      state,
      expectedVersion: state.version,
      callTasks: made ? [taskOf(state, made)] : [],
      personTask,
    });
  const person = (taskId: string, expectedVersion: number | null, join?: PersonTaskWrite['join']) => ({
    customerId: 'CIF-9',
    taskId,
    expiresAt: EXPIRES,
    expectedVersion,
    ...(join ? { join } : {}),
  });

  it("makes the person's first task once: of two accounts making one at no pointer, the second conflicts", async () => {
    const repo = await make();
    const [a, b] = [await openAccount(repo, 'PA'), await openAccount(repo, 'PB')];
    expect((await write(repo, a, person('TA', null), 'TA')).kind).toBe('saved');
    expect((await write(repo, b, person('TB', null), 'TB')).kind).toBe('conflict');
    // Nothing of the refused change was written: neither its task nor its state.
    expect(await repo.getTask('TB')).toBeNull();
    expect((await repo.getState('PB'))!.version).toBe(b.version);
    expect(await repo.personTask('CIF-9')).toMatchObject({
      version: 1,
      taskId: 'TA',
      task: { taskId: 'TA', accountId: 'PA', accountIds: ['PA'], status: 'open', expiresAt: EXPIRES },
    });
    expect(await repo.personTask('CIF-NOBODY')).toBeNull();
  });

  it('lists a joining account on the open task, and refuses a join made on what the task listed before', async () => {
    const repo = await make();
    const [a, b, c] = [await openAccount(repo, 'QA'), await openAccount(repo, 'QB'), await openAccount(repo, 'QC')];
    await write(repo, a, person('TQ', null), 'TQ');
    expect((await write(repo, b, person('TQ', 1, { accountId: 'QB', listed: ['QA'] }))).kind).toBe('saved');
    expect((await repo.getTask('TQ'))!.accountIds).toEqual(['QA', 'QB']);
    expect(await repo.personTask('CIF-9')).toMatchObject({ version: 2, task: { accountIds: ['QA', 'QB'] } });
    // Decided on the pointer and the list as they were before QB joined: decide again.
    expect((await write(repo, c, person('TQ', 1, { accountId: 'QC', listed: ['QA'] }))).kind).toBe('conflict');
    expect((await repo.getTask('TQ'))!.accountIds).toEqual(['QA', 'QB']);
    // An account listed already (an earlier cycle of it held the task) joins it again without a second place.
    const again = (await repo.getState('QA'))!;
    expect((await write(repo, again, person('TQ', 2, { accountId: 'QA', listed: ['QA', 'QB'] }))).kind).toBe('saved');
    expect((await repo.getTask('TQ'))!.accountIds).toEqual(['QA', 'QB']);
  });

  it('refuses a join once the task is dialled, and lets the next task take the pointer', async () => {
    const repo = await make();
    const [a, b] = [await openAccount(repo, 'DA'), await openAccount(repo, 'DB')];
    await write(repo, a, person('TD', null), 'TD');
    await repo.claim('TD', 'agent-1', NOW, new Date(NOW.getTime() + 60_000));
    await repo.markDialled('TD', 'agent-1');
    expect((await write(repo, b, person('TD', 1, { accountId: 'DB', listed: ['DA'] }))).kind).toBe('conflict');
    expect((await write(repo, b, person('TE', 1), 'TE')).kind).toBe('saved');
    expect(await repo.personTask('CIF-9')).toMatchObject({ version: 2, taskId: 'TE', task: { accountIds: ['DB'] } });
  });
};
