// Property tests (fast-check): whatever the bank, a customer or an agent sends, a bad field is refused
// with a reason that names it, and nothing throws; valid events always pass.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DETAIL_TYPES, parseInbound, SOURCE_OF, type DetailType } from '../../functions/domain/inbound-events';
import { InvalidScenarioError, parseScenario } from '../../workflows/scenario/scenario-file';

const id = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_-]{0,20}$/);
const money = fc.integer({ min: 1, max: 1_000_000_000 });
const date = fc.date({ min: new Date('2026-01-01T00:00:00Z'), max: new Date('2027-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
const instant = fc.date({ min: new Date('2026-01-01T00:00:00Z'), max: new Date('2027-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => `${d.toISOString().slice(0, 19)}Z`);
const customer = fc.record({
  name: fc.constantFrom('Ana Diaz', '张伟', "Seán O'Brien", 'Zoë Ng-Li', 'Ng Ka-ming'),
  email: fc.constantFrom('ana@example.com', 'x.y@bank.example'),
  phone: fc.constantFrom('+13125550100', '+8613800138000'),
  locale: fc.constantFrom('en-US', 'zh-CN'),
  timezone: fc.constantFrom('America/Chicago', 'Asia/Shanghai', 'UTC'),
});

/** A valid detail for each type: the starting point every mutation spoils one field of. */
const VALID: Record<DetailType, fc.Arbitrary<Record<string, unknown>>> = {
  AccountDelinquent: fc.record({ accountId: id, cycleId: id, currency: fc.constantFrom('USD', 'CNY', 'JPY'), balance: money, amountDue: money, dueDate: date, aprBps: fc.integer({ min: 0, max: 9999 }), lateFee: money, customer }),
  PaymentPosted: fc.record({ accountId: id, paymentId: id, amount: money, currency: fc.constantFrom('USD', 'CNY'), postedAt: instant }),
  AccountUpdated: fc.record({ accountId: id, balance: money, amountDue: money }),
  PromiseToPayMade: fc.record({ accountId: id, promiseId: id, amount: money, dueDate: date }),
  PlanAccepted: fc.record({ accountId: id, planId: id, instalments: fc.integer({ min: 2, max: 60 }) }),
  DisputeRaised: fc.record({ accountId: id, disputeId: id, reason: fc.string({ minLength: 1, maxLength: 100 }) }),
  DisputeResolved: fc.record({ accountId: id, disputeId: id, outcome: fc.constantFrom('upheld', 'rejected') }),
  ChannelOptOut: fc.record({ accountId: id, channel: fc.constantFrom('email', 'sms', 'call') }),
  CeaseCommunication: fc.record({ accountId: id }),
  CallOutcomeRecorded: fc.record({ accountId: id, callId: id, outcome: fc.constantFrom('no-answer', 'voicemail', 'right-party', 'wrong-party', 'refused') }),
};

const MONEY_FIELDS = new Set(['balance', 'amountDue', 'amount', 'lateFee']);
const ID_FIELDS = new Set(['accountId', 'cycleId', 'paymentId', 'promiseId', 'planId', 'disputeId', 'callId']);

/** Values that must be refused for a field, by what the field is. */
const badValuesFor = (field: string): fc.Arbitrary<unknown> => {
  const wrongType = fc.oneof(fc.constant(null), fc.boolean(), fc.constant([]), fc.constant({}));
  if (MONEY_FIELDS.has(field)) {
    return fc.oneof(wrongType, fc.double({ min: 0.01, max: 1e6, noNaN: true }).filter((v) => !Number.isInteger(v)), fc.integer({ min: -1e9, max: -1 }),
      fc.constantFrom(2 ** 53, 2 ** 60, Number.MAX_VALUE, Infinity), fc.constant('120.00'));
  }
  if (ID_FIELDS.has(field)) return fc.oneof(wrongType, fc.constant(''), fc.string({ minLength: 65, maxLength: 80 }).map((s) => `A${s}`), fc.constantFrom('id with space', '名字', '<script>', '-leading'));
  if (field === 'currency') return fc.oneof(wrongType, fc.constantFrom('usd', 'XYZ', 'US', 'DOLLARS', '€'));
  if (field === 'dueDate') return fc.oneof(wrongType, fc.constantFrom('2026-02-30', '2026-13-01', '26-01-01', 'tomorrow'));
  if (field === 'postedAt') return fc.oneof(wrongType, fc.constantFrom('2026-01-05', '2026-01-05T10:00:00+08:00', 'now'));
  return wrongType;
};

describe('inbound events (property)', () => {
  it.each(DETAIL_TYPES)('%s: every valid detail passes', (type) => {
    fc.assert(fc.property(VALID[type], (detail) => {
      const parsed = parseInbound(SOURCE_OF[type], type, detail);
      expect(parsed.ok, parsed.ok ? '' : parsed.reason).toBe(true);
    }), { numRuns: 50 });
  });

  it.each(DETAIL_TYPES)('%s: a spoiled or missing field is refused with a reason naming it', (type) => {
    const spoiled = VALID[type].chain((detail) => fc.constantFrom(...Object.keys(detail)).chain((field) =>
      fc.oneof(badValuesFor(field).map((value) => ({ detail: { ...detail, [field]: value }, field })),
        // Fields every event of the type must carry; AccountUpdated's others are optional.
        fc.constant({ detail: Object.fromEntries(Object.entries(detail).filter(([k]) => k !== field)), field }))
        .filter(({ detail: d, field: f }) => !(f in d) ? isRequired(type, f) : true)));
    fc.assert(fc.property(spoiled, ({ detail, field }) => {
      const parsed = parseInbound(SOURCE_OF[type], type, detail);
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) expect(parsed.reason).toMatch(new RegExp(`(^|; )${field}[.:]`));
    }), { numRuns: 100 });
  });

  it('refuses markup, control characters and oversized names, and accepts names in any script', () => {
    const bad = fc.oneof(fc.constantFrom('<script>alert(1)</script>', 'Ana <b>Diaz</b>', 'Ana\u0000Diaz', 'Ana\nDiaz', '{{7*7}}', '"quoted"'), fc.string({ minLength: 201, maxLength: 260 }).map((s) => `A${s.replace(/[^a-z]/gi, 'a')}`));
    fc.assert(fc.property(VALID.AccountDelinquent, bad, (detail, name) => {
      const parsed = parseInbound('bank.core', 'AccountDelinquent', { ...detail, customer: { ...(detail.customer as object), name } });
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) expect(parsed.reason).toMatch(/^customer\.name: /);
    }), { numRuns: 60 });
  });

  it('refuses bad time zones and phone numbers under customer, naming the field', () => {
    const cases = fc.oneof(
      fc.constantFrom('Mars/Olympus', 'GMT+25', '', 'America/Chicago '.repeat(2)).map((timezone) => ({ timezone, field: 'customer.timezone' })),
      fc.constantFrom('3125550100', '+0123456789', '+1 312 555 0100', '+1234567890123456', 'phone').map((phone) => ({ phone, field: 'customer.phone' })),
    );
    fc.assert(fc.property(VALID.AccountDelinquent, cases, (detail, { field, ...change }) => {
      const parsed = parseInbound('bank.core', 'AccountDelinquent', { ...detail, customer: { ...(detail.customer as object), ...change } });
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) expect(parsed.reason.startsWith(`${field}: `)).toBe(true);
    }), { numRuns: 60 });
  });

  it('never throws, whatever arrives', () => {
    fc.assert(fc.property(fc.anything(), fc.anything(), fc.anything(), (source, detailType, detail) => {
      const parsed = parseInbound(source, detailType, detail);
      expect(typeof parsed.ok).toBe('boolean');
    }), { numRuns: 300 });
  });
});

describe('scenario files (property)', () => {
  it('refuses anything that is not a valid scenario with an InvalidScenarioError, never another error', () => {
    const text = fc.oneof(fc.string(), fc.json(), fc.anything().map((v) => JSON.stringify(v) ?? 'undefined'),
      fc.record({ policy: fc.constantFrom('us-regf', 'cn', 'eu'), start: instant, until: instant, events: fc.array(fc.record({ at: instant, source: fc.string(), detailType: fc.string(), detail: fc.anything() }), { maxLength: 3 }) }).map((v) => JSON.stringify(v)));
    fc.assert(fc.property(text, (t) => {
      try {
        parseScenario(t);
      } catch (error) {
        expect(error).toBeInstanceOf(InvalidScenarioError);
        expect((error as Error).message).toMatch(/^(not valid JSON|[A-Za-z]+(\.\d+)?(\.[a-z]+)?: |detail: )/);
      }
    }), { numRuns: 300 });
  });
});

const isRequired = (type: DetailType, field: string): boolean =>
  !(type === 'AccountUpdated' && field !== 'accountId') && !['aprBps', 'lateFee'].includes(field);
