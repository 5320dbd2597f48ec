// fast-check arbitraries for inbound events: a valid detail per type, and values that must be refused.
import fc from 'fast-check';
import { DELINQUENCY_REASONS, SOURCE_OF, type DetailType } from '../../functions/domain/inbound-events';

const id = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_-]{0,20}$/);
const money = fc.integer({ min: 1, max: 1_000_000_000 });
const date = fc
  .date({ min: new Date('2026-01-01T00:00:00Z'), max: new Date('2027-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
export const instant = fc
  .date({ min: new Date('2026-01-01T00:00:00Z'), max: new Date('2027-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => `${d.toISOString().slice(0, 19)}Z`);
const customer = fc.record({
  name: fc.constantFrom('Ana Diaz', '张伟', "Seán O'Brien", 'Zoë Ng-Li', 'Ng Ka-ming'),
  email: fc.constantFrom('ana@example.com', 'x.y@bank.example'),
  phone: fc.constantFrom('+13125550100', '+8613800138000'),
  locale: fc.constantFrom('en-US', 'zh-CN'),
  timezone: fc.constantFrom('America/Chicago', 'Asia/Shanghai', 'UTC'),
});

/** A valid detail for each type: the starting point every mutation spoils one field of. */
export const VALID: Record<DetailType, fc.Arbitrary<Record<string, unknown>>> = {
  // The overdue amount is part of the balance.
  AccountDelinquent: fc
    .record({
      accountId: id,
      cycleId: id,
      currency: fc.constantFrom('USD', 'CNY', 'JPY'),
      balance: money,
      amountDue: money,
      dueDate: date,
      aprBps: fc.integer({ min: 0, max: 9999 }),
      lateFee: money,
      customer,
    })
    .map((d) => ({ ...d, balance: Math.max(d.balance, d.amountDue) })),
  AccountDueSoon: fc.record({
    accountId: id,
    statementId: id,
    currency: fc.constantFrom('USD', 'CNY', 'JPY'),
    minimumDue: money,
    dueDate: date,
    customer,
  }),
  PaymentPosted: fc.record({
    accountId: id,
    paymentId: id,
    amount: money,
    currency: fc.constantFrom('USD', 'CNY'),
    postedAt: instant,
  }),
  AccountUpdated: fc.record({ accountId: id, balance: money, amountDue: money }),
  PromiseToPayMade: fc.record({ accountId: id, promiseId: id, amount: money, dueDate: date }),
  PlanAccepted: fc.record({ accountId: id, planId: id, instalments: fc.integer({ min: 2, max: 60 }) }),
  DisputeRaised: fc.record({ accountId: id, disputeId: id, reason: fc.string({ minLength: 1, maxLength: 100 }) }),
  DisputeResolved: fc.record({ accountId: id, disputeId: id, outcome: fc.constantFrom('upheld', 'rejected') }),
  ChannelOptOut: fc.record({ accountId: id, channel: fc.constantFrom('email', 'sms', 'call') }),
  CeaseCommunication: fc.record({ accountId: id }),
  PlacementRecalled: fc.record({ accountId: id }),
  CallOutcomeRecorded: fc.record({
    accountId: id,
    callId: id,
    outcome: fc.constantFrom('no-answer', 'voicemail', 'right-party', 'wrong-party', 'refused'),
  }),
  InboundCallReceived: fc.record({ accountId: id, callId: id, agentId: id }),
  DelinquencyReasonRecorded: fc.record({
    accountId: id,
    reasonId: id,
    reason: fc.constantFrom(...DELINQUENCY_REASONS),
  }),
  SettlementAccepted: fc.record({ accountId: id, settlementId: id }),
  PaymentFailed: fc.record({
    accountId: id,
    paymentId: id,
    amount: money,
    currency: fc.constantFrom('USD', 'CNY'),
    reason: fc.constantFrom('insufficient funds', 'account closed'),
  }),
  PaymentReversed: fc.record({
    accountId: id,
    paymentId: id,
    reason: fc.constantFrom('returned', 'chargeback', 'error'),
  }),
};

const MONEY_FIELDS = new Set(['balance', 'amountDue', 'amount', 'lateFee']);
const ID_FIELDS = new Set([
  'accountId',
  'cycleId',
  'paymentId',
  'promiseId',
  'planId',
  'disputeId',
  'callId',
  'settlementId',
]);

/** Values that must be refused for a field, by what the field is. */
export const badValuesFor = (field: string): fc.Arbitrary<unknown> => {
  const wrongType = fc.oneof(fc.constant(null), fc.boolean(), fc.constant([]), fc.constant({}));
  if (MONEY_FIELDS.has(field)) {
    return fc.oneof(
      wrongType,
      fc.double({ min: 0.01, max: 1e6, noNaN: true }).filter((v) => !Number.isInteger(v)),
      fc.integer({ min: -1e9, max: -1 }),
      fc.constantFrom(2 ** 53, 2 ** 60, Number.MAX_VALUE, Infinity),
      fc.constant('120.00'),
    );
  }
  if (ID_FIELDS.has(field))
    return fc.oneof(
      wrongType,
      fc.constant(''),
      fc.string({ minLength: 65, maxLength: 80 }).map((s) => `A${s}`),
      fc.constantFrom('id with space', '名字', '<script>', '-leading'),
    );
  if (field === 'currency') return fc.oneof(wrongType, fc.constantFrom('usd', 'XYZ', 'US', 'DOLLARS', '€'));
  if (field === 'dueDate')
    return fc.oneof(wrongType, fc.constantFrom('2026-02-30', '2026-13-01', '26-01-01', 'tomorrow'));
  if (field === 'postedAt')
    return fc.oneof(wrongType, fc.constantFrom('2026-01-05', '2026-01-05T10:00:00+08:00', 'now'));
  return wrongType;
};

export const isRequired = (type: DetailType, field: string): boolean =>
  !(type === 'AccountUpdated' && field !== 'accountId') && !['aprBps', 'lateFee'].includes(field);

/** A detail of `type` with one field spoiled or (when required) left out, and the field's name. */
export const spoiledDetail = (type: DetailType) =>
  VALID[type].chain((detail) =>
    fc.constantFrom(...Object.keys(detail)).chain((field) =>
      fc
        .oneof(
          badValuesFor(field).map((value) => ({
            detail: { ...detail, [field]: value } as Record<string, unknown>,
            field,
          })),
          fc.constant({ detail: Object.fromEntries(Object.entries(detail).filter(([k]) => k !== field)), field }),
        )
        .filter(({ detail: d, field: f }) => (!(f in d) ? isRequired(type, f) : true)),
    ),
  );

export { SOURCE_OF };
