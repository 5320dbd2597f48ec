// What the apply-event tests share: the pack, the moment events arrive, the state an applied outcome leaves, and a
// payment on account A1.
import type { Outcome } from '../../functions/domain/apply-event';
import type { AccountState } from '../../functions/domain/account';
import { POLICY_PACKS } from '../../policies/built-in-packs';
import { at } from './fixtures';

export const us = POLICY_PACKS['us-regf'];
export const now = at('2026-01-09T15:00:00Z');
export const appliedState = (outcome: Outcome): AccountState => {
  if (outcome.kind !== 'applied')
    throw new Error(`expected applied, got ${outcome.kind}: ${'reason' in outcome ? outcome.reason : ''}`);
  return outcome.state;
};
export const pay = (amount: number, paymentId = 'P1') =>
  ({
    detailType: 'PaymentPosted',
    detail: { accountId: 'A1', paymentId, amount, currency: 'USD', postedAt: '2026-01-09T15:00:00Z' },
  }) as const;
