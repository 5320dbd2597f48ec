// Property tests (fast-check): whatever the bank, a customer or an agent sends, a bad field is refused
// with a reason that names it, and nothing throws; valid events always pass.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DETAIL_TYPES, parseInbound, SOURCE_OF } from '../../functions/domain/inbound-events';
import { InvalidScenarioError, parseScenario } from '../../workflows/tools/scenario/scenario-file';
import { instant, spoiledDetail, VALID } from '../support/inbound-arbitraries';

describe('inbound events (property)', () => {
  it.each(DETAIL_TYPES)('%s: every valid detail passes', (type) => {
    fc.assert(
      fc.property(VALID[type], (detail) => {
        const parsed = parseInbound(SOURCE_OF[type], type, detail);
        expect(parsed.ok, parsed.ok ? '' : parsed.reason).toBe(true);
      }),
      { numRuns: 50 },
    );
  });

  it.each(DETAIL_TYPES)('%s: a spoiled or missing field is refused with a reason naming it', (type) => {
    const spoiled = spoiledDetail(type);
    fc.assert(
      fc.property(spoiled, ({ detail, field }) => {
        const parsed = parseInbound(SOURCE_OF[type], type, detail);
        expect(parsed.ok).toBe(false);
        if (!parsed.ok) expect(parsed.reason).toMatch(new RegExp(`(^|; )${field}[.:]`));
      }),
      { numRuns: 100 },
    );
  });

  it('refuses markup, control characters and oversized names, and accepts names in any script', () => {
    const bad = fc.oneof(
      fc.constantFrom(
        '<script>alert(1)</script>',
        'Ana <b>Diaz</b>',
        'Ana\u0000Diaz',
        'Ana\nDiaz',
        '{{7*7}}',
        '"quoted"',
      ),
      fc.string({ minLength: 201, maxLength: 260 }).map((s) => `A${s.replace(/[^a-z]/gi, 'a')}`),
    );
    fc.assert(
      fc.property(VALID.AccountDelinquent, bad, (detail, name) => {
        const parsed = parseInbound('bank.core', 'AccountDelinquent', {
          ...detail,
          customer: { ...(detail.customer as object), name },
        });
        expect(parsed.ok).toBe(false);
        if (!parsed.ok) expect(parsed.reason).toMatch(/^customer\.name: /);
      }),
      { numRuns: 60 },
    );
  });

  it('refuses bad time zones and phone numbers under customer, naming the field', () => {
    const cases = fc.oneof(
      fc
        .constantFrom('Mars/Olympus', 'GMT+25', '', 'America/Chicago '.repeat(2))
        .map((timezone) => ({ timezone, field: 'customer.timezone' })),
      fc
        .constantFrom('3125550100', '+0123456789', '+1 312 555 0100', '+1234567890123456', 'phone')
        .map((phone) => ({ phone, field: 'customer.phone' })),
    );
    fc.assert(
      fc.property(VALID.AccountDelinquent, cases, (detail, { field, ...change }) => {
        const parsed = parseInbound('bank.core', 'AccountDelinquent', {
          ...detail,
          customer: { ...(detail.customer as object), ...change },
        });
        expect(parsed.ok).toBe(false);
        if (!parsed.ok) expect(parsed.reason.startsWith(`${field}: `)).toBe(true);
      }),
      { numRuns: 60 },
    );
  });

  it('never throws, whatever arrives', () => {
    fc.assert(
      fc.property(fc.anything(), fc.anything(), fc.anything(), (source, detailType, detail) => {
        const parsed = parseInbound(source, detailType, detail);
        expect(typeof parsed.ok).toBe('boolean');
      }),
      { numRuns: 300 },
    );
  });
});

describe('scenario files (property)', () => {
  it('refuses anything that is not a valid scenario with an InvalidScenarioError, never another error', () => {
    const text = fc.oneof(
      fc.string(),
      fc.json(),
      fc.anything().map((v) => JSON.stringify(v) ?? 'undefined'),
      fc
        .record({
          policy: fc.constantFrom('us-regf', 'cn', 'eu'),
          start: instant,
          until: instant,
          events: fc.array(
            fc.record({ at: instant, source: fc.string(), detailType: fc.string(), detail: fc.anything() }),
            { maxLength: 3 },
          ),
        })
        .map((v) => JSON.stringify(v)),
    );
    fc.assert(
      fc.property(text, (t) => {
        try {
          parseScenario(t);
        } catch (error) {
          expect(error).toBeInstanceOf(InvalidScenarioError);
          expect((error as Error).message).toMatch(/^(not valid JSON|[A-Za-z]+(\.\d+)?(\.[a-z]+)?: |detail: )/);
        }
      }),
      { numRuns: 300 },
    );
  });
});
