// The in-process store's text of a state (functions/adapters/in-process/state-text.ts): token, expiry, version last.
import { describe, expect, it } from 'vitest';
import { storedState, withParkedToken } from '../../functions/adapters/in-process/state-text';
import { anAccount } from '../support/fixtures';

describe("the in-process store's text of a state", () => {
  const state = { ...anAccount({ accountId: 'A-中文' }), version: 7, taskToken: null, tokenExpiresAt: null };

  it('holds the same members as the state written in its own order: the same state, the same size', () => {
    const stored = storedState(state);
    expect(JSON.parse(stored.text)).toEqual(state);
    expect(Buffer.byteLength(stored.text)).toBe(Buffer.byteLength(JSON.stringify(state)));
    expect(stored).toMatchObject({ version: 7, status: 'open' });
    expect(Object.keys(JSON.parse(stored.text)).slice(-3)).toEqual(['taskToken', 'tokenExpiresAt', 'version']);
  });

  it('parks a token by writing the tail again: the state with the token, its expiry and the next version', () => {
    const parked = withParkedToken(storedState(state), 'token-1', '2026-01-06T00:00:00.000Z');
    const expected = { ...state, taskToken: 'token-1', tokenExpiresAt: '2026-01-06T00:00:00.000Z', version: 8 };
    expect(JSON.parse(parked.text)).toEqual(expected);
    expect(Buffer.byteLength(parked.text)).toBe(Buffer.byteLength(JSON.stringify(expected)));
    expect(parked.version).toBe(8);
    // Parked again, from the parked text: still one token.
    const again = withParkedToken(parked, 'token-2', '2026-01-07T00:00:00.000Z');
    expect(JSON.parse(again.text)).toEqual({
      ...expected,
      taskToken: 'token-2',
      tokenExpiresAt: '2026-01-07T00:00:00.000Z',
      version: 9,
    });
  });

  it('leaves out a token the state does not have, as JSON does', () => {
    const { taskToken: _t, tokenExpiresAt: _e, ...without } = state;
    const stored = storedState(without as typeof state);
    expect(JSON.parse(stored.text)).toEqual(without);
    expect(stored.text).not.toContain('taskToken');
  });
});
