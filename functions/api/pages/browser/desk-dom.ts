// The desk's DOM helpers in the browser: elements, money in a currency's own digits, and the rows of the person's
// accounts beside a call (docs/contract.md §11.1). Bundled with desk.ts.
import type { DeskConfig } from '../desk-text';
import type { PersonAccount } from './desk-api';

export const el = (tag: string, attrs: Record<string, string> = {}, ...children: (Node | string)[]) => {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs))
    if (k === 'text') node.textContent = v;
    else node.setAttribute(k, v);
  for (const child of children) node.append(child);
  return node;
};
export const money = (amount: number, currency: string, digits: number) =>
  (amount / 10 ** digits).toFixed(digits).replace(/\B(?=(\d{3})+(?!\d))/g, ',') + ' ' + currency;
export const digitsOf = (currency: string) =>
  new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits!;

/** One row per account of the person: figures, what runs on it, and a button to work on it unless it is on screen. */
export const accountRows = (
  accounts: readonly PersonAccount[],
  onScreen: string,
  t: DeskConfig['text'],
  workOn: (account: PersonAccount) => void,
): HTMLElement[] =>
  accounts.map((a) => {
    const digits = digitsOf(a.currency);
    const standing = [
      a.plan ? t.onPlan : '',
      a.promise
        ? t.promised
            .replace('{amount}', money(a.promise.amount, a.currency, digits))
            .replace('{date}', a.promise.dueDate)
        : '',
      a.settlement
        ? t.settling
            .replace('{amount}', money(a.settlement.amount, a.currency, digits))
            .replace('{date}', a.settlement.validUntil)
        : '',
    ].filter(Boolean);
    let action: Node = document.createTextNode(t.onScreen);
    if (a.accountId !== onScreen) {
      action = el('button', { type: 'button', class: 'secondary', text: t.workOn + ' ' + a.accountId });
      action.addEventListener('click', () => workOn(a));
    }
    return el(
      'tr',
      {},
      el('td', { text: a.accountId }),
      el('td', { text: money(a.amountDue, a.currency, digits) }),
      el('td', { text: String(a.dpd) + ' (' + a.bucket + ')' }),
      el('td', { text: standing.join('; ') || '—' }),
      el('td', {}, action),
    );
  });
