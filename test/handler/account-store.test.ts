import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { DynamoAccountStore } from '../../functions/adapters/aws/dynamodb-account-store';
import { applyEvent } from '../../functions/domain/apply-event';
import { POLICY_PACKS } from '../../functions/domain/policy-packs';
import type { AccountState } from '../../functions/domain/account';
import { at, delinquent } from '../support/fixtures';
import { localTable } from '../support/local-table';

const us = POLICY_PACKS['us-regf'];
const ROOT = path.resolve(import.meta.dirname, '../..');
let repo: DynamoAccountStore;
let table: Awaited<ReturnType<typeof localTable>>;

beforeAll(async () => {
  table = await localTable();
  repo = new DynamoAccountStore(table.doc, table.tableName);
});

const open = async (accountId: string): Promise<AccountState> => {
  const outcome = applyEvent(null, delinquent({ accountId }), at('2026-01-05T06:00:00Z'), us);
  if (outcome.kind !== 'applied') throw new Error(outcome.reason);
  const saved = await repo.save({ state: outcome.state, expectedVersion: null, entries: outcome.entries, profile: outcome.profile });
  if (saved.kind !== 'saved') throw new Error(saved.kind);
  return saved.state;
};

/** Applies a payment the way the intake does: re-read and retry on a version conflict. */
const postPayment = async (accountId: string, paymentId: string, amount: number) => {
  for (;;) {
    const state = (await repo.getState(accountId))!;
    const outcome = applyEvent(state, { detailType: 'PaymentPosted', detail: { accountId, paymentId, amount, currency: 'USD', postedAt: '2026-01-06T15:00:00Z' } }, at('2026-01-06T15:00:00Z'), us);
    if (outcome.kind !== 'applied') throw new Error(outcome.kind);
    const result = await repo.save({ state: outcome.state, expectedVersion: state.version, entries: outcome.entries, creates: [{ sk: `PAYMENT#${paymentId}`, attributes: { paymentId, amount } }] });
    if (result.kind !== 'conflict') return result.kind;
  }
};

describe('account store (DynamoDB Local)', () => {
  it('stores state and profile apart, and reads both in one call', async () => {
    await open('R1');
    const loaded = await repo.getWithProfile('R1');
    expect(loaded?.profile).toEqual({ name: 'Ana Diaz', email: 'ana@example.com', phone: '+13125550100' });
    expect(loaded?.state).toMatchObject({ accountId: 'R1', version: 1, status: 'open' });
    expect(JSON.stringify(loaded?.state)).not.toContain('ana@example.com');
  });

  it('applies a duplicate payment once', async () => {
    await open('R2');
    expect(await postPayment('R2', 'P1', 1000)).toBe('saved');
    expect(await postPayment('R2', 'P1', 1000)).toBe('duplicate');
    expect((await repo.getState('R2'))?.collected).toBe(1000);
  });

  it('rejects a write from a stale version', async () => {
    const state = await open('R3');
    expect((await repo.save({ state: { ...state, amountDue: 1 }, expectedVersion: state.version })).kind).toBe('saved');
    expect(await repo.save({ state: { ...state, amountDue: 2 }, expectedVersion: state.version })).toEqual({ kind: 'conflict' });
    expect((await repo.getState('R3'))?.amountDue).toBe(1);
  });

  it('loses no payment under concurrent updates', async () => {
    await open('R4');
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => postPayment('R4', `P${i}`, 100 + i)));
    expect(results).toEqual(Array(8).fill('saved'));
    const state = await repo.getState('R4');
    expect(state?.collected).toBe(8 * 100 + 28);
    expect(state?.version).toBe(9);
    expect((await repo.record('R4', '2026-01')).filter((e) => e.kind === 'payment')).toHaveLength(8);
  });

  it('keeps the audit append-only: later changes add entries, a replayed change adds none', async () => {
    const state = await open('R5');
    const [started] = await repo.record('R5', '2026-01');
    expect(started).toMatchObject({ kind: 'started', amountDue: 12_000 });
    const optOut = { state, expectedVersion: state.version, entries: [{ kind: 'opt-out' as const, at: '2026-01-06T00:00:00.000Z', channel: 'sms' as const }] };
    expect((await repo.save(optOut)).kind).toBe('saved');
    expect((await repo.save(optOut)).kind).toBe('conflict');
    expect(await repo.record('R5', '2026-01')).toEqual([started, optOut.entries[0]]);
  });

  it('parks a task token only on the version it diagnosed', async () => {
    const state = await open('R6');
    expect(await repo.parkTaskToken('R6', 'token-1', state.version, '2026-01-06T00:00:00.000Z')).toBe('stored');
    expect(await repo.parkTaskToken('R6', 'token-2', state.version, '2026-01-06T00:00:00.000Z')).toBe('stale');
    expect((await repo.getState('R6'))).toMatchObject({ taskToken: 'token-1', version: state.version + 1 });
  });

  it('lists open accounts by bucket from the report index', async () => {
    await open('R7');
    const rows = await repo.listByStatus('open', 'B1');
    expect(rows).toContainEqual({ accountId: 'R7', bucket: 'B1' });
    expect(await repo.listByStatus('closed')).not.toContainEqual(expect.objectContaining({ accountId: 'R7' }));
  });
});

describe('right to erasure', () => {
  const erase = (...args: string[]) => spawnSync(process.execPath, [path.join(ROOT, 'node_modules/tsx/dist/cli.mjs'), path.join(ROOT, 'workflows/cli/erase.ts'), ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });

  it('removes contact points and dispute text, keeps the record and outcomes, and records the erasure', async () => {
    const opened = await open('ER1');
    const dispute = applyEvent(opened, { detailType: 'DisputeRaised', detail: { accountId: 'ER1', disputeId: 'D1', reason: 'Ana Diaz says this is not hers' } }, at('2026-01-06T15:00:00Z'), us);
    if (dispute.kind !== 'applied') throw new Error(dispute.kind);
    await repo.save({ state: dispute.state, expectedVersion: opened.version, entries: dispute.entries, creates: [{ sk: 'DISPUTE#D1', attributes: { disputeId: 'D1', reason: 'Ana Diaz says this is not hers' } }] });
    const before = await repo.record('ER1', '2026-01');

    const result = erase('ER1', '--table', table.tableName, '--endpoint', inject('dynamoEndpoint'));
    expect(result.status, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ accountId: 'ER1', erased: ['PROFILE', 'DISPUTE#D1'] });

    expect((await repo.getWithProfile('ER1'))?.profile).toEqual({ name: '', email: null, phone: null });
    expect(await repo.getClaim('ER1', 'DISPUTE#D1')).toEqual({ disputeId: 'D1', erasedAt: expect.any(String) });
    const after = await repo.record('ER1', '2026-01');
    expect(after.slice(0, before.length)).toEqual(before);
    expect(after.at(-1)).toMatchObject({ kind: 'erased', items: ['PROFILE', 'DISPUTE#D1'] });
    expect((await repo.getState('ER1'))?.openDisputes).toEqual(['D1']);
  });

  it('refuses an unknown account and a missing table, saying which', () => {
    const unknown = erase('NOBODY', '--table', table.tableName, '--endpoint', inject('dynamoEndpoint'));
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain('erase NOBODY: account NOBODY has no collection state');
    const noTable = erase('ER1');
    expect(noTable.status).toBe(2);
    expect(noTable.stderr).toContain('--table: the table name is required');
  });
});
