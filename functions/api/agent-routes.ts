// The collectors' routes (docs/contract.md §7, §10.7, §11.1), behind a bearer token of the `collectors` group. Access
// is by need: the account's name and phone, and every action on it, need a task the collector has claimed or an
// inbound call it has taken on that account or another of its person's; without one a collector sees figures and the
// timeline only.
import { Hono } from 'hono';
import { openOffer, type AccountState } from '../domain/account';
import { dialRefusal, MAX_CLAIMS } from '../domain/call-queue';
import { ID_PATTERN } from '../domain/inbound-events';
import { actionEvent, jsonBody, newId, requireNoPlan, requireOpen } from './actions';
import { newOffer } from '../domain/contact-attempt';
import { newSettlement } from '../domain/settlement';
import { agentAccountView, timelineFor } from './agent-account-view';
import { callQueue, claimableHolder, CLAIM_LEASE_MS, dialledHolder, workingView } from './agent-calls';
import type { InboundEntry } from '../ports';
import type { ApiDeps } from './deps';
import { ApiProblem } from './problem';
import { hasAccess, inboundAccount, INBOUND_ACCESS_MS, MAX_OPEN_INBOUND, requireAccess } from './agent-access';
import type { RateLimiter } from './rate-limit';

const SOURCE = 'collections.agent';

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

  app.post('/api/agent/tasks/:taskId/claim', async (c) => {
    const agentId = c.get('agentId');
    const now = deps.clock.now();
    const task = await deps.queue.getTask(taskParam(c.req.param('taskId')));
    if (!task) throw new ApiProblem(404, `No task ${c.req.param('taskId')}.`);
    // A person's task lists each of their accounts that wants a call: it is the first that may be called now that the
    // claim works (docs/contract.md §11.1), and access to it is access to all of the person's.
    const holder = await claimableHolder(deps, task, now);
    // Claiming a task one holds answers the claim as it stands: the queue renews no lease (docs/contract.md §10.7).
    const lease = new Date(now.getTime() + CLAIM_LEASE_MS);
    const claimed = await deps.queue.claim(task.taskId, agentId, now, lease, MAX_CLAIMS);
    if (claimed.kind === 'refused') throw new ApiProblem(409, `The task cannot be claimed: ${claimed.reason}.`);
    const leaseUntil = claimed.task.leaseUntil!;
    deps.log.info('task claimed', { agentId, taskId: task.taskId, accountId: holder.accountId });
    await deps.queue.grantAccess({ accountId: holder.accountId, agentId, until: leaseUntil, reason: 'claim' });
    return c.json({
      taskId: task.taskId,
      accountIds: task.accountIds,
      leaseUntil,
      ...(await workingView(deps, holder.accountId, now, leaseUntil)),
    });
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
    return c.json({ callId, ...(await workingView(deps, state.accountId, now, until)) });
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
    // One outcome for the person's task: the intake counts it on every account the task lists (docs/contract.md §11.1).
    const accountId = await dialledHolder(deps, task);
    const entry = actionEvent(SOURCE, 'CallOutcomeRecorded', body, ['outcome'], {
      accountId,
      callId: task.taskId,
      agentId,
      dialledAt: now.toISOString(),
    });
    // The dial goes on the bus before the task leaves the queue: if marking it fails, the call is still a contact,
    // and the collector's retry puts the same call id again, which the intake recognises (docs/contract.md §10.7).
    const recorded = await put(agentId, accountId, entry);
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
    const access = await hasAccess(deps, state, c.get('agentId'), now);
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
    await requireAccess(deps, state, c.get('agentId'), deps.clock.now());
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
    await requireAccess(deps, state, c.get('agentId'), deps.clock.now());
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
    await requireAccess(deps, state, c.get('agentId'), deps.clock.now());
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
    await requireAccess(deps, state, c.get('agentId'), now);
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
