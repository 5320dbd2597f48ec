// The collectors' routes (docs/contract.md §7, §10.7), behind a bearer token of the `collectors` group. Access is by
// need: the account's name and phone, and every action on it, need a task the collector has claimed or an
// inbound call it has taken on that account; without one a collector sees figures and the timeline only.
import { Hono } from 'hono';
import { isHardship, openOffer, type AccountState } from '../domain/account';
import { daysPastDue } from '../domain/days-past-due';
import { segmentOf } from '../domain/segment';
import type { Playbook } from '../domain/next-step';
import { promiseDates } from '../domain/apply-event';
import { promiseAmounts } from '../domain/apply-negotiation';
import { localDate } from '../domain/zoned-time';
import { callBlockedBy, dialRefusal, MAX_CLAIMS, rankQueue } from '../domain/call-queue';
import { ID_PATTERN } from '../domain/inbound-events';
import { DESK_KINDS, toTimeline } from '../domain/timeline';
import { actionEvent, jsonBody, newId, requireNoPlan, requireOpen } from './actions';
import { newOffer } from '../domain/contact-attempt';
import { discountedAmount, lowestSettlement, newSettlement } from '../domain/settlement';
import type { InboundEntry } from '../ports';
import type { ApiDeps } from './deps';
import { ApiProblem } from './problem';
import { hasAccess, inboundAccount, INBOUND_ACCESS_MS, MAX_OPEN_INBOUND, requireAccess } from './agent-access';
import type { RateLimiter } from './rate-limit';

const SOURCE = 'collections.agent';

/** Self-service links in recorded messages are the customer's credentials: collectors see them shortened. */
export const redactLinks = (text: string): string => text.replace(/\/c\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+/g, '/c/…');

/** The account as a collector sees it: figures, offers, promise and plan, the pack's limits; no contact points. */
export const agentAccountView = (state: AccountState, now: Date, { pack }: Playbook) => {
  const onOffer = openOffer(state);
  return {
    accountId: state.accountId,
    cycleId: state.cycleId,
    status: state.status,
    closeReason: state.closeReason,
    locale: state.locale,
    timezone: state.timezone,
    dpd: state.status === 'open' ? daysPastDue(state.dueDate, now, state.timezone) : 0,
    bucket: state.bucket,
    amountDue: state.amountDue,
    balance: state.balance,
    currency: state.currency,
    penaltyAprBps: state.aprBps,
    segment: segmentOf(state).segment,
    // Why the customer is late, if they said (docs/contract.md §10.6); a hardship case asks for a gentler plan.
    reason: state.reason?.reason ?? null,
    hardship: isHardship(state),
    escalationLevel: state.escalationLevel,
    promise: state.promise,
    plan: state.plan && { planId: state.plan.planId, total: state.plan.total, instalments: state.plan.instalments },
    offers: onOffer ? [{ planId: onOffer.planId, terms: onOffer.terms }] : [],
    /**
     * The terms a plan agreed on the call may take: those on offer, or else those the pack lets the collector offer
     * now.
     */
    planTerms: state.plan ? [] : (onOffer ?? newOffer(state, now, { pack })).terms,
    channels: { optedOut: state.optOuts, ceased: state.ceased, disputeOpen: state.openDisputes.length > 0 },
    customerToday: localDate(now, state.timezone),
    settlement: state.settlement
      ? {
          settlementId: state.settlement.settlementId,
          amount: state.settlement.amount,
          validUntil: state.settlement.validUntil,
          accepted: Boolean(state.settlement.acceptedAt),
          paidSince: state.settlement.paidSince,
        }
      : null,
    limits: {
      /** The lowest lump sum a collector may agree alone, and the lowest a supervisor may (docs/contract.md §3.16). */
      collectorMinSettlement: discountedAmount(state.balance, pack.settlement.collectorMaxDiscountBps),
      supervisorMinSettlement: lowestSettlement(state.balance, pack),
      maxInstalments: pack.maxPlanInstalments,
      /** A promise's amount: the pack's least share of the overdue amount up to the balance (docs/contract.md §3.6). */
      minPromiseAmount: promiseAmounts(state, pack).least,
      maxPromiseAmount: promiseAmounts(state, pack).most,
      latestPromiseDate: promiseDates(state, now, pack).latest,
    },
  };
};

/**
 * The account's timeline for the desk. Why the customer is late (illness, bereavement) is theirs to tell the
 * collector working the account: without access (`withReasons` false) a reason entry keeps its date, not its words.
 */
export const timelineFor = async (deps: ApiDeps, state: AccountState, withReasons: boolean) =>
  toTimeline(await deps.accounts.record(state.accountId, state.cycleId), DESK_KINDS).map((entry) => {
    if (entry.kind === 'reason' && !withReasons) {
      const { reason: _reason, ...rest } = entry;
      return rest;
    }
    return typeof entry.text === 'string' ? { ...entry, text: redactLinks(entry.text) } : entry;
  });

/** Ids in paths are checked before anything is read: one that breaks the pattern names nothing here. */
const idParam = (value: string, what: string): string => {
  if (!ID_PATTERN.test(value)) throw new ApiProblem(404, `No ${what} ${value.slice(0, 64)}.`);
  return value;
};
/** Task ids are `<cycleId>-C<n>`: a cycle id of up to 64 characters and a count. */
const TASK_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/;
const taskParam = (value: string): string => {
  if (!TASK_ID_PATTERN.test(value)) throw new ApiProblem(404, `No task ${value.slice(0, 100)}.`);
  return value;
};

const accountOr404 = async (deps: ApiDeps, accountId: string): Promise<AccountState> => {
  const state = await deps.accounts.getState(idParam(accountId, 'account'));
  if (!state) throw new ApiProblem(404, `No account ${accountId}.`);
  return state;
};

/** How long a claim holds a task for its collector. */
export const CLAIM_LEASE_MS = 15 * 60_000;

/**
 * Tasks the queue looks at per request: the soonest-ending (every task ends with its day's contact hours,
 * so these are today's), read with their accounts (two BatchGets) to check each is callable now.
 */
export const QUEUE_WINDOW = 200;

/** The tasks callable now, best first, with no PII. */
export const callQueue = async (deps: ApiDeps, now: Date) => {
  const tasks = await deps.queue.openTasks(now, QUEUE_WINDOW);
  const states = await deps.accounts.getStates(tasks.map((task) => task.accountId));
  return rankQueue(
    tasks.map((task) => ({ task, state: states.get(task.accountId) ?? null })),
    deps.playbook.pack,
    now,
  );
};

export const agentRoutes = (deps: ApiDeps, limiter: RateLimiter) => {
  const app = new Hono<{ Variables: { agentId: string; supervisor: boolean } }>();
  app.use('/api/agent/*', async (c, next) => {
    const check = await deps.agents.verify(c.req.header('authorization'));
    if (!check.ok) throw new ApiProblem(check.status, check.reason);
    limiter.take('collector', check.agentId);
    c.set('agentId', check.agentId);
    c.set('supervisor', check.supervisor);
    await next();
  });
  /** Puts a collector's action on the bus and logs who did it (ids only). */
  const put = async (agentId: string, accountId: string, entry: InboundEntry) => {
    const { eventId } = await deps.bus.put(entry);
    deps.log.info('agent action', { agentId, accountId, detailType: entry.detailType, eventId });
    return { eventId };
  };

  app.get('/api/agent/queue', async (c) => {
    const tasks = await callQueue(deps, deps.clock.now());
    return c.json({ tasks: tasks.map(({ expiresAt: _e, ...task }) => task) });
  });

  /** What a claim or an inbound call answers: the account with name and phone, the script, the timeline. */
  const workingView = async (accountId: string, now: Date, accessUntil: string) => {
    const { state, profile } = (await deps.accounts.getWithProfile(accountId))!;
    return {
      accessUntil,
      account: { ...agentAccountView(state, now, deps.playbook), name: profile.name, phone: profile.phone },
      script: state.callTask?.script ?? null,
      disclosure: deps.playbook.pack.callDisclosure[state.locale],
      // The service's clock (virtual in `npm run serve`): the desk shows the customer's time from it.
      serverTime: now.toISOString(),
      timeline: await timelineFor(deps, state, true),
    };
  };

  app.post('/api/agent/tasks/:taskId/claim', async (c) => {
    const agentId = c.get('agentId');
    const now = deps.clock.now();
    const task = await deps.queue.getTask(taskParam(c.req.param('taskId')));
    if (!task) throw new ApiProblem(404, `No task ${c.req.param('taskId')}.`);
    const state = await deps.accounts.getState(task.accountId);
    const blocked = callBlockedBy(state, task.taskId, deps.playbook.pack, now);
    if (blocked) throw new ApiProblem(409, `The task is not callable now (${blocked}).`);
    // Claiming a task one holds answers the claim as it stands: the queue renews no lease (docs/contract.md §10.7).
    const lease = new Date(now.getTime() + CLAIM_LEASE_MS);
    const claimed = await deps.queue.claim(task.taskId, agentId, now, lease, MAX_CLAIMS);
    if (claimed.kind === 'refused') throw new ApiProblem(409, `The task cannot be claimed: ${claimed.reason}.`);
    const leaseUntil = claimed.task.leaseUntil!;
    deps.log.info('task claimed', { agentId, taskId: task.taskId, accountId: task.accountId });
    await deps.queue.grantAccess({ accountId: task.accountId, agentId, until: leaseUntil, reason: 'claim' });
    return c.json({ taskId: task.taskId, leaseUntil, ...(await workingView(task.accountId, now, leaseUntil)) });
  });

  app.post('/api/agent/inbound', async (c) => {
    const agentId = c.get('agentId');
    // Each call opens an account: fewer of them than of other requests, and a few open at once.
    limiter.take('inbound', agentId);
    const body = await jsonBody(c.req);
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      throw new ApiProblem(422, 'The body must be a JSON object.', [{ field: 'body', reason: 'expected an object' }]);
    const now = deps.clock.now();
    const { state, numberSource } = await inboundAccount(deps, body as Record<string, unknown>, agentId, now);
    const until = new Date(now.getTime() + INBOUND_ACCESS_MS).toISOString();
    const callId = newId('IN');
    const opened = await deps.queue.openInboundCall(agentId, callId, until, now, MAX_OPEN_INBOUND);
    if (opened.kind === 'refused')
      throw new ApiProblem(
        409,
        `You have ${opened.open} inbound calls open, the most at once (${MAX_OPEN_INBOUND}); each stays open ` +
          `${INBOUND_ACCESS_MS / 60_000} minutes.`,
      );
    const entry = actionEvent(SOURCE, 'InboundCallReceived', {}, [], {
      accountId: state.accountId,
      callId,
      agentId,
      ...(numberSource ? { numberSource } : {}),
    });
    await put(agentId, state.accountId, entry);
    await deps.queue.grantAccess({ accountId: state.accountId, agentId, until, reason: 'inbound-call' });
    return c.json({ callId, ...(await workingView(state.accountId, now, until)) });
  });

  app.post('/api/agent/tasks/:taskId/outcome', async (c) => {
    const body = await jsonBody(c.req);
    const agentId = c.get('agentId');
    const task = await deps.queue.getTask(taskParam(c.req.param('taskId')));
    if (!task) throw new ApiProblem(404, `No task ${c.req.param('taskId')}.`);
    const now = deps.clock.now();
    const refused = dialRefusal(task, agentId, now);
    if (refused) throw new ApiProblem(409, `The outcome cannot be recorded: ${refused}.`);
    // When the dial was made: the intake judges it at that moment, though the task's window may have ended by the
    // time it arrives.
    const entry = actionEvent(SOURCE, 'CallOutcomeRecorded', body, ['outcome'], {
      accountId: task.accountId,
      callId: task.taskId,
      agentId,
      dialledAt: now.toISOString(),
    });
    // The dial goes on the bus before the task leaves the queue: if marking it fails, the call is still a contact,
    // and the collector's retry puts the same call id again, which the intake recognises (docs/contract.md §10.7).
    const recorded = await put(agentId, task.accountId, entry);
    const dialled = await deps.queue.markDialled(task.taskId, agentId);
    if (dialled.kind === 'refused')
      deps.log.warn('dial recorded but the task was not marked', { agentId, taskId: task.taskId });
    return c.json(recorded, 202);
  });

  app.get('/api/agent/accounts/:accountId', async (c) => {
    const state = await accountOr404(deps, c.req.param('accountId'));
    const now = deps.clock.now();
    const account = agentAccountView(state, now, deps.playbook);
    // Name, phone and why the customer is late only with a claimed task or an open inbound call on the account
    // (docs/contract.md §10.7).
    const access = await hasAccess(deps, state.accountId, c.get('agentId'), now);
    const contact = access ? await deps.accounts.getWithProfile(state.accountId) : null;
    return c.json({
      account: contact
        ? { ...account, name: contact.profile.name, phone: contact.profile.phone }
        : { ...account, reason: null },
      timeline: await timelineFor(deps, state, access),
    });
  });
  app.post('/api/agent/accounts/:accountId/reason', async (c) => {
    const body = await jsonBody(c.req);
    const state = await accountOr404(deps, c.req.param('accountId'));
    await requireAccess(deps, state.accountId, c.get('agentId'), deps.clock.now());
    requireOpen(state);
    const entry = actionEvent(SOURCE, 'DelinquencyReasonRecorded', body, ['reason', 'note'], {
      accountId: state.accountId,
      reasonId: newId('RSN'),
      agentId: c.get('agentId'),
    });
    return c.json(await put(c.get('agentId'), state.accountId, entry), 202);
  });
  app.post('/api/agent/accounts/:accountId/promise', async (c) => {
    const body = await jsonBody(c.req);
    const state = await accountOr404(deps, c.req.param('accountId'));
    await requireAccess(deps, state.accountId, c.get('agentId'), deps.clock.now());
    requireOpen(state);
    const entry = actionEvent(
      SOURCE,
      'PromiseToPayMade',
      body,
      ['amount', 'dueDate'],
      { accountId: state.accountId, promiseId: newId('PTP'), agentId: c.get('agentId') },
      { state, now: deps.clock.now(), pack: deps.playbook.pack },
    );
    return c.json(await put(c.get('agentId'), state.accountId, entry), 202);
  });
  app.post('/api/agent/accounts/:accountId/plan', async (c) => {
    const body = (await jsonBody(c.req)) as Record<string, unknown>;
    const state = await accountOr404(deps, c.req.param('accountId'));
    await requireAccess(deps, state.accountId, c.get('agentId'), deps.clock.now());
    requireNoPlan(state);
    const now = deps.clock.now();
    // The plan on offer, or else one the collector offers on the phone now: offered and accepted at once
    // (docs/contract.md §7), under the id the workflow's next offer would take. Outside the pack's limits: 422.
    const planId = (openOffer(state) ?? newOffer(state, now, deps.playbook)).planId;
    const entry = actionEvent(
      SOURCE,
      'PlanAccepted',
      body,
      ['instalments', 'autopay'],
      { accountId: state.accountId, planId, agentId: c.get('agentId') },
      { state, now, pack: deps.playbook.pack },
    );
    return c.json(await put(c.get('agentId'), state.accountId, entry), 202);
  });
  app.post('/api/agent/accounts/:accountId/settlement', async (c) => {
    const body = await jsonBody(c.req);
    const state = await accountOr404(deps, c.req.param('accountId'));
    const now = deps.clock.now();
    const { pack } = deps.playbook;
    await requireAccess(deps, state.accountId, c.get('agentId'), now);
    requireNoPlan(state);
    if (typeof body !== 'object' || body === null || !('amount' in body))
      throw new ApiProblem(422, 'The body is not valid.', [
        { field: 'amount', reason: 'required: the lump sum agreed' },
      ]);
    // Agreed on the phone: offered and accepted at once, under the id the next offer would take, dated now, when the
    // collector records it (a payment taken on the call after this counts toward it, whenever the intake applies the
    // event), with who agreed it and as what (from the verified token). The intake's own rules answer: beyond the
    // pack's discount a 422 naming `amount`, beyond a collector's own limit without a supervisor a 403
    // (docs/contract.md §3.16).
    const entry = actionEvent(
      SOURCE,
      'SettlementAccepted',
      body,
      ['amount'],
      {
        accountId: state.accountId,
        settlementId: newSettlement(state, now, pack).settlementId,
        agreedAt: now.toISOString(),
        agentId: c.get('agentId'),
        agentRole: c.get('supervisor') ? 'supervisor' : 'collector',
      },
      { state, now, pack },
    );
    return c.json(await put(c.get('agentId'), state.accountId, entry), 202);
  });
  return app;
};
