// A state as the in-process store keeps it: JSON text with the task token, its expiry and the version written last,
// so that parking a token (those three fields, at every wait) rewrites the tail of the text rather than parsing a
// 4 KB state and writing it whole again. The fields' order is the store's own, as DynamoDB keeps none; the text has
// the same members, and so the same size and price, as the state written in its own order.
import type { AccountState } from '../../domain/account';

export interface StoredState {
  text: string;
  /** Where the tail (token, expiry, version) begins: before it, the rest of the state's members, unclosed. */
  tailAt: number;
  version: number;
  status: AccountState['status'];
}

type Tail = Pick<AccountState, 'taskToken' | 'tokenExpiresAt' | 'version'>;

const closedWith = (head: string, tail: Tail): string => {
  const members = JSON.stringify(tail).slice(1);
  return head.length > 1 ? `${head},${members}` : `${head}${members}`;
};

/** The state as stored: its text, and what a parking and a conditional write read without parsing it. */
export const storedState = (state: AccountState): StoredState => {
  const { taskToken, tokenExpiresAt, version, ...rest } = state;
  const head = JSON.stringify(rest).slice(0, -1);
  return {
    text: closedWith(head, { taskToken, tokenExpiresAt, version }),
    tailAt: head.length,
    version,
    status: state.status,
  };
};

/** The stored state with a task token parked in it and its version bumped, as DynamoDB's UpdateItem does. */
export const withParkedToken = (stored: StoredState, taskToken: string, tokenExpiresAt: string): StoredState => {
  const version = stored.version + 1;
  const head = stored.text.slice(0, stored.tailAt);
  return { ...stored, text: closedWith(head, { taskToken, tokenExpiresAt, version }), version };
};
