import { describe, expect, it } from 'vitest';
import { actionEvent } from '../../functions/api/actions';
import { ApiProblem } from '../../functions/api/problem';
import { POLICY_PACKS } from '../../policies/built-in-packs';
import { anAccount, at } from '../support/fixtures';

const pack = POLICY_PACKS['us-regf'];
const now = at('2026-01-09T15:00:00Z');
const promise = (dueDate: string, state = anAccount()) =>
  actionEvent(
    'collections.customer',
    'PromiseToPayMade',
    { amount: 5_000, dueDate },
    ['amount', 'dueDate'],
    { accountId: state.accountId, promiseId: 'PTP-1' },
    { state, now, pack },
  );
const problemOf = (act: () => unknown): ApiProblem => {
  try {
    act();
  } catch (error) {
    if (error instanceof ApiProblem) return error;
    throw error;
  }
  throw new Error('expected an ApiProblem');
};

describe('an action checked against the account as it stands', () => {
  it('becomes the §1 event when the intake would apply it', () => {
    expect(promise('2026-01-09')).toEqual({
      source: 'collections.customer',
      detailType: 'PromiseToPayMade',
      detail: { accountId: 'A1', promiseId: 'PTP-1', amount: 5_000, dueDate: '2026-01-09' },
    });
  });

  it('is a 422 naming the body field when the intake would reject that field', () => {
    const problem = problemOf(() => promise('2026-01-08'));
    expect(problem.status).toBe(422);
    expect(problem.errors).toEqual([
      { field: 'dueDate', reason: "2026-01-08 is before today (2026-01-09) in the customer's time zone" },
    ]);
  });

  it('is a 409 when the account itself does not take it now (a statement coming due is no collection cycle)', () => {
    const problem = problemOf(() => promise('2026-01-20', anAccount({ courtesy: { statementId: 'S1' } })));
    expect(problem.status).toBe(409);
    expect(problem.message).toBe(
      'Not possible now: accountId: no open collection cycle for A1 (only a statement coming due).',
    );
  });
});
