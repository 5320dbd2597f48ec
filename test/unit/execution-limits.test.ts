// Step Functions' payload quota as the local engine counts it (docs/contract.md §10.2): exact to the byte.
import { describe, expect, it } from 'vitest';
import { bytesOver, EXECUTION_LIMITS, limitBroken, type ExecutionRecord } from '../../workflows/twin/execution-limits';

const LIMIT = EXECUTION_LIMITS.payloadBytes;
const utf8 = (payload: unknown) => Buffer.byteLength(JSON.stringify(payload));

describe('the payload quota', () => {
  // {"p":"…"} is 8 bytes besides the text.
  const padded = (text: string) => ({ p: text });

  it('takes a payload of exactly 256 KB and refuses one a byte over, counting UTF-8 bytes', () => {
    expect(utf8(padded('x'.repeat(LIMIT - 8)))).toBe(LIMIT);
    expect(bytesOver(padded('x'.repeat(LIMIT - 8)), LIMIT)).toBeNull();
    expect(bytesOver(padded('x'.repeat(LIMIT - 7)), LIMIT)).toBe(LIMIT + 1);
    // 'é' is two bytes, '中' three, a control character six once escaped: all counted as JSON writes them.
    expect(bytesOver(padded('é'.repeat((LIMIT - 8) / 2)), LIMIT)).toBeNull();
    expect(bytesOver(padded(`${'é'.repeat((LIMIT - 8) / 2)}x`), LIMIT)).toBe(LIMIT + 1);
    expect(bytesOver(padded('中'.repeat(87_380)), LIMIT)).toBe(87_380 * 3 + 8);
    expect(bytesOver(padded('\u0001'.repeat(43_690)), LIMIT)).toBe(43_690 * 6 + 8);
  });

  it('counts what JSON.stringify makes of dates, nested lists and missing values', () => {
    const big = { at: new Date('2026-01-05T00:00:00Z'), items: Array.from({ length: 30_000 }, (_, i) => [i, null]) };
    expect(utf8(big)).toBeGreaterThan(LIMIT);
    expect(bytesOver(big, LIMIT)).toBe(utf8(big));
    // Dates are written as 26-byte strings by their toJSON, not as the empty objects they look like.
    const dates = Array.from({ length: 11_000 }, () => new Date(0));
    expect(bytesOver(dates, LIMIT)).toBe(11_000 * 27 + 1);
    expect(bytesOver({ skipped: undefined, list: [undefined] }, LIMIT)).toBeNull();
    expect(bytesOver(undefined, LIMIT)).toBeNull();
  });

  it('fails the state with the byte count, after the age and history quotas', () => {
    const record: ExecutionRecord = {
      name: 'A-C1',
      accountId: 'A',
      input: {},
      startedAt: '2026-01-05T00:00:00.000Z',
      status: 'running',
      history: [],
      historyEvents: 0,
    };
    const now = Date.parse('2026-01-06T00:00:00Z');
    expect(limitBroken(record, now, 'Diagnose', padded('x'.repeat(LIMIT - 8)))).toBeNull();
    expect(limitBroken(record, now, 'Diagnose', padded('x'.repeat(LIMIT)))).toBe(
      `States.DataLimitExceeded: Diagnose's payload is ${LIMIT + 8} bytes, over ${LIMIT}`,
    );
    expect(limitBroken({ ...record, historyEvents: 25_001 }, now, 'Diagnose', {})).toMatch(/^States\.Runtime/);
  });
});
