// The collector's desk (`/desk`): sign in, the queue, claim, the call screen (customer's local time, the
// figures, the person's accounts to work on, the disclosure and script to read, outcome buttons, promise and plan
// forms within the pack's limits) and the account's timeline. Server-rendered shell, its script from browser/desk.ts,
// en-US and zh-CN.
import { html, raw } from 'hono/html';
import type { Locale } from '../../domain/money';
import { DELINQUENCY_REASONS } from '../../domain/inbound-events';
import { COLLECTOR_REASON_WORDS } from './reason-words';
import { deskScript } from './desk-script';
import { DESK_TEXT, type DeskConfig, type DeskSignIn } from './desk-text';
import { page } from './layout';

/** `nonce`: the one the response's Content-Security-Policy lets the desk's script run under. */
export const deskPage = (locale: Locale, signIn: DeskSignIn, nonce: string) => {
  const t = DESK_TEXT[locale];
  const other: Locale = locale === 'en-US' ? 'zh-CN' : 'en-US';
  // Closing tags in the JSON would end the script element early: escape '<'.
  const config = JSON.stringify({ locale, text: t, signIn } satisfies DeskConfig).replace(/</g, '\\u003c');
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
  <h3 id="accounts-title">${t.accounts}</h3>
  <table id="call-accounts" aria-labelledby="accounts-title">
    <thead><tr>
      <th scope="col">${t.account}</th><th scope="col">${t.amount}</th><th scope="col">${t.dpd}</th>
      <th scope="col">${t.standing}</th><th scope="col"><span class="muted">${t.workOn}</span></th>
    </tr></thead>
    <tbody id="call-accounts-rows"></tbody>
  </table>
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
  return page(locale, t.title, body, { code: deskScript(), nonce });
};
