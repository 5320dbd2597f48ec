// The customer's self-service page (`/c/{token}`): what is owed and why, and the actions, as plain HTML forms
// that work without JavaScript. In the account's locale, with a switch.
import { DELINQUENCY_REASONS, type DelinquencyReason } from '../../domain/inbound-events';
import { CUSTOMER_REASON_WORDS } from './reason-words';
import { html } from 'hono/html';
import { CHANNEL_REGISTRY, CHANNELS, type Channel } from '../../domain/channels';
import { formatMoney, formatRateBps, type Locale } from '../../domain/money';
import type { CustomerView } from '../customer-view';
import { page } from './layout';

const TEXT = {
  'en-US': {
    title: 'Your card account',
    switchTo: '中文',
    closed: (reason: string) => `This collection is closed (${reason}). Thank you.`,
    agency: (agency: string) =>
      `Your account has been placed with the collection agency ${agency}, which will contact you. Payments to ` +
      `us still count.`,
    statement: (amount: string, date: string) =>
      `Your statement's minimum payment of ${amount} is due on ${date}. Your account is not overdue.`,
    overdue: (amount: string) => `Overdue amount: ${amount}`,
    dpd: 'Days past due',
    rate: 'Penalty APR',
    payBy: 'Please pay by',
    balance: 'Whole balance',
    payNow: (amount: string) => `Pay ${amount} now`,
    settlementTitle: 'Settle for less',
    settlementOffer: (amount: string, balance: string, date: string) =>
      `We can accept ${amount} in full settlement of your balance of ${balance}, paid by ${date}. The rest of the ` +
      `balance will be written off.`,
    settlementAccept: 'Accept the settlement',
    settlementAccepted: (amount: string, date: string) =>
      `You accepted to settle for ${amount}. Pay it by ${date}; we will not send reminders until then.`,
    autopay: 'Pay each instalment automatically from my bank account on its due date',
    why:
      'Your card payment is overdue. Paying the overdue amount brings the account up to date; penalty ' +
      'interest applies while it is past due.',
    promiseTitle: 'Promise a payment',
    amount: (cur: string) => `Amount (${cur})`,
    date: 'Pay by date',
    promise: 'Make this promise',
    promiseNow: (amount: string, date: string) =>
      `You promised to pay ${amount} by ${date}. We will not send reminders until then.`,
    planTitle: 'Repay in monthly instalments',
    planChoose: 'Choose a plan',
    planAccept: 'Accept this plan',
    planTerm: (n: number, monthly: string) => `${n} monthly payments of ${monthly}`,
    planNone: 'No plan is on offer yet. We offer one as the account ages; you can also promise a payment above.',
    planRunning: (id: string) => `Your repayment plan ${id} is running.`,
    instalment: 'Instalment',
    due: 'Due',
    paid: 'Paid',
    whyTitle: 'Why is the payment late?',
    whyNote: 'Anything else we should know (optional)',
    whySave: 'Tell us',
    whyNow: (reason: string) => `You told us: ${reason}. Thank you; it helps us find what you can manage.`,
    disputeTitle: 'Dispute the debt',
    reason: 'What is wrong?',
    dispute: 'Raise a dispute',
    disputeOpen: 'Your dispute is open. We will not contact you about this debt until it is resolved.',
    channelsTitle: 'How we contact you',
    stopped: 'stopped',
    allowed: 'allowed',
    cease: 'Stop all communication about this debt',
    ceased: 'You asked us to stop all communication. We will not contact you again about this debt.',
    done: {
      promise: 'Thank you: your promise is recorded.',
      plan: 'Thank you: your plan is accepted. Reminders stop; we will remind you of each instalment.',
      dispute: 'Your dispute is recorded. We will not contact you until it is resolved.',
      'opt-out': 'Done: we will not use that channel again.',
      cease: 'Done: we will not contact you again about this debt.',
      reason: 'Thank you for telling us.',
      settlement: 'Thank you: the settlement is accepted. Pay the sum by its date to close the account.',
    } as Record<string, string>,
    error: 'Please correct this:',
  },
  'zh-CN': {
    title: '您的信用卡账户',
    switchTo: 'English',
    closed: (reason: string) => `本次催收已结束(${reason})。谢谢。`,
    agency: (agency: string) => `您的账户已委托催收机构${agency}处理,该机构将与您联系。向我行的还款仍然有效。`,
    statement: (amount: string, date: string) =>
      `您本期账单的最低还款额为${amount},到期还款日为${date}。您的账户目前未逾期。`,
    overdue: (amount: string) => `逾期金额:${amount}`,
    dpd: '逾期天数',
    rate: '罚息年化利率',
    payBy: '请于此日前还款',
    balance: '全部欠款',
    payNow: (amount: string) => `立即还款${amount}`,
    settlementTitle: '一次性结清',
    settlementOffer: (amount: string, balance: string, date: string) =>
      `您可于${date}前一次性还款${amount}结清全部欠款${balance},剩余部分予以减免。`,
    settlementAccept: '接受结清方案',
    settlementAccepted: (amount: string, date: string) =>
      `您已接受以${amount}结清欠款。请于${date}前还款;在此之前我们不会再发送提醒。`,
    autopay: '每期到期日自动从我的银行账户扣款',
    why: '您的信用卡还款已逾期。还清逾期金额即可恢复正常;逾期期间计收罚息。',
    promiseTitle: '承诺还款',
    amount: (cur: string) => `金额(${cur})`,
    date: '还款日期',
    promise: '提交还款承诺',
    promiseNow: (amount: string, date: string) => `您已承诺于${date}前还款${amount}。在此之前我们不会再发送提醒。`,
    planTitle: '按月分期还款',
    planChoose: '选择分期方案',
    planAccept: '接受此方案',
    planTerm: (n: number, monthly: string) => `分${n}期,每期${monthly}`,
    planNone: '目前尚无分期方案。随着逾期时间增加我们会提供方案;您也可以在上方承诺还款。',
    planRunning: (id: string) => `您的分期还款方案${id}正在执行。`,
    instalment: '期数',
    due: '到期日',
    paid: '已还',
    whyTitle: '逾期原因是什么?',
    whyNote: '补充说明(选填)',
    whySave: '提交',
    whyNow: (reason: string) => `您告知的原因:${reason}。谢谢,这有助于我们找到适合您的还款方式。`,
    disputeTitle: '对欠款提出异议',
    reason: '请说明问题',
    dispute: '提交异议',
    disputeOpen: '您的异议正在处理中。处理完毕前我们不会就此欠款联系您。',
    channelsTitle: '联系方式',
    stopped: '已停止',
    allowed: '允许',
    cease: '停止就此欠款的一切联系',
    ceased: '您已要求我们停止一切联系。我们不会再就此欠款联系您。',
    done: {
      promise: '谢谢,您的还款承诺已记录。',
      plan: '谢谢,您的分期方案已接受。催收提醒将停止;每期到期前我们会提醒您。',
      dispute: '您的异议已记录。处理完毕前我们不会联系您。',
      'opt-out': '已完成:我们不会再使用该联系方式。',
      cease: '已完成:我们不会再就此欠款联系您。',
      reason: '感谢您告知原因。',
      settlement: '谢谢,结清方案已接受。请于到期日前还清该金额以结清账户。',
    } as Record<string, string>,
    error: '请更正:',
  },
} as const;

export interface SelfServiceState {
  view: CustomerView;
  token: string;
  locale: Locale;
  done?: string;
  error?: string;
}

const hidden = (locale: Locale) => html`<input type="hidden" name="lang" value="${locale}">`;

export const selfServicePage = ({ view, token, locale, done, error }: SelfServiceState) => {
  const t = TEXT[locale];
  const money = (amount: number) => formatMoney({ amount, currency: view.currency }, locale);
  // `done` comes from the query string: only the texts' own keys name a notice (`constructor` names none).
  const doneText = done !== undefined && Object.hasOwn(t.done, done) ? t.done[done] : undefined;
  const other: Locale = locale === 'en-US' ? 'zh-CN' : 'en-US';
  const base = `/c/${token}`;
  // A statement coming due is not a collection: only the figures and the customer's choices of contact.
  const open = view.status === 'open' && !view.statement;
  const latest = view.promiseDates.latest;
  const contactable = view.status === 'open' && !view.ceased;
  const suggestedDate = latest && view.payBy > latest ? latest : view.payBy;
  const dateLimits = html`min="${view.promiseDates.earliest}"${latest ? html` max="${latest}"` : ''}`;
  const statusNotice = view.statement
    ? html`<p class="notice">${t.statement(money(view.statement.minimumDue), view.statement.dueDate)}</p>`
    : open
      ? ''
      : html`<p class="notice">${t.closed(view.closeReason ?? 'closed')}</p>`;
  const termChoice = (term: { instalments: number; monthlyAmount: number }, i: number) =>
    html`<div><input type="radio" id="term-${term.instalments}" name="instalments" value="${term.instalments}"
      ${i === 0 ? 'checked' : ''}>
      <label for="term-${term.instalments}" style="display:inline;font-weight:normal"
        >${t.planTerm(term.instalments, money(term.monthlyAmount))}</label></div>`;
  const instalmentRow = (i: { amount: number; dueDate: string; paid: number }, n: number) =>
    html`<tr><td>${n + 1}: ${money(i.amount)}</td><td>${i.dueDate}</td><td>${money(i.paid)}</td></tr>`;
  const optOutForm = (channel: Channel) =>
    html`<form method="post" action="${base}/opt-out" style="display:inline">${hidden(locale)}<input
      type="hidden" name="channel" value="${channel}"><button type="submit" class="secondary"
      >${CHANNEL_REGISTRY[channel].words[locale].stop}</button></form>`;
  const reasons = CUSTOMER_REASON_WORDS[locale];
  const reasonChoice = (reason: DelinquencyReason, i: number) =>
    html`<div><input type="radio" id="why-${reason}" name="reason" value="${reason}" ${i === 0 ? 'required' : ''}>
      <label for="why-${reason}" style="display:inline;font-weight:normal">${reasons[reason]}</label></div>`;
  const channelStatus = (channel: Channel) => (view.channels[channel] === 'opted-out' ? t.stopped : t.allowed);
  const channelLine = (channel: Channel) =>
    html`<li>${CHANNEL_REGISTRY[channel].words[locale].name}: ${channelStatus(channel)}
      ${contactable && view.channels[channel] === 'allowed' ? optOutForm(channel) : ''}</li>`;
  const settlementSection = (offer: NonNullable<CustomerView['settlement']>) =>
    html`<section aria-labelledby="settlement-title">
  <h2 id="settlement-title">${t.settlementTitle}</h2>
  ${
    view.settlementAccepted
      ? html`<p class="notice">${t.settlementAccepted(money(offer.amount), offer.validUntil)}</p>`
      : html`<p>${t.settlementOffer(money(offer.amount), money(view.balance), offer.validUntil)}</p>
  <form method="post" action="${base}/settlement">
    ${hidden(locale)}<input type="hidden" name="settlementId" value="${offer.settlementId}">
    <button type="submit">${t.settlementAccept}</button>
  </form>`
  }
</section>`;
  const body = html`
<header class="top">
  <h1>${t.title}</h1>
  <a href="${base}?lang=${other}" lang="${other}" hreflang="${other}">${t.switchTo}</a>
</header>
${doneText ? html`<p class="notice" role="status">${doneText}</p>` : ''}
${error ? html`<div class="error" role="alert"><p>${t.error} ${error}</p></div>` : ''}
${statusNotice}
${view.agency ? html`<p class="notice">${t.agency(view.agency)}</p>` : ''}
${
  view.statement
    ? ''
    : html`<section aria-labelledby="owed">
  <h2 id="owed">${t.overdue(money(view.amountDue))}</h2>
  <p>${t.why}</p>
  <dl class="figures">
    <dt>${t.dpd}</dt><dd>${view.daysPastDue}</dd>
    ${view.penaltyAprBps === null ? '' : html`<dt>${t.rate}</dt><dd>${formatRateBps(view.penaltyAprBps)}</dd>`}
    <dt>${t.payBy}</dt><dd>${view.payBy}</dd>
    <dt>${t.balance}</dt><dd>${money(view.balance)}</dd>
  </dl>
  ${view.payUrl ? html`<p><a class="button" href="${view.payUrl}">${t.payNow(money(view.payNow))}</a></p>` : ''}
</section>`
}
${
  open
    ? html`
<section aria-labelledby="promise-title">
  <h2 id="promise-title">${t.promiseTitle}</h2>
  ${view.promise ? html`<p class="notice">${t.promiseNow(money(view.promise.amount), view.promise.dueDate)}</p>` : ''}
  <form method="post" action="${base}/promise">
    ${hidden(locale)}
    <label for="promise-amount">${t.amount(view.currency)}</label>
    <input id="promise-amount" name="amount" type="text" inputmode="decimal" required autocomplete="off"
      value="${money(view.amountDue).split(' ')[0]}">
    <label for="promise-date">${t.date}</label>
    <input id="promise-date" name="dueDate" type="date" required ${dateLimits} value="${suggestedDate}">
    <div><button type="submit">${t.promise}</button></div>
  </form>
</section>
${view.settlement ? settlementSection(view.settlement) : ''}
<section aria-labelledby="plan-title">
  <h2 id="plan-title">${t.planTitle}</h2>
  ${
    view.plan
      ? html`<p class="notice">${t.planRunning(view.plan.planId)}</p>
  <table><thead><tr><th scope="col">${t.instalment}</th><th scope="col">${t.due}</th><th scope="col">${t.paid}</th>
  </tr></thead><tbody>
  ${view.plan.instalments.map(instalmentRow)}
  </tbody></table>`
      : view.offers.length === 0
        ? html`<p>${t.planNone}</p>`
        : view.offers.map(
            (offer) => html`
  <form method="post" action="${base}/plan">
    ${hidden(locale)}
    <input type="hidden" name="planId" value="${offer.planId}">
    <fieldset><legend>${t.planChoose}</legend>
    ${offer.terms.map(termChoice)}
    </fieldset>
    <div><input type="checkbox" id="autopay" name="autopay" value="true">
      <label for="autopay" style="display:inline;font-weight:normal">${t.autopay}</label></div>
    <button type="submit">${t.planAccept}</button>
  </form>`,
          )
  }
</section>
<section aria-labelledby="why-title">
  <h2 id="why-title">${t.whyTitle}</h2>
  ${view.reason ? html`<p class="notice">${t.whyNow(reasons[view.reason])}</p>` : ''}
  <form method="post" action="${base}/reason">
    ${hidden(locale)}
    <fieldset><legend>${t.whyTitle}</legend>
    ${DELINQUENCY_REASONS.map(reasonChoice)}
    </fieldset>
    <label for="why-note">${t.whyNote}</label>
    <textarea id="why-note" name="note" maxlength="500"></textarea>
    <button type="submit">${t.whySave}</button>
  </form>
</section>
<section aria-labelledby="dispute-title">
  <h2 id="dispute-title">${t.disputeTitle}</h2>
  ${
    view.disputeOpen
      ? html`<p class="notice">${t.disputeOpen}</p>`
      : html`
  <form method="post" action="${base}/dispute">
    ${hidden(locale)}
    <label for="dispute-reason">${t.reason}</label>
    <textarea id="dispute-reason" name="reason" required maxlength="500"></textarea>
    <button type="submit">${t.dispute}</button>
  </form>`
  }
</section>`
    : ''
}
${
  view.status === 'open'
    ? html`<section aria-labelledby="channels-title">
  <h2 id="channels-title">${t.channelsTitle}</h2>
  ${view.ceased ? html`<p class="notice">${t.ceased}</p>` : ''}
  <ul>
  ${CHANNELS.map(channelLine)}
  </ul>
  ${
    contactable
      ? html`<form method="post" action="${base}/cease">${hidden(locale)}<button type="submit" class="secondary"
    >${t.cease}</button></form>`
      : ''
  }
</section>`
    : ''
}`;
  return page(locale, t.title, body);
};
