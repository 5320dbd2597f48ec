// Plain-value builders for domain tests.
import { emptyHistory, type AccountHistory, type AccountState } from '../../functions/domain/account';
import type { InboundOf } from '../../functions/domain/inbound-events';

export const anAccount = (
  overrides: Partial<Omit<AccountState, 'history'>> & { history?: Partial<AccountHistory> } = {},
): AccountState => {
  const { history, ...rest } = overrides;
  return {
    accountId: 'A1',
    cycleId: '2026-01',
    status: 'open',
    closeReason: null,
    closedAt: null,
    openedAt: '2026-01-05T06:00:00.000Z',
    currency: 'USD',
    balance: 250_000,
    amountDue: 12_000,
    overdue: 12_000,
    collected: 0,
    dueDate: '2026-01-01',
    aprBps: 2999,
    lateFee: 3900,
    locale: 'en-US',
    timezone: 'America/Chicago',
    reachable: ['email', 'sms', 'call'],
    flags: { bankrupt: false, deceased: false, hardship: false },
    optOuts: [],
    ceased: false,
    openDisputes: [],
    resolvedDisputes: [],
    escalationLevel: 0,
    bucket: 'B1',
    promise: null,
    lastPromise: null,
    plan: null,
    lastOffer: null,
    pendingContact: null,
    taskToken: null,
    tokenExpiresAt: null,
    version: 1,
    ...rest,
    history: { ...emptyHistory(), ...history },
  };
};

export const delinquent = (
  detail: Partial<InboundOf<'AccountDelinquent'>['detail']> = {},
): InboundOf<'AccountDelinquent'> => ({
  detailType: 'AccountDelinquent',
  detail: {
    accountId: 'A1',
    cycleId: '2026-01',
    currency: 'USD',
    balance: 250_000,
    amountDue: 12_000,
    dueDate: '2026-01-01',
    aprBps: 2999,
    lateFee: 3900,
    customer: {
      name: 'Ana Diaz',
      email: 'ana@example.com',
      phone: '+13125550100',
      locale: 'en-US',
      timezone: 'America/Chicago',
    },
    ...detail,
  },
});

export const at = (iso: string): Date => new Date(iso);
