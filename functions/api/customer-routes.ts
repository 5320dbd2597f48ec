// The customer's routes (docs/contract.md §7, §11.1): the signed link is the only credential, and it reaches one
// account and cycle, and the other open accounts of its person, each action naming the account it is for. JSON under
// /api/customer/{token}; the page and its no-JavaScript forms under /c/{token}.
import { Hono, type Context } from 'hono';
import type { AccountState } from '../domain/account';
import { ID_PATTERN, ID_RULE, type DetailType } from '../domain/inbound-events';
import { LOCALES, parseMajorAmount, type Locale } from '../domain/money';
import { actionEvent, jsonBody, newId, requireOfferedPlan, requireOfferedSettlement, requireOpen } from './actions';
import { customerView } from './customer-view';
import type { ApiDeps } from './deps';
import { personAccounts } from './person-accounts';
import { PAGE_HEADERS } from './pages/layout';
import { selfServicePage } from './pages/self-service-page';
import { ApiProblem } from './problem';

const SOURCE = 'collections.customer';

/** The account and cycle a link reaches, or 401 (no, forged or expired link) / 403 (a cycle that is over). */
const linkedAccount = async (deps: ApiDeps, token: string): Promise<AccountState> => {
  const check = await deps.links.verify(token, deps.clock.now());
  if (!check.ok) throw new ApiProblem(401, `This link cannot be used: ${check.reason}.`);
  const state = await deps.accounts.getState(check.accountId);
  if (!state) throw new ApiProblem(404, 'No account for this link.');
  if (state.cycleId !== check.cycleId)
    throw new ApiProblem(403, 'This link is for an earlier collection cycle of the account.');
  return state;
};

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The account an action is for: the link's own, or the one the request names (`accountId`), which must be another open
 * account of the same person (docs/contract.md §11.1); the link reaches nothing else (403).
 */
const reachedAccount = async (deps: ApiDeps, linked: AccountState, accountId: unknown): Promise<AccountState> => {
  if (accountId === undefined || accountId === linked.accountId) return linked;
  if (typeof accountId !== 'string' || !ID_PATTERN.test(accountId))
    throw new ApiProblem(422, 'accountId is not an account id.', [{ field: 'accountId', reason: ID_RULE }]);
  const reached = (await personAccounts(deps, linked)).find((s) => s.accountId === accountId);
  if (!reached) throw new ApiProblem(403, `This link does not reach account ${accountId}.`);
  return reached;
};

interface Action {
  type: DetailType;
  fields: readonly string[];
  fixed: (state: AccountState) => Record<string, unknown>;
  check: (state: AccountState, body: Record<string, unknown>, deps: ApiDeps) => void;
}

/** Each action, its §1 event, the body fields it takes and what must hold now. */
const ACTIONS: Record<string, Action> = {
  promise: {
    type: 'PromiseToPayMade',
    fields: ['amount', 'dueDate'],
    fixed: (s) => ({ accountId: s.accountId, promiseId: newId('PTP') }),
    check: requireOpen,
  },
  plan: {
    type: 'PlanAccepted',
    fields: ['planId', 'instalments', 'autopay'],
    fixed: (s) => ({ accountId: s.accountId }),
    check: (s, body, deps) => requireOfferedPlan(s, body.planId, body.instalments, deps.playbook.pack),
  },
  dispute: {
    type: 'DisputeRaised',
    fields: ['reason'],
    fixed: (s) => ({ accountId: s.accountId, disputeId: newId('DSP') }),
    check: requireOpen,
  },
  'opt-out': {
    type: 'ChannelOptOut',
    fields: ['channel'],
    fixed: (s) => ({ accountId: s.accountId }),
    check: requireOpen,
  },
  cease: { type: 'CeaseCommunication', fields: [], fixed: (s) => ({ accountId: s.accountId }), check: requireOpen },
  settlement: {
    type: 'SettlementAccepted',
    fields: ['settlementId'],
    fixed: (s) => ({ accountId: s.accountId }),
    check: (s, body) => requireOfferedSettlement(s, body.settlementId),
  },
  reason: {
    type: 'DelinquencyReasonRecorded',
    fields: ['reason', 'note'],
    fixed: (s) => ({ accountId: s.accountId, reasonId: newId('RSN') }),
    check: requireOpen,
  },
};

const act = async (deps: ApiDeps, state: AccountState, name: string, body: unknown) => {
  // Own keys only: `constructor` or `toString` name no action.
  const action = Object.hasOwn(ACTIONS, name) ? ACTIONS[name] : undefined;
  if (!action) throw new ApiProblem(404, `No action ${name.slice(0, 64)}.`);
  action.check(state, (body ?? {}) as Record<string, unknown>, deps);
  const entry = actionEvent(SOURCE, action.type, body, action.fields, action.fixed(state), {
    state,
    now: deps.clock.now(),
    pack: deps.playbook.pack,
  });
  const { eventId } = await deps.bus.put(entry);
  deps.log.info('customer action', { accountId: state.accountId, detailType: action.type, eventId });
  return { eventId };
};

const localeOf = (c: Context, state: AccountState, fromForm?: unknown): Locale => {
  const wanted = fromForm ?? c.req.query('lang');
  return (LOCALES as readonly string[]).includes(String(wanted)) ? (wanted as Locale) : state.locale;
};

/** Form fields are strings: amounts are typed in major units, instalments as a number. */
const fromForm = (name: string, form: Record<string, string>, state: AccountState): unknown => {
  const { lang: _lang, ...fields } = form;
  if (name === 'promise')
    return { ...fields, amount: parseMajorAmount(fields.amount ?? '', state.currency) ?? fields.amount };
  if (name === 'plan') {
    const { autopay, ...plan } = fields;
    // A checkbox sends its value only when ticked.
    return { ...plan, instalments: Number(fields.instalments), ...(autopay ? { autopay: true } : {}) };
  }
  // An empty optional note is no note.
  if (name === 'reason' && !fields.note?.trim()) return { reason: fields.reason };
  return fields;
};

export const customerRoutes = (deps: ApiDeps) => {
  const app = new Hono();
  const viewOf = (state: AccountState, token: string) =>
    customerView(state, deps.clock.now(), deps.playbook, deps.links.referenceOf(token));
  /** The link's account and the person's other open accounts, each as the customer sees it (docs/contract.md §11.1). */
  const viewsOf = async (state: AccountState, token: string) => {
    const [view, ...others] = (await personAccounts(deps, state)).map((s) => viewOf(s, token));
    return { view: view!, others };
  };
  app.get('/api/customer/:token', async (c) => {
    const token = c.req.param('token');
    const { view, others } = await viewsOf(await linkedAccount(deps, token), token);
    return c.json({ ...view, accounts: [view, ...others] });
  });
  app.post('/api/customer/:token/:action', async (c) => {
    const body = await jsonBody(c.req);
    const linked = await linkedAccount(deps, c.req.param('token'));
    const { accountId, ...rest } = (isObject(body) ? body : {}) as Record<string, unknown>;
    const target = await reachedAccount(deps, linked, accountId);
    return c.json(await act(deps, target, c.req.param('action'), isObject(body) ? rest : body), 202);
  });

  app.get('/c/:token', async (c) => {
    const token = c.req.param('token');
    const state = await linkedAccount(deps, token);
    return c.html(
      selfServicePage({
        ...(await viewsOf(state, token)),
        token,
        locale: localeOf(c, state),
        done: c.req.query('done'),
      }),
      200,
      PAGE_HEADERS,
    );
  });
  app.post('/c/:token/:action', async (c) => {
    const token = c.req.param('token');
    const name = c.req.param('action');
    const linked = await linkedAccount(deps, token);
    const parsed = await c.req.parseBody();
    const { accountId, ...form } = Object.fromEntries(
      Object.entries(parsed).filter((e): e is [string, string] => typeof e[1] === 'string'),
    );
    const locale = localeOf(c, linked, form.lang);
    // The form names the account it is for: the link's, or another open account of the person.
    const state = await reachedAccount(deps, linked, accountId);
    try {
      // A form's fields are text: a file part (multipart) names no amount, date or reason.
      const files = Object.keys(parsed).filter((k) => typeof parsed[k] !== 'string');
      if (files.length)
        throw new ApiProblem(
          422,
          'The form has a file where text belongs.',
          files.map((field) => ({ field, reason: 'expected text, got a file' })),
        );
      await act(deps, state, name, fromForm(name, form, state));
    } catch (error) {
      if (!(error instanceof ApiProblem) || error.status !== 422) throw error;
      const detail = error.errors?.map((e) => `${e.field}: ${e.reason}`).join('; ') ?? error.message;
      return c.html(
        selfServicePage({ ...(await viewsOf(linked, token)), token, locale, error: detail }),
        422,
        PAGE_HEADERS,
      );
    }
    // Post/redirect/get: a reload does not send the action twice.
    return c.redirect(`/c/${token}?lang=${locale}&done=${encodeURIComponent(name)}`, 303);
  });
  return app;
};
