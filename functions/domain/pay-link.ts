// Pay now (docs/contract.md §3.18): where the deployment names the bank's payment page (`payUrl`), every email and SMS
// and the self-service page carry a link to it with the account, the amount to pay now and a reference.
import type { AccountState } from './account';
import { nextUnpaid } from './plan-schedule';

import type { Placeholder } from './pay-url-template';

/**
 * The amount the customer is asked to pay now, minor units: what is left of an open settlement, or the next
 * instalment of a running plan, or the overdue amount.
 */
export const amountToPayNow = (state: AccountState): number => {
  const settlement = state.settlement;
  if (settlement) return Math.max(0, settlement.amount - settlement.paidSince);
  const instalment = state.plan && nextUnpaid(state.plan.instalments);
  if (instalment) return instalment.amount - instalment.paid;
  return state.amountDue;
};

/** `template` with its placeholders filled in, each encoded for a URL. */
export const payLinkFor = (template: string, values: Record<Placeholder, string>): string =>
  template.replace(/\{(accountId|amount|currency|reference)\}/g, (_, name: Placeholder) =>
    encodeURIComponent(values[name]),
  );

/** The pay link for `state` now, or undefined when the deployment has no payment page. */
export const payLinkOf = (payUrl: string | undefined, state: AccountState, reference: string): string | undefined =>
  payUrl
    ? payLinkFor(payUrl, {
        accountId: state.accountId,
        amount: String(amountToPayNow(state)),
        currency: state.currency,
        reference,
      })
    : undefined;
