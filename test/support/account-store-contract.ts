// The AccountStore contract: every implementation (DynamoDB, in process) keeps these promises, so the
// handlers and the simulation behave the same on either. The call queue they hold has its own (call-queue-contract.ts).
import { expect, it } from 'vitest';
import { applyEvent } from '../../functions/domain/apply-event';
import { POLICY_PACKS } from '../../policies/built-in-packs';
import type { AccountState } from '../../functions/domain/account';
import type { AccountStore, CallQueue, PortfolioReader } from '../../functions/ports';
import { at, delinquent } from './fixtures';

const us = POLICY_PACKS['us-regf'];

export type ContractStore = AccountStore & CallQueue & PortfolioReader;

/** Opens a cycle for a new account (its delinquency, as the intake saves it) and returns the saved state. */
export const openAccount = async (repo: AccountStore, accountId: string): Promise<AccountState> => {
  const outcome = applyEvent(null, delinquent({ accountId }), at('2026-01-05T06:00:00Z'), us);
  if (outcome.kind !== 'applied') throw new Error(outcome.reason);
  const saved = await repo.save({
    state: outcome.state,
    expectedVersion: null,
    entries: outcome.entries,
    profile: outcome.profile,
  });
  if (saved.kind !== 'saved') throw new Error(saved.kind);
  return saved.state;
};

export const accountStoreContract = (make: () => Promise<ContractStore>) => {
  let repo: ContractStore;
  const open = async (accountId: string): Promise<AccountState> => openAccount((repo ??= await make()), accountId);

  /** Applies a payment the way the intake does: re-read and retry on a version conflict. */
  const postPayment = async (accountId: string, paymentId: string, amount: number) => {
    for (;;) {
      const state = (await repo.getState(accountId))!;
      const outcome = applyEvent(
        state,
        {
          detailType: 'PaymentPosted',
          detail: { accountId, paymentId, amount, currency: 'USD', postedAt: '2026-01-06T15:00:00Z' },
        },
        at('2026-01-06T15:00:00Z'),
        us,
      );
      if (outcome.kind !== 'applied') throw new Error(outcome.kind);
      const result = await repo.save({
        state: outcome.state,
        expectedVersion: state.version,
        entries: outcome.entries,
        creates: [{ sk: `PAYMENT#${paymentId}`, attributes: { paymentId, amount } }],
      });
      if (result.kind !== 'conflict') return result.kind;
    }
  };

  it('stores state and profile apart, and reads both in one call', async () => {
    await open('R1');
    const loaded = await repo.getWithProfile('R1');
    expect(loaded?.profile).toEqual({ name: 'Ana Diaz', email: 'ana@example.com', phone: '+13125550100' });
    expect(loaded?.state).toMatchObject({ accountId: 'R1', version: 1, status: 'open' });
    // A state read is the state alone: no table keys.
    for (const key of ['pk', 'sk']) expect(await repo.getState('R1')).not.toHaveProperty(key);
    expect(JSON.stringify(loaded?.state)).not.toContain('ana@example.com');
  });

  it('reads several states at once, leaving out accounts that do not exist', async () => {
    await open('RB1');
    await open('RB2');
    const ids = ['RB1', 'NOPE', 'RB2', 'RB1', ...Array.from({ length: 120 }, (_, i) => `NONE-${i}`)];
    const states = await repo.getStates(ids);
    expect([...states.keys()].sort()).toEqual(['RB1', 'RB2']);
    expect(states.get('RB2')).toMatchObject({ accountId: 'RB2', version: 1, status: 'open' });
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
    expect(await repo.save({ state: { ...state, amountDue: 2 }, expectedVersion: state.version })).toEqual({
      kind: 'conflict',
    });
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
    const opening = await repo.record('R5', '2026-01');
    expect(opening).toMatchObject([{ kind: 'started', amountDue: 12_000 }, { kind: 'ledger' }]);
    const optOut = {
      state,
      expectedVersion: state.version,
      entries: [{ kind: 'opt-out' as const, at: '2026-01-06T00:00:00.000Z', channel: 'sms' as const }],
    };
    expect((await repo.save(optOut)).kind).toBe('saved');
    expect((await repo.save(optOut)).kind).toBe('conflict');
    expect(await repo.record('R5', '2026-01')).toEqual([...opening, optOut.entries[0]]);
  });

  it(
    "adds a change's figures to its day in the same write; a refused write adds nothing; concurrent writers " +
      'lose nothing',
    async () => {
      const day = '2027-03-03';
      const at = `${day}T15:00:00.000Z`;
      const figures = async () => (await repo.dailyFigures([day, '2027-03-04']))[day] ?? {};
      const pay = async (accountId: string, paymentId: string, amount: number) => {
        // As the workflow does: a lost race or a conflict on the shared day is tried again on fresh state.
        for (;;) {
          const state = (await repo.getState(accountId))!;
          try {
            const result = await repo.save({
              state: { ...state, collected: state.collected + amount },
              expectedVersion: state.version,
              entries: [
                { kind: 'payment', at, paymentId, amount, receivedAt: at },
                { kind: 'contact-blocked', at, channel: 'sms', rule: 'us-regf/dispute-hold' },
              ],
              creates: [{ sk: `PAYMENT#${paymentId}`, attributes: { paymentId, amount } }],
            });
            if (result.kind !== 'conflict') return result.kind;
          } catch (error) {
            if ((error as Error).name !== 'TransientError') throw error;
          }
        }
      };
      const before = await figures();
      const accounts = ['RF1', 'RF2', 'RF3', 'RF4', 'RF5', 'RF6'];
      for (const id of accounts) await open(id);
      expect(await Promise.all(accounts.map((id, i) => pay(id, `FP${i}`, 1000 + i)))).toEqual(Array(6).fill('saved'));
      // A replayed payment is a duplicate, and a write from a stale version a conflict: neither counts.
      expect(await pay('RF1', 'FP0', 1000)).toBe('duplicate');
      const stale = (await repo.getState('RF2'))!;
      expect(
        (
          await repo.save({
            state: stale,
            expectedVersion: stale.version - 1,
            entries: [{ kind: 'payment', at, paymentId: 'FPX', amount: 5, receivedAt: at }],
          })
        ).kind,
      ).toBe('conflict');
      const after = await figures();
      const added = (counter: string) => (after[counter] ?? 0) - (before[counter] ?? 0);
      expect(added('payments')).toBe(6);
      expect(added('collected:USD')).toBe(6 * 1000 + 15);
      expect(added('blocked:us-regf/dispute-hold')).toBe(6);
      expect(await repo.dailyFigures(['2027-03-04'])).toEqual({});
    },
  );

  it('parks a task token only on the version it diagnosed', async () => {
    const state = await open('R6');
    expect(await repo.parkTaskToken('R6', 'token-1', state.version, '2026-01-06T00:00:00.000Z')).toBe('stored');
    expect(await repo.parkTaskToken('R6', 'token-2', state.version, '2026-01-06T00:00:00.000Z')).toBe('stale');
    expect(await repo.getState('R6')).toMatchObject({ taskToken: 'token-1', version: state.version + 1 });
  });

  it('lists open accounts by bucket from the report index', async () => {
    await open('R7');
    const rows = await repo.listByStatus('open', 'B1');
    // A report row: what the report counts, projected into the index, and no PII.
    expect(rows).toContainEqual({
      accountId: 'R7',
      cycleId: '2026-01',
      bucket: 'B1',
      closeReason: null,
      collected: 0,
      amountDue: 12_000,
      currency: 'USD',
      escalationLevel: 0,
      onPlan: false,
      placed: false,
      courtesy: false,
    });
    expect(await repo.listByStatus('closed')).not.toContainEqual(expect.objectContaining({ accountId: 'R7' }));
    // Page by page, the same rows in the same order.
    const pages: unknown[][] = [];
    for await (const page of repo.pagesByStatus('open')) pages.push(page);
    expect(pages.every((page) => page.length > 0)).toBe(true);
    expect(pages.flat()).toEqual(await repo.listByStatus('open'));
  });

  it('refuses a second cycle start for an existing account, and a duplicate claim before a stale version', async () => {
    const state = await open('R8');
    expect(await repo.save({ state, expectedVersion: null })).toEqual({ kind: 'conflict' });
    await postPayment('R8', 'P1', 100);
    // Both the version and the claim are stale: the claim is what the caller must hear about.
    expect(
      await repo.save({ state, expectedVersion: state.version, creates: [{ sk: 'PAYMENT#P1', attributes: {} }] }),
    ).toEqual({ kind: 'duplicate', sk: 'PAYMENT#P1' });
  });

  it('returns copies: changing what was read changes nothing stored', async () => {
    await open('R9');
    const read = (await repo.getState('R9'))!;
    read.history.contacts = 99;
    read.optOuts.push('sms');
    expect(await repo.getState('R9')).toMatchObject({ history: { contacts: 0 }, optOuts: [] });
  });

  it('keeps claims readable and erases personal data but not the record', async () => {
    const state = await open('R10');
    await repo.save({
      state,
      expectedVersion: state.version,
      creates: [{ sk: 'DISPUTE#D1', attributes: { disputeId: 'D1', reason: 'Ana says no' } }],
    });
    expect(await repo.getClaim('R10', 'DISPUTE#D1')).toEqual({ disputeId: 'D1', reason: 'Ana says no' });
    expect(await repo.getClaim('R10', 'DISPUTE#D2')).toBeNull();
    const before = await repo.record('R10', '2026-01');
    expect(await repo.accountsByPhone('+13125550100')).toContain('R10');
    expect(await repo.erase('R10', at('2026-02-01T00:00:00Z'))).toEqual({
      erased: ['PROFILE', 'PHONE-INDEX', 'DISPUTE#D1'],
    });
    expect(await repo.accountsByPhone('+13125550100')).not.toContain('R10');
    expect((await repo.getWithProfile('R10'))?.profile).toEqual({ name: '', email: null, phone: null });
    expect(await repo.getClaim('R10', 'DISPUTE#D1')).toEqual({ disputeId: 'D1', erasedAt: '2026-02-01T00:00:00.000Z' });
    expect(await repo.record('R10', '2026-01')).toEqual([
      ...before,
      { kind: 'erased', at: '2026-02-01T00:00:00.000Z', items: ['PROFILE', 'PHONE-INDEX', 'DISPUTE#D1'] },
    ]);
  });

  it('finds accounts by phone through the index, and not by a number the customer has changed', async () => {
    await open('PH1');
    await open('PH2');
    expect((await repo.accountsByPhone('+13125550100')).filter((id) => id.startsWith('PH'))).toEqual(['PH1', 'PH2']);
    const state = (await repo.getState('PH2'))!;
    await repo.save({ state, expectedVersion: state.version, profile: { phone: '+13125550199' } });
    expect((await repo.accountsByPhone('+13125550100')).filter((id) => id.startsWith('PH'))).toEqual(['PH1']);
    expect(await repo.accountsByPhone('+13125550199')).toEqual(['PH2']);
    expect(await repo.accountsByPhone('+19999999999')).toEqual([]);
  });

  it('erases the note of a late-payment reason, keeping the reason', async () => {
    const state = await open('RN1');
    await repo.save({
      state,
      expectedVersion: state.version,
      creates: [{ sk: 'REASON#R1', attributes: { reasonId: 'R1', reason: 'job-loss', note: 'Ana lost her job' } }],
    });
    expect((await repo.erase('RN1', at('2026-02-01T00:00:00Z'))).erased).toEqual([
      'PROFILE',
      'PHONE-INDEX',
      'REASON#R1',
    ]);
    expect(await repo.getClaim('RN1', 'REASON#R1')).toEqual({
      reasonId: 'R1',
      reason: 'job-loss',
      erasedAt: '2026-02-01T00:00:00.000Z',
    });
  });
};
