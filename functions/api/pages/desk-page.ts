// The collector's desk (`/desk`): sign in, the queue, claim, the call screen (customer's local time, the
// figures, the disclosure and script to read, outcome buttons, promise and plan forms within the pack's
// limits) and the account's timeline. Server-rendered shell, a little plain JavaScript, en-US and zh-CN.
import { html, raw } from 'hono/html';
import type { Locale } from '../../domain/money';
import { DELINQUENCY_REASONS } from '../../domain/inbound-events';
import { COLLECTOR_REASON_WORDS } from './reason-words';
import { DESK_SCRIPT } from './desk-script';
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
    outcomeReason: 'Why the customer is late (needed when you spoke to them)',
    reasonChoose: 'Choose…',
    reasonRequired: 'You spoke to the customer: first choose why they are late.',
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
    planAutopay: 'The bank debits each instalment on its due date (autopay)',
    planTerm: 'monthly',
    settlement: 'Settlement',
    settlementAmount: 'Lump sum agreed',
    settlementSave: 'Record settlement',
    settlementLimits: 'You may agree down to {collector}; a supervisor down to {supervisor}.',
    settlementNone: 'No settlement can be agreed now: a plan runs, or a settlement is already accepted.',
    settlementOnOffer: 'On offer: {amount}, to be paid by {date}.',
    settlementAccepted: 'Accepted: {amount}, to be paid by {date} ({paid} paid so far).',
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
    outcomeReason: '客户逾期原因(与客户本人通话时必填)',
    reasonChoose: '请选择…',
    reasonRequired: '您已与客户通话:请先选择客户的逾期原因。',
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
    planAutopay: '每期到期日由银行自动扣款',
    planTerm: '每期',
    settlement: '一次性结清',
    settlementAmount: '约定的结清金额',
    settlementSave: '记录结清方案',
    settlementLimits: '您可同意的最低金额为{collector};主管可同意的最低金额为{supervisor}。',
    settlementNone: '目前无法约定结清:分期方案正在执行,或已有结清方案被接受。',
    settlementOnOffer: '现有结清方案:{amount},须于{date}前还清。',
    settlementAccepted: '已接受结清方案:{amount},须于{date}前还清(已还{paid})。',
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

/** `nonce`: the one the response's Content-Security-Policy lets the desk's script run under. */
export const deskPage = (locale: Locale, signIn: DeskSignIn, nonce: string) => {
  const t = TEXT[locale];
  const other: Locale = locale === 'en-US' ? 'zh-CN' : 'en-US';
  // Closing tags in the JSON would end the script element early: escape '<'.
  const config = JSON.stringify({ locale, text: t, signIn }).replace(/</g, '\\u003c');
  const reasonOptions = DELINQUENCY_REASONS.map(
    (r) => html`<option value="${r}">${COLLECTOR_REASON_WORDS[locale][r]}</option>`,
  );
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
    <label for="outcome-reason">${t.outcomeReason}</label>
    <select id="outcome-reason"><option value="">${t.reasonChoose}</option>${reasonOptions}</select>
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
    <div><input type="checkbox" id="plan-autopay">
      <label for="plan-autopay" style="display:inline;font-weight:normal">${t.planAutopay}</label></div>
    <div><button type="submit">${t.planSave}</button></div>
  </form>
  <h3>${t.settlement}</h3>
  <p id="settlement-current"></p>
  <p id="settlement-none" hidden>${t.settlementNone}</p>
  <form id="settlement-form">
    <label for="settlement-amount">${t.settlementAmount}</label>
    <input id="settlement-amount" type="number" min="0" required aria-describedby="settlement-limits">
    <p id="settlement-limits"></p>
    <div><button type="submit">${t.settlementSave}</button></div>
  </form>
  <h3>${t.timeline}</h3>
  <ol id="call-timeline"></ol>
  <button type="button" id="back" class="secondary">${t.back}</button>
</section>
<script type="application/json" id="desk-config">${raw(config)}</script>`;
  return page(locale, t.title, body, { code: DESK_SCRIPT, nonce });
};
