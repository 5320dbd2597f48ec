// The collector's desk (`/desk`): sign in, the queue, claim, the call screen (customer's local time, the
// figures, the disclosure and script to read, outcome buttons, promise and plan forms within the pack's
// limits) and the account's timeline. Server-rendered shell, a little plain JavaScript, en-US and zh-CN.
import { html, raw } from 'hono/html';
import type { Locale } from '../../domain/money';
import { page } from './layout';

/** How collectors sign in: locally, pick a demo collector; in AWS, the Cognito hosted UI (PKCE). */
export type DeskSignIn =
  | { kind: 'local'; agents: { agentId: string; token: string }[] }
  | { kind: 'cognito'; domain: string; clientId: string };

const TEXT = {
  'en-US': {
    title: 'Collector desk',
    switchTo: '中文',
    signIn: 'Sign in',
    signInAs: 'Sign in as',
    signOut: 'Sign out',
    signedInAs: 'Signed in as',
    cognito: 'Sign in with your bank account',
    queue: 'Call queue',
    refresh: 'Refresh',
    empty: 'No call is allowed right now. The queue fills as accounts come due and as contact hours open.',
    priority: 'Priority',
    why: 'Why',
    localTime: 'Customer time',
    dpd: 'DPD',
    bucket: 'Bucket',
    amount: 'Overdue',
    claim: 'Claim',
    call: 'Call',
    customer: 'Customer',
    phone: 'Phone',
    balance: 'Balance',
    rate: 'Penalty APR',
    disclosure: 'Say first',
    script: 'Then state',
    outcome: 'Record the outcome',
    outcomes: {
      'right-party': 'Spoke to the customer',
      'no-answer': 'No answer',
      voicemail: 'Left voicemail',
      'wrong-party': 'Wrong person',
      refused: 'Refused to talk',
    },
    promise: 'Promise to pay',
    promiseAmount: 'Amount',
    promiseDate: 'Pay by',
    promiseSave: 'Record promise',
    plan: 'Repayment plan',
    planNone: 'A plan is already running on this account.',
    planInstalments: 'Monthly instalments',
    planSave: 'Record plan',
    planTerm: 'monthly',
    timeline: 'Timeline',
    back: 'Back to the queue',
    done: 'Recorded.',
    failed: 'Not recorded:',
    taken: 'Someone else took this call, or it is no longer allowed.',
    inbound: 'Customer on the line',
    inboundLabel: 'Their phone (+13125550100) or account id',
    inboundOpen: 'Open the account',
    inboundCall: 'Inbound call',
  },
  'zh-CN': {
    title: '催收坐席工作台',
    switchTo: 'English',
    signIn: '登录',
    signInAs: '以此身份登录',
    signOut: '退出',
    signedInAs: '当前坐席',
    cognito: '使用银行账号登录',
    queue: '外呼队列',
    refresh: '刷新',
    empty: '目前没有允许拨打的电话。账户到期及联系时段开始后队列会更新。',
    priority: '优先级',
    why: '原因',
    localTime: '客户当地时间',
    dpd: '逾期天数',
    bucket: '账龄',
    amount: '逾期金额',
    claim: '领取',
    call: '通话',
    customer: '客户',
    phone: '电话',
    balance: '欠款余额',
    rate: '罚息年化利率',
    disclosure: '先说明',
    script: '再告知',
    outcome: '记录通话结果',
    outcomes: {
      'right-party': '已与本人通话',
      'no-answer': '无人接听',
      voicemail: '已留言',
      'wrong-party': '非本人',
      refused: '拒绝沟通',
    },
    promise: '承诺还款',
    promiseAmount: '金额',
    promiseDate: '还款日期',
    promiseSave: '记录承诺',
    plan: '分期还款方案',
    planNone: '该账户已有分期方案在执行。',
    planInstalments: '分期期数',
    planSave: '记录方案',
    planTerm: '每期',
    timeline: '账户记录',
    back: '返回队列',
    done: '已记录。',
    failed: '未记录:',
    taken: '此电话已被他人领取,或当前不允许拨打。',
    inbound: '客户来电',
    inboundLabel: '来电号码(如 +8613800138000)或账户号',
    inboundOpen: '打开账户',
    inboundCall: '客户来电',
  },
} as const;

// The page's behaviour: plain DOM code, no framework; the token stays in this tab's session storage.
const SCRIPT = String.raw`
const cfg = JSON.parse(document.getElementById('desk-config').textContent);
const t = cfg.text;
const $ = (id) => document.getElementById(id);
const el = (tag, attrs = {}, ...children) => {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs))
    if (k === 'text') node.textContent = v;
    else node.setAttribute(k, v);
  for (const child of children) node.append(child);
  return node;
};
const status = (message) => {
  $('status').textContent = message;
};
const token = () => sessionStorage.getItem('desk-token');
const api = async (path, body) => {
  const response = await fetch(path, {
    method: body ? 'POST' : 'GET',
    headers: { authorization: 'Bearer ' + token(), ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const data = await response.json().catch(() => ({}));
  if (!response.ok)
    throw Object.assign(
      new Error(
        data.errors ? data.errors.map((e) => e.field + ': ' + e.reason).join('; ') : data.detail || response.statusText,
      ),
      { status: response.status },
    );
  return data;
};
const money = (amount, currency, digits) =>
  (amount / 10 ** digits).toFixed(digits).replace(/\B(?=(\d{3})+(?!\d))/g, ',') + ' ' + currency;
const digitsOf = (currency) =>
  new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits;
const show = (id) => {
  for (const s of ['signin', 'queue-view', 'call-view']) $(s).hidden = s !== id;
};

const signedIn = (agentId) => {
  $('who').textContent = t.signedInAs + ': ' + agentId;
  $('signout').hidden = false;
  loadQueue();
};

async function loadQueue() {
  show('queue-view');
  const body = $('queue-rows');
  body.replaceChildren();
  try {
    const { tasks } = await api('/api/agent/queue');
    $('queue-empty').hidden = tasks.length > 0;
    $('queue-table').hidden = tasks.length === 0;
    for (const task of tasks) {
      const button = el('button', { type: 'button', text: t.claim + ' ' + task.accountId });
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
    if (error.status === 401) {
      sessionStorage.removeItem('desk-token');
      show('signin');
    }
    status(t.failed + ' ' + error.message);
  }
}

let current = null;
// The customer calls in: the account that matches opens as a claim would, for 30 minutes (CONTRACT §10.7).
$('inbound-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const value = $('inbound-who').value.trim();
  try {
    current = await api('/api/agent/inbound', value.startsWith('+') ? { phone: value } : { accountId: value });
  } catch (error) {
    status(t.failed + ' ' + error.message);
    return;
  }
  current.taskId = null;
  renderCall();
});

async function claim(taskId) {
  try {
    current = await api('/api/agent/tasks/' + encodeURIComponent(taskId) + '/claim', {});
  } catch (error) {
    status(error.status === 409 ? t.taken : t.failed + ' ' + error.message);
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
  const amount = $('promise-amount');
  amount.max = String(account.limits.maxPromiseAmount / 10 ** digits);
  amount.step = digits === 0 ? '1' : String(1 / 10 ** digits);
  amount.value = String(account.amountDue / 10 ** digits);
  $('promise-date').min = account.customerToday;
  $('promise-date').max = account.limits.latestPromiseDate || '';
  $('promise-date').value = account.customerToday;
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
  renderTimeline(timeline);
  $('call-title').focus();
}

function renderTimeline(timeline) {
  const list = $('call-timeline');
  list.replaceChildren();
  for (const entry of timeline) {
    const { at, kind, text, ...rest } = entry;
    const details = Object.entries(rest)
      .map(([k, v]) => k + '=' + (typeof v === 'object' ? JSON.stringify(v) : v))
      .join(' ');
    list.append(
      el('li', { text: at.slice(0, 16).replace('T', ' ') + ' — ' + kind + (details ? ' · ' + details : '') }),
    );
  }
}

async function refreshAccount() {
  const { account, timeline } = await api('/api/agent/accounts/' + encodeURIComponent(current.account.accountId));
  current = { ...current, account: { ...current.account, ...account }, timeline };
  renderTimeline(timeline);
  return timeline;
}

const act = async (path, body) => {
  try {
    const before = current.timeline.length;
    await api(path, body);
    status(t.done);
    // The action travels the bus and the intake; the timeline shows it a moment later. Look again, less often
    // each time, and stop once it is there: a few requests per action, not a poll.
    for (let wait = 250; wait <= 4000; wait *= 2) {
      await new Promise((r) => setTimeout(r, wait));
      if ((await refreshAccount()).length > before) break;
    }
  } catch (error) {
    status(t.failed + ' ' + error.message);
  }
};

document.querySelectorAll('[data-outcome]').forEach((button) =>
  button.addEventListener('click', async () => {
    try {
      await api('/api/agent/tasks/' + encodeURIComponent(current.taskId) + '/outcome', {
        outcome: button.dataset.outcome,
      });
      status(t.done);
      $('outcome-recorded').textContent = t.done + ' ' + button.textContent;
      await new Promise((r) => setTimeout(r, 500));
      await refreshAccount();
    } catch (error) {
      status(t.failed + ' ' + error.message);
    }
  }),
);
$('promise-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const digits = digitsOf(current.account.currency);
  const amount = Math.round(Number($('promise-amount').value) * 10 ** digits);
  act('/api/agent/accounts/' + encodeURIComponent(current.account.accountId) + '/promise', {
    amount,
    dueDate: $('promise-date').value,
  });
});
$('plan-form').addEventListener('submit', (event) => {
  event.preventDefault();
  act('/api/agent/accounts/' + encodeURIComponent(current.account.accountId) + '/plan', {
    instalments: Number($('plan-instalments').value),
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
  const b64 = (bytes) =>
    btoa(String.fromCharCode(...new Uint8Array(bytes)))
      .replace(/\+/g, '-')
      .replace(/\//g, '_')
      .replace(/=+$/, '');
  const redirect = location.origin + location.pathname;
  const code = new URLSearchParams(location.search).get('code');
  if (code) {
    fetch('https://' + cfg.signIn.domain + '/oauth2/token', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        client_id: cfg.signIn.clientId,
        code,
        redirect_uri: redirect,
        code_verifier: sessionStorage.getItem('pkce') || '',
      }),
    })
      .then((r) => r.json())
      .then((tokens) => {
        sessionStorage.setItem('desk-token', tokens.access_token);
        const claims = JSON.parse(atob(tokens.access_token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
        sessionStorage.setItem('desk-agent', claims.username);
        history.replaceState(null, '', redirect);
        signedIn(claims.username);
      })
      .catch((error) => status(t.failed + ' ' + error.message));
  }
  const link = el('button', { type: 'button', text: t.cognito });
  link.addEventListener('click', async () => {
    const verifier = b64(crypto.getRandomValues(new Uint8Array(32)));
    sessionStorage.setItem('pkce', verifier);
    const challenge = b64(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
    location.assign(
      'https://' +
        cfg.signIn.domain +
        '/oauth2/authorize?' +
        new URLSearchParams({
          response_type: 'code',
          client_id: cfg.signIn.clientId,
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
`;

export const deskPage = (locale: Locale, signIn: DeskSignIn) => {
  const t = TEXT[locale];
  const other: Locale = locale === 'en-US' ? 'zh-CN' : 'en-US';
  // Closing tags in the JSON would end the script element early: escape '<'.
  const config = JSON.stringify({ locale, text: t, signIn }).replace(/</g, '\\u003c');
  const outcomeButtons = (Object.entries(t.outcomes) as [string, string][]).map(
    ([outcome, label]) => html`<button type="button" data-outcome="${outcome}">${label}</button> `,
  );
  const body = html`
<header class="top">
  <h1>${t.title}</h1>
  <p><span id="who"></span> <button type="button" id="signout" class="secondary" hidden>${t.signOut}</button>
  <a href="/desk?lang=${other}" lang="${other}" hreflang="${other}">${t.switchTo}</a></p>
</header>
<p id="status" role="status" aria-live="polite"></p>
<section id="signin" aria-labelledby="signin-title">
  <h2 id="signin-title">${t.signIn}</h2>
  <ul id="signin-options"></ul>
</section>
<section id="queue-view" aria-labelledby="queue-title" hidden>
  <form id="inbound-form" aria-labelledby="inbound-title">
    <h2 id="inbound-title">${t.inbound}</h2>
    <label for="inbound-who">${t.inboundLabel}</label>
    <input id="inbound-who" type="text" required autocomplete="off">
    <div><button type="submit">${t.inboundOpen}</button></div>
  </form>
  <h2 id="queue-title">${t.queue}</h2>
  <button type="button" id="refresh" class="secondary">${t.refresh}</button>
  <p id="queue-empty" hidden>${t.empty}</p>
  <table id="queue-table" hidden>
    <thead><tr>
      <th scope="col">${t.priority}</th><th scope="col">${t.why}</th><th scope="col">${t.localTime}</th>
      <th scope="col">${t.dpd}</th><th scope="col">${t.bucket}</th><th scope="col">${t.amount}</th>
      <th scope="col"><span class="muted">${t.claim}</span></th>
    </tr></thead>
    <tbody id="queue-rows"></tbody>
  </table>
</section>
<section id="call-view" aria-labelledby="call-title" hidden>
  <h2 id="call-title" tabindex="-1"></h2>
  <dl class="figures">
    <dt>${t.phone}</dt><dd><a id="call-phone"></a></dd>
    <dt>${t.localTime}</dt><dd id="call-time"></dd>
    <dt>${t.amount}</dt><dd id="call-amount"></dd>
    <dt>${t.dpd}</dt><dd id="call-dpd"></dd>
    <dt>${t.rate}</dt><dd id="call-rate"></dd>
    <dt>${t.balance}</dt><dd id="call-balance"></dd>
  </dl>
  <h3>${t.disclosure}</h3>
  <p id="call-disclosure" class="notice"></p>
  <h3>${t.script}</h3>
  <p id="call-script"></p>
  <div id="outcome-section">
    <h3>${t.outcome}</h3>
    <div>${outcomeButtons}</div>
    <p id="outcome-recorded"></p>
  </div>
  <h3>${t.promise}</h3>
  <form id="promise-form">
    <label for="promise-amount">${t.promiseAmount}</label><input id="promise-amount" type="number" min="0" required>
    <label for="promise-date">${t.promiseDate}</label><input id="promise-date" type="date" required>
    <div><button type="submit">${t.promiseSave}</button></div>
  </form>
  <h3>${t.plan}</h3>
  <p id="plan-none">${t.planNone}</p>
  <form id="plan-form" hidden>
    <label for="plan-instalments">${t.planInstalments}</label><select id="plan-instalments"></select>
    <div><button type="submit">${t.planSave}</button></div>
  </form>
  <h3>${t.timeline}</h3>
  <ol id="call-timeline"></ol>
  <button type="button" id="back" class="secondary">${t.back}</button>
</section>
<script type="application/json" id="desk-config">${raw(config)}</script>`;
  return page(locale, t.title, body, SCRIPT);
};
