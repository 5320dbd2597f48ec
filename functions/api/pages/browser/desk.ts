// The desk's behaviour in the browser: plain DOM code, no framework; the token stays in this tab's session storage.
// It reads the page's texts and sign-in options from the JSON the page embeds (#desk-config). Type-checked with the
// DOM's types (tsconfig.json here) and bundled by esbuild into the script the page serves (../desk-script.ts).
import type { DeskConfig } from '../desk-text';
import type { Call, QueueTask, TimelineEntry } from './desk-api';
import { accountRows, digitsOf, el, money } from './desk-dom';

/** A refused request: the problem's field reasons or detail, and the HTTP status. */
type ApiError = Error & { status?: number };

const cfg = JSON.parse(document.getElementById('desk-config')!.textContent!) as DeskConfig;
const t = cfg.text;
const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const input = (id: string) => $<HTMLInputElement>(id);
const status = (message: string) => {
  $('status').textContent = message;
};
const token = () => sessionStorage.getItem('desk-token');
const api = async <T = unknown>(path: string, body?: unknown): Promise<T> => {
  const response = await fetch(path, {
    method: body ? 'POST' : 'GET',
    headers: { authorization: 'Bearer ' + token(), ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const data = await response.json().catch(() => ({}));
  if (!response.ok)
    throw Object.assign(
      new Error(
        data.errors
          ? data.errors.map((e: { field: string; reason: string }) => e.field + ': ' + e.reason).join('; ')
          : data.detail || response.statusText,
      ),
      { status: response.status },
    );
  return data as T;
};
const show = (id: string) => {
  for (const s of ['signin', 'queue-view', 'call-view']) $(s).hidden = s !== id;
};

const signedIn = (agentId: string | null) => {
  $('who').textContent = t.signedInAs + ': ' + agentId;
  $('signout').hidden = false;
  loadQueue();
};

async function loadQueue() {
  show('queue-view');
  const body = $('queue-rows');
  body.replaceChildren();
  try {
    const { tasks } = await api<{ tasks: QueueTask[] }>('/api/agent/queue');
    $('queue-empty').hidden = tasks.length > 0;
    $('queue-table').hidden = tasks.length === 0;
    for (const task of tasks) {
      const button = el('button', {
        type: 'button',
        text: t.claim + ' ' + (task.accountIds ?? [task.accountId]).join(', '),
      });
      button.addEventListener('click', () => claim(task.taskId));
      body.append(
        el(
          'tr',
          {},
          el('td', { text: String(task.priority) }),
          el('td', { text: task.reason }),
          el('td', { text: task.customerLocalTime }),
          el('td', { text: String(task.dpd) }),
          el('td', { text: task.bucket }),
          el('td', { text: money(task.amountDue, task.currency, digitsOf(task.currency)) }),
          el('td', {}, button),
        ),
      );
    }
  } catch (error) {
    if ((error as ApiError).status === 401) {
      sessionStorage.removeItem('desk-token');
      show('signin');
    }
    status(t.failed + ' ' + (error as Error).message);
  }
}

let current: Call;
$('inbound-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const value = input('inbound-who').value.trim();
  try {
    current = await api<Call>('/api/agent/inbound', value.startsWith('+') ? { phone: value } : { accountId: value });
  } catch (error) {
    status(t.failed + ' ' + (error as Error).message);
    return;
  }
  current.taskId = null;
  renderCall();
});

async function claim(taskId: string) {
  try {
    current = await api<Call>('/api/agent/tasks/' + encodeURIComponent(taskId) + '/claim', {});
  } catch (error) {
    status((error as ApiError).status === 409 ? t.taken : t.failed + ' ' + (error as Error).message);
    return loadQueue();
  }
  renderCall();
}

function renderCall() {
  const { account, script, disclosure, timeline } = current;
  const digits = digitsOf(account.currency);
  show('call-view');
  // Only what the collector may do: an inbound call has no task, so no dial to record.
  $('outcome-section').hidden = !current.taskId;
  $('call-title').textContent =
    (current.taskId ? t.call : t.inboundCall) + ': ' + account.name + ' (' + account.accountId + ')';
  const phone = $('call-phone');
  phone.textContent = account.phone || '—';
  phone.setAttribute('href', 'tel:' + (account.phone || ''));
  $('call-time').textContent =
    new Intl.DateTimeFormat(cfg.locale, {
      timeZone: account.timezone,
      hour: '2-digit',
      minute: '2-digit',
      weekday: 'short',
    }).format(new Date(current.serverTime)) +
    ' (' +
    account.timezone +
    ')';
  $('call-amount').textContent = money(account.amountDue, account.currency, digits);
  $('call-dpd').textContent = String(account.dpd) + ' (' + account.bucket + ')';
  $('call-rate').textContent = account.penaltyAprBps === null ? '—' : (account.penaltyAprBps / 100).toFixed(2) + '%';
  $('call-balance').textContent = money(account.balance, account.currency, digits);
  $('call-disclosure').textContent = disclosure;
  $('call-script').textContent = script || '';
  const amount = input('promise-amount');
  amount.max = String(account.limits.maxPromiseAmount / 10 ** digits);
  amount.step = digits === 0 ? '1' : String(1 / 10 ** digits);
  amount.value = String(account.amountDue / 10 ** digits);
  input('promise-date').min = account.customerToday;
  input('promise-date').max = account.limits.latestPromiseDate || '';
  input('promise-date').value = account.customerToday;
  const select = $('plan-instalments');
  select.replaceChildren();
  const terms = account.planTerms.filter((x) => x.instalments <= account.limits.maxInstalments);
  $('plan-form').hidden = terms.length === 0;
  $('plan-none').hidden = terms.length > 0;
  for (const term of terms) {
    select.append(
      el('option', {
        value: String(term.instalments),
        text: term.instalments + ' × ' + money(term.monthlyAmount, account.currency, digits) + ' ' + t.planTerm,
      }),
    );
  }
  $<HTMLSelectElement>('outcome-reason').value = '';
  input('plan-autopay').checked = false;
  // A settlement agreed on the phone (docs/contract.md §3.16): within the collector's limit, or a supervisor's.
  const settling = !account.plan && !(account.settlement && account.settlement.accepted);
  $('settlement-form').hidden = !settling;
  $('settlement-none').hidden = settling;
  const lump = input('settlement-amount');
  lump.min = String(account.limits.supervisorMinSettlement / 10 ** digits);
  lump.max = String(account.balance / 10 ** digits);
  lump.step = digits === 0 ? '1' : String(1 / 10 ** digits);
  lump.value = String(account.limits.collectorMinSettlement / 10 ** digits);
  // The settlement the workflow offered, or the one accepted, as the customer sees it on the page.
  const s = account.settlement;
  $('settlement-current').textContent = s
    ? (s.accepted ? t.settlementAccepted : t.settlementOnOffer)
        .replace('{amount}', money(s.amount, account.currency, digits))
        .replace('{date}', s.validUntil)
        .replace('{paid}', money(s.paidSince, account.currency, digits))
    : '';
  $('settlement-limits').textContent = t.settlementLimits
    .replace('{collector}', money(account.limits.collectorMinSettlement, account.currency, digits))
    .replace('{supervisor}', money(account.limits.supervisorMinSettlement, account.currency, digits));
  renderAccounts();
  renderTimeline(timeline);
  $('call-title').focus();
}

/** The person's open accounts (docs/contract.md §11.1): the one on screen, and a button to work on each other. */
function renderAccounts() {
  $('call-accounts-rows').replaceChildren(
    ...accountRows(current.accounts, current.account.accountId, t, (a) => workOn(a.accountId, a.script)),
  );
}

/** Puts another of the person's accounts on screen: its figures, forms and timeline; the call stays the same. */
async function workOn(accountId: string, script: string | null) {
  try {
    const { account, timeline } = await api<Pick<Call, 'account' | 'timeline'>>(
      '/api/agent/accounts/' + encodeURIComponent(accountId),
    );
    current = { ...current, account, script, timeline };
  } catch (error) {
    status(t.failed + ' ' + (error as Error).message);
    return;
  }
  renderCall();
}

function renderTimeline(timeline: TimelineEntry[]) {
  const list = $('call-timeline');
  list.replaceChildren();
  for (const entry of timeline) {
    const { at, kind, text: _text, ...rest } = entry;
    const details = Object.entries(rest)
      .map(([k, v]) => k + '=' + (typeof v === 'object' ? JSON.stringify(v) : v))
      .join(' ');
    list.append(
      el('li', { text: at.slice(0, 16).replace('T', ' ') + ' — ' + kind + (details ? ' · ' + details : '') }),
    );
  }
}

async function refreshAccount() {
  const { account, timeline } = await api<Pick<Call, 'account' | 'timeline'>>(
    '/api/agent/accounts/' + encodeURIComponent(current.account.accountId),
  );
  current = { ...current, account: { ...current.account, ...account }, timeline };
  renderTimeline(timeline);
  return timeline;
}

const act = async (path: string, body: unknown) => {
  try {
    const before = current.timeline.length;
    await api(path, body);
    status(t.done);
    // The action travels the bus and the intake; the timeline shows it a moment later. Look again, less often
    // each time, and stop once it is there: a few requests per action, not a poll.
    for (let i = 0, wait = 250; i < 8; i += 1, wait = Math.min(wait * 2, 4000)) {
      await new Promise((r) => setTimeout(r, wait));
      if ((await refreshAccount()).length > before) break;
    }
  } catch (error) {
    status(t.failed + ' ' + (error as Error).message);
  }
};

document.querySelectorAll<HTMLButtonElement>('[data-outcome]').forEach((button) =>
  button.addEventListener('click', async () => {
    // Having spoken to the customer, the collector records why they are late (docs/contract.md §3.15).
    const reason = $<HTMLSelectElement>('outcome-reason').value;
    if (button.dataset.outcome === 'right-party' && !reason) {
      status(t.reasonRequired);
      $('outcome-reason').focus();
      return;
    }
    try {
      await api('/api/agent/tasks/' + encodeURIComponent(current.taskId!) + '/outcome', {
        outcome: button.dataset.outcome,
      });
      if (button.dataset.outcome === 'right-party')
        await api('/api/agent/accounts/' + encodeURIComponent(current.account.accountId) + '/reason', { reason });
      status(t.done);
      $('outcome-recorded').textContent = t.done + ' ' + button.textContent;
      await new Promise((r) => setTimeout(r, 500));
      await refreshAccount();
    } catch (error) {
      status(t.failed + ' ' + (error as Error).message);
    }
  }),
);
$('promise-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const digits = digitsOf(current.account.currency);
  const amount = Math.round(Number(input('promise-amount').value) * 10 ** digits);
  act('/api/agent/accounts/' + encodeURIComponent(current.account.accountId) + '/promise', {
    amount,
    dueDate: input('promise-date').value,
  });
});
$('plan-form').addEventListener('submit', (event) => {
  event.preventDefault();
  act('/api/agent/accounts/' + encodeURIComponent(current.account.accountId) + '/plan', {
    instalments: Number($<HTMLSelectElement>('plan-instalments').value),
    ...(input('plan-autopay').checked ? { autopay: true } : {}),
  });
});
$('settlement-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const digits = digitsOf(current.account.currency);
  act('/api/agent/accounts/' + encodeURIComponent(current.account.accountId) + '/settlement', {
    amount: Math.round(Number(input('settlement-amount').value) * 10 ** digits),
  });
});
$('back').addEventListener('click', () => loadQueue());
$('refresh').addEventListener('click', () => loadQueue());
$('signout').addEventListener('click', () => {
  sessionStorage.removeItem('desk-token');
  $('signout').hidden = true;
  $('who').textContent = '';
  show('signin');
});

if (cfg.signIn.kind === 'local') {
  for (const agent of cfg.signIn.agents) {
    const button = el('button', { type: 'button', text: t.signInAs + ' ' + agent.agentId });
    button.addEventListener('click', () => {
      sessionStorage.setItem('desk-token', agent.token);
      sessionStorage.setItem('desk-agent', agent.agentId);
      signedIn(agent.agentId);
    });
    $('signin-options').append(el('li', {}, button));
  }
} else {
  // Cognito hosted UI, authorization code with PKCE.
  const { domain, clientId } = cfg.signIn;
  const b64 = (bytes: ArrayBuffer | Uint8Array) =>
    btoa(String.fromCharCode(...new Uint8Array(bytes)))
      .replace(/\+/g, '-')
      .replace(/\//g, '_')
      .replace(/=+$/, '');
  const redirect = location.origin + location.pathname;
  const code = new URLSearchParams(location.search).get('code');
  if (code) {
    fetch('https://' + domain + '/oauth2/token', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        client_id: clientId,
        code,
        redirect_uri: redirect,
        code_verifier: sessionStorage.getItem('pkce') || '',
      }),
    })
      .then((r) => r.json())
      .then((tokens: { access_token: string }) => {
        sessionStorage.setItem('desk-token', tokens.access_token);
        const claims = JSON.parse(atob(tokens.access_token.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/')));
        sessionStorage.setItem('desk-agent', claims.username);
        history.replaceState(null, '', redirect);
        signedIn(claims.username);
      })
      .catch((error: Error) => status(t.failed + ' ' + error.message));
  }
  const link = el('button', { type: 'button', text: t.cognito });
  link.addEventListener('click', async () => {
    const verifier = b64(crypto.getRandomValues(new Uint8Array(32)));
    sessionStorage.setItem('pkce', verifier);
    const challenge = b64(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
    location.assign(
      'https://' +
        domain +
        '/oauth2/authorize?' +
        new URLSearchParams({
          response_type: 'code',
          client_id: clientId,
          redirect_uri: redirect,
          scope: 'openid',
          code_challenge: challenge,
          code_challenge_method: 'S256',
        }),
    );
  });
  $('signin-options').append(el('li', {}, link));
}
if (token()) signedIn(sessionStorage.getItem('desk-agent'));
else show('signin');
