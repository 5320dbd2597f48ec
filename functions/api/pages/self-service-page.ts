// The customer's self-service page (`/c/{token}`): what is owed and why, and the actions, as plain HTML forms
// that work without JavaScript. In the account's locale, with a switch. The person's other open accounts follow the
// link's own, each with its figures, pay link and actions, whose forms name the account (docs/contract.md §11.1).
import { DELINQUENCY_REASONS, type DelinquencyReason } from '../../domain/inbound-events';
import { CUSTOMER_REASON_WORDS } from './reason-words';
import { html, raw } from 'hono/html';
import { CHANNEL_REGISTRY, CHANNELS, type Channel } from '../../domain/channels';
import { formatMoney, formatRateBps, type Locale } from '../../domain/money';
import type { CustomerView } from '../customer-view';
import { page } from './layout';
import { SELF_SERVICE_TEXT } from './self-service-text';

export interface SelfServiceState {
  view: CustomerView;
  /** The person's other open accounts (docs/contract.md §11.1), after the link's own. */
  others?: readonly CustomerView[];
  token: string;
  locale: Locale;
  done?: string;
  error?: string;
}

/** Where one account's part of the page sits: the ids' prefix, its headings' level, and what its forms carry. */
interface Part {
  view: CustomerView;
  base: string;
  locale: Locale;
  /** Prefixes every id of the part, so each account's forms have their own labels ('' for the link's account). */
  id: string;
  /** The level of the part's headings: 2 for the link's account, 3 under another account's own heading. */
  level: 2 | 3;
  /** The account's id as a hidden field of each form, for an account other than the link's. */
  naming: boolean;
}

const heading = (level: 2 | 3, id: string, text: unknown) => html`<h${raw(level)} id="${id}">${text}</h${raw(level)}>`;

/** One account's sections: figures and pay link, promise, settlement, plan, reason, dispute, channels. */
const accountPart = ({ view, base, locale, id, level, naming }: Part) => {
  const t = SELF_SERVICE_TEXT[locale];
  const money = (amount: number) => formatMoney({ amount, currency: view.currency }, locale);
  const hidden = html`<input type="hidden" name="lang" value="${locale}">${
    naming ? html`<input type="hidden" name="accountId" value="${view.accountId}">` : ''
  }`;
  // A statement coming due is not a collection: only the figures and the customer's choices of contact.
  const open = view.status === 'open' && !view.statement;
  const latest = view.promiseDates.latest;
  const contactable = view.status === 'open' && !view.ceased;
  const suggestedDate = latest && view.payBy > latest ? latest : view.payBy;
  const dateLimits = html`min="${view.promiseDates.earliest}"${latest ? html` max="${latest}"` : ''}`;
  const termChoice = (term: { instalments: number; monthlyAmount: number }, i: number) =>
    html`<div><input type="radio" id="${id}term-${term.instalments}" name="instalments" value="${term.instalments}"
      ${i === 0 ? 'checked' : ''}>
      <label for="${id}term-${term.instalments}" style="display:inline;font-weight:normal"
        >${t.planTerm(term.instalments, money(term.monthlyAmount))}</label></div>`;
  const instalmentRow = (i: { amount: number; dueDate: string; paid: number }, n: number) =>
    html`<tr><td>${n + 1}: ${money(i.amount)}</td><td>${i.dueDate}</td><td>${money(i.paid)}</td></tr>`;
  const optOutForm = (channel: Channel) =>
    html`<form method="post" action="${base}/opt-out" style="display:inline">${hidden}<input
      type="hidden" name="channel" value="${channel}"><button type="submit" class="secondary"
      >${CHANNEL_REGISTRY[channel].words[locale].stop}</button></form>`;
  const reasons = CUSTOMER_REASON_WORDS[locale];
  const reasonChoice = (reason: DelinquencyReason, i: number) =>
    html`<div><input type="radio" id="${id}why-${reason}" name="reason" value="${reason}" ${i === 0 ? 'required' : ''}>
      <label for="${id}why-${reason}" style="display:inline;font-weight:normal">${reasons[reason]}</label></div>`;
  const channelStatus = (channel: Channel) => (view.channels[channel] === 'opted-out' ? t.stopped : t.allowed);
  const channelLine = (channel: Channel) =>
    html`<li>${CHANNEL_REGISTRY[channel].words[locale].name}: ${channelStatus(channel)}
      ${contactable && view.channels[channel] === 'allowed' ? optOutForm(channel) : ''}</li>`;
  const settlementSection = (offer: NonNullable<CustomerView['settlement']>) =>
    html`<section aria-labelledby="${id}settlement-title">
  ${heading(level, `${id}settlement-title`, t.settlementTitle)}
  ${
    view.settlementAccepted
      ? html`<p class="notice">${t.settlementAccepted(money(offer.amount), offer.validUntil)}</p>`
      : html`<p>${t.settlementOffer(money(offer.amount), money(view.balance), offer.validUntil)}</p>
  <form method="post" action="${base}/settlement">
    ${hidden}<input type="hidden" name="settlementId" value="${offer.settlementId}">
    <button type="submit">${t.settlementAccept}</button>
  </form>`
  }
</section>`;
  return html`
${view.agency ? html`<p class="notice">${t.agency(view.agency)}</p>` : ''}
${
  view.statement
    ? ''
    : html`<section aria-labelledby="${id}owed">
  ${heading(level, `${id}owed`, t.overdue(money(view.amountDue)))}
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
<section aria-labelledby="${id}promise-title">
  ${heading(level, `${id}promise-title`, t.promiseTitle)}
  ${view.promise ? html`<p class="notice">${t.promiseNow(money(view.promise.amount), view.promise.dueDate)}</p>` : ''}
  <form method="post" action="${base}/promise">
    ${hidden}
    <label for="${id}promise-amount">${t.amount(view.currency)}</label>
    <input id="${id}promise-amount" name="amount" type="text" inputmode="decimal" required autocomplete="off"
      value="${money(view.amountDue).split(' ')[0]}">
    <label for="${id}promise-date">${t.date}</label>
    <input id="${id}promise-date" name="dueDate" type="date" required ${dateLimits} value="${suggestedDate}">
    <div><button type="submit">${t.promise}</button></div>
  </form>
</section>
${view.settlement ? settlementSection(view.settlement) : ''}
<section aria-labelledby="${id}plan-title">
  ${heading(level, `${id}plan-title`, t.planTitle)}
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
    ${hidden}
    <input type="hidden" name="planId" value="${offer.planId}">
    <fieldset><legend>${t.planChoose}</legend>
    ${offer.terms.map(termChoice)}
    </fieldset>
    <div><input type="checkbox" id="${id}autopay" name="autopay" value="true">
      <label for="${id}autopay" style="display:inline;font-weight:normal">${t.autopay}</label></div>
    <button type="submit">${t.planAccept}</button>
  </form>`,
          )
  }
</section>
<section aria-labelledby="${id}why-title">
  ${heading(level, `${id}why-title`, t.whyTitle)}
  ${view.reason ? html`<p class="notice">${t.whyNow(reasons[view.reason])}</p>` : ''}
  <form method="post" action="${base}/reason">
    ${hidden}
    <fieldset><legend>${t.whyTitle}</legend>
    ${DELINQUENCY_REASONS.map(reasonChoice)}
    </fieldset>
    <label for="${id}why-note">${t.whyNote}</label>
    <textarea id="${id}why-note" name="note" maxlength="500"></textarea>
    <button type="submit">${t.whySave}</button>
  </form>
</section>
<section aria-labelledby="${id}dispute-title">
  ${heading(level, `${id}dispute-title`, t.disputeTitle)}
  ${
    view.disputeOpen
      ? html`<p class="notice">${t.disputeOpen}</p>`
      : html`
  <form method="post" action="${base}/dispute">
    ${hidden}
    <label for="${id}dispute-reason">${t.reason}</label>
    <textarea id="${id}dispute-reason" name="reason" required maxlength="500"></textarea>
    <button type="submit">${t.dispute}</button>
  </form>`
  }
</section>`
    : ''
}
${
  view.status === 'open'
    ? html`<section aria-labelledby="${id}channels-title">
  ${heading(level, `${id}channels-title`, t.channelsTitle)}
  ${view.ceased ? html`<p class="notice">${t.ceased}</p>` : ''}
  <ul>
  ${CHANNELS.map(channelLine)}
  </ul>
  ${
    contactable
      ? html`<form method="post" action="${base}/cease">${hidden}<button type="submit" class="secondary"
    >${t.cease}</button></form>`
      : ''
  }
</section>`
    : ''
}`;
};

export const selfServicePage = ({ view, others = [], token, locale, done, error }: SelfServiceState) => {
  const t = SELF_SERVICE_TEXT[locale];
  const money = (amount: number) => formatMoney({ amount, currency: view.currency }, locale);
  // `done` comes from the query string: only the texts' own keys name a notice (`constructor` names none).
  const doneText = done !== undefined && Object.hasOwn(t.done, done) ? t.done[done] : undefined;
  const other: Locale = locale === 'en-US' ? 'zh-CN' : 'en-US';
  const base = `/c/${token}`;
  const statusNotice = view.statement
    ? html`<p class="notice">${t.statement(money(view.statement.minimumDue), view.statement.dueDate)}</p>`
    : view.status === 'open'
      ? ''
      : html`<p class="notice">${t.closed(view.closeReason ?? 'closed')}</p>`;
  const otherPart = (account: CustomerView, n: number) =>
    html`<section class="account" aria-labelledby="account-${n + 1}-title">
  <h2 id="account-${n + 1}-title">${t.otherAccount(account.accountId)}</h2>
  ${accountPart({ view: account, base, locale, id: `account-${n + 1}-`, level: 3, naming: true })}
</section>`;
  const body = html`
<header class="top">
  <h1>${t.title}</h1>
  <a href="${base}?lang=${other}" lang="${other}" hreflang="${other}">${t.switchTo}</a>
</header>
${doneText ? html`<p class="notice" role="status">${doneText}</p>` : ''}
${error ? html`<div class="error" role="alert"><p>${t.error} ${error}</p></div>` : ''}
${statusNotice}
${accountPart({ view, base, locale, id: '', level: 2, naming: false })}
${others.length ? html`<p>${t.otherAccounts}</p>${others.map(otherPart)}` : ''}`;
  return page(locale, t.title, body);
};
