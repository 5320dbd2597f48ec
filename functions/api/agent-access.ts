// A collector's access to an account (a claimed task or an open inbound call, on it or on another account of its
// person), and the one open account an inbound call is about (docs/contract.md §10.7, §11.1): the agent routes ask here
// before they show or act on an account.
import type { AccountState } from '../domain/account';
import { ID_PATTERN, ID_RULE } from '../domain/inbound-events';
import type { ApiDeps } from './deps';
import { ApiProblem } from './problem';

/** How long an inbound call keeps the account open to the collector who took it (docs/contract.md §10.7). */
export const INBOUND_ACCESS_MS = 30 * 60_000;

type Whose = Pick<AccountState, 'accountId' | 'customerId'>;

/**
 * Whether the collector has a claimed task or an open inbound call now on the account, or on another account of its
 * person: access to one of the person's accounts is access to all (docs/contract.md §11.1).
 */
export const hasAccess = async (deps: ApiDeps, state: Whose, agentId: string, now: Date): Promise<boolean> => {
  const live = async (accountId: string) => {
    const access = await deps.queue.accessOf(accountId, agentId);
    return access !== null && Date.parse(access.until) > now.getTime();
  };
  if (await live(state.accountId)) return true;
  if (!state.customerId) return false;
  const person = await deps.persons.getPerson(state.customerId);
  for (const id of person?.accountIds ?? []) if (id !== state.accountId && (await live(id))) return true;
  return false;
};

/** Refuses an account action or view to a collector with no claimed task or open inbound call on its person (403). */
export const requireAccess = async (deps: ApiDeps, state: Whose, agentId: string, now: Date): Promise<void> => {
  if (!(await hasAccess(deps, state, agentId, now)))
    throw new ApiProblem(
      403,
      `Account ${state.accountId} is not yours to work now: claim its call task or take the customer's inbound call ` +
        'first.',
    );
};

/** E.164: a plus, a country code and the number, 8 to 15 digits in all. */
const E164 = /^\+[1-9]\d{6,14}$/;

/** The most inbound calls one collector holds open at once (docs/contract.md §10.7): no opening accounts at will. */
export const MAX_OPEN_INBOUND = 3;

/**
 * What an inbound call names its account by, one of: the account id; `callerNumber`, the number the telephony
 * presented; or `phone`, a number the collector typed. The record says which (`numberSource`).
 */
const INBOUND_FIELDS = ['accountId', 'callerNumber', 'phone'] as const;

/** The one open account an inbound call is about: by id, or by the phone the customer calls from. */
export const inboundAccount = async (
  deps: ApiDeps,
  body: Record<string, unknown>,
  agentId: string,
  now: Date,
): Promise<{ state: AccountState; numberSource?: 'telephony' | 'typed' }> => {
  const unknown = Object.keys(body).filter((k) => !(INBOUND_FIELDS as readonly string[]).includes(k));
  if (unknown.length)
    throw new ApiProblem(
      422,
      'The body has fields this request does not take.',
      unknown.map((field) => ({
        field,
        reason: `not a field of this request (expected one of ${INBOUND_FIELDS.join(', ')})`,
      })),
    );
  const given = INBOUND_FIELDS.filter((k) => body[k] !== undefined);
  if (given.length !== 1)
    throw new ApiProblem(422, 'Send the accountId, or the number the customer calls from, one of them.', [
      { field: given[1] ?? 'accountId', reason: `expected exactly one of ${INBOUND_FIELDS.join(', ')}` },
    ]);
  const [field] = given as [(typeof INBOUND_FIELDS)[number]];
  const value = body[field];
  if (field === 'accountId') {
    if (typeof value !== 'string' || !ID_PATTERN.test(value))
      throw new ApiProblem(422, 'accountId is not an account id.', [{ field, reason: ID_RULE }]);
    const state = await deps.accounts.getState(value);
    if (!state || state.status !== 'open') throw new ApiProblem(404, `No open account ${value}.`);
    return { state };
  }
  if (typeof value !== 'string' || !E164.test(value))
    throw new ApiProblem(422, `${field} is not an E.164 number.`, [
      { field, reason: 'expected an E.164 number like +13125550100' },
    ]);
  const ids = await deps.accounts.accountsByPhone(value);
  const states = await deps.accounts.getStates(ids);
  const open = ids.filter((id) => states.get(id)?.status === 'open');
  if (open.length === 0) throw new ApiProblem(404, 'No open account has this phone number.');
  // The cards of one person share their phone: the call is the person's, and opens them all (docs/contract.md §11.1).
  const people = new Set(open.map((id) => states.get(id)!.customerId));
  if (open.length > 1 && (people.size > 1 || people.has(undefined))) {
    // Which accounts share a number is the customers' business: named only to a collector who may see them all.
    const seen = await Promise.all(open.map((id) => hasAccess(deps, states.get(id)!, agentId, now)));
    throw new ApiProblem(
      409,
      seen.every(Boolean)
        ? `Several open accounts have this phone number (${open.join(', ')}): ask which.`
        : `${open.length} open accounts have this phone number: ask the customer for the account.`,
    );
  }
  return { state: states.get(open[0]!)!, numberSource: field === 'callerNumber' ? 'telephony' : 'typed' };
};
