// The collectors' routes (CONTRACT §7), behind a bearer token of the `collectors` group. An account's
// figures and timeline carry no contact points; a customer's name and phone come only with a claimed task.
import { Hono } from 'hono';
import { openOffer, type AccountState } from '../domain/account';
import { daysPastDue } from '../domain/days-past-due';
import { segmentOf } from '../domain/segment';
import type { Playbook } from '../domain/next-step';
import { promiseDates } from '../domain/apply-event';
import { localDate } from '../domain/zoned-time';
import { callBlockedBy, rankQueue } from '../domain/call-queue';
import { DESK_KINDS, toTimeline } from '../domain/timeline';
import { actionEvent, jsonBody, newId, requireNoPlan, requireOpen } from './actions';
import { newOffer } from '../domain/contact-attempt';
import type { InboundEntry } from '../ports';
import type { ApiDeps } from './deps';
import { ApiProblem } from './problem';

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
    limits: {
      maxInstalments: pack.maxPlanInstalments,
      maxPromiseAmount: state.balance,
      latestPromiseDate: promiseDates(state, now, pack).latest,
    },
  };
};

export const timelineFor = async (deps: ApiDeps, state: AccountState) =>
  toTimeline(await deps.accounts.record(state.accountId, state.cycleId), DESK_KINDS).map((entry) =>
    typeof entry.text === 'string' ? { ...entry, text: redactLinks(entry.text) } : entry,
  );

const accountOr404 = async (deps: ApiDeps, accountId: string): Promise<AccountState> => {
  const state = await deps.accounts.getState(accountId);
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

/** Whether `agentId` holds a live claim on the account's current call task: only then may it see name and phone. */
const holdsClaim = async (deps: ApiDeps, state: AccountState, agentId: string, now: Date): Promise<boolean> => {
  if (!state.callTask) return false;
  const task = await deps.queue.getTask(state.callTask.taskId);
  return Boolean(
    task &&
    task.claimedBy === agentId &&
    task.status !== 'dialled' &&
    task.leaseUntil &&
    Date.parse(task.leaseUntil) > now.getTime(),
  );
};

export const agentRoutes = (deps: ApiDeps) => {
  const app = new Hono<{ Variables: { agentId: string } }>();
  app.use('/api/agent/*', async (c, next) => {
    const check = await deps.agents.verify(c.req.header('authorization'));
    if (!check.ok) throw new ApiProblem(check.status, check.reason);
    c.set('agentId', check.agentId);
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

  app.post('/api/agent/tasks/:taskId/claim', async (c) => {
    const agentId = c.get('agentId');
    const now = deps.clock.now();
    const task = await deps.queue.getTask(c.req.param('taskId'));
    if (!task) throw new ApiProblem(404, `No task ${c.req.param('taskId')}.`);
    const loaded = await deps.accounts.getWithProfile(task.accountId);
    const blocked = callBlockedBy(loaded?.state ?? null, task.taskId, deps.playbook.pack, now);
    if (blocked) throw new ApiProblem(409, `The task is not callable now (${blocked}).`);
    const claimed = await deps.queue.claim(task.taskId, agentId, now, new Date(now.getTime() + CLAIM_LEASE_MS));
    if (claimed.kind === 'refused') throw new ApiProblem(409, `The task cannot be claimed: ${claimed.reason}.`);
    const { state, profile } = loaded!;
    deps.log.info('task claimed', { agentId, taskId: task.taskId, accountId: task.accountId });
    return c.json({
      taskId: task.taskId,
      leaseUntil: claimed.task.leaseUntil,
      account: { ...agentAccountView(state, now, deps.playbook), name: profile.name, phone: profile.phone },
      script: state.callTask!.script,
      disclosure: deps.playbook.pack.callDisclosure[state.locale],
      // The service's clock (virtual in `npm run serve`): the desk shows the customer's time from it.
      serverTime: now.toISOString(),
      timeline: await timelineFor(deps, state),
    });
  });

  app.post('/api/agent/tasks/:taskId/outcome', async (c) => {
    const body = await jsonBody(c.req);
    const agentId = c.get('agentId');
    const task = await deps.queue.getTask(c.req.param('taskId'));
    if (!task) throw new ApiProblem(404, `No task ${c.req.param('taskId')}.`);
    const entry = actionEvent(SOURCE, 'CallOutcomeRecorded', body, ['outcome'], {
      accountId: task.accountId,
      callId: task.taskId,
      agentId,
    });
    const dialled = await deps.queue.markDialled(task.taskId, agentId);
    if (dialled.kind === 'refused') throw new ApiProblem(409, `The outcome cannot be recorded: ${dialled.reason}.`);
    return c.json(await put(agentId, task.accountId, entry), 202);
  });

  app.get('/api/agent/accounts/:accountId', async (c) => {
    const state = await accountOr404(deps, c.req.param('accountId'));
    const now = deps.clock.now();
    const account = agentAccountView(state, now, deps.playbook);
    // Name and phone only for a task this collector has claimed (CONTRACT §7).
    const contact = (await holdsClaim(deps, state, c.get('agentId'), now))
      ? await deps.accounts.getWithProfile(state.accountId)
      : null;
    return c.json({
      account: contact ? { ...account, name: contact.profile.name, phone: contact.profile.phone } : account,
      timeline: await timelineFor(deps, state),
    });
  });
  app.post('/api/agent/accounts/:accountId/promise', async (c) => {
    const body = await jsonBody(c.req);
    const state = await accountOr404(deps, c.req.param('accountId'));
    requireOpen(state);
    const entry = actionEvent(
      SOURCE,
      'PromiseToPayMade',
      body,
      ['amount', 'dueDate'],
      { accountId: state.accountId, promiseId: newId('PTP') },
      { state, now: deps.clock.now(), pack: deps.playbook.pack },
    );
    return c.json(await put(c.get('agentId'), state.accountId, entry), 202);
  });
  app.post('/api/agent/accounts/:accountId/plan', async (c) => {
    const body = (await jsonBody(c.req)) as Record<string, unknown>;
    const state = await accountOr404(deps, c.req.param('accountId'));
    requireNoPlan(state);
    const now = deps.clock.now();
    // The plan on offer, or else one the collector offers on the phone now: offered and accepted at once
    // (CONTRACT §7), under the id the workflow's next offer would take. Outside the pack's limits: 422.
    const planId = (openOffer(state) ?? newOffer(state, now, deps.playbook)).planId;
    const entry = actionEvent(
      SOURCE,
      'PlanAccepted',
      body,
      ['instalments'],
      { accountId: state.accountId, planId },
      { state, now, pack: deps.playbook.pack },
    );
    return c.json(await put(c.get('agentId'), state.accountId, entry), 202);
  });
  return app;
};
