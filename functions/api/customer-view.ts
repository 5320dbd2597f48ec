// What a customer's self-service link shows (docs/contract.md §7): the figures of the cycle, the plans on offer,
// the promise or plan running and the channels. Ids and figures only: no name, email or phone.
import type { DelinquencyReason } from '../domain/inbound-events';
import {
  openOffer,
  type AccountState,
  type ActivePlan,
  type PlanTerm,
  type PromiseToPay,
  type Settlement,
} from '../domain/account';
import { amountToPayNow, payLinkOf } from '../domain/pay-link';
import { perChannel, type Channel } from '../domain/channels';
import { daysPastDue } from '../domain/days-past-due';
import { promiseDates } from '../domain/apply-event';
import { promiseAmounts } from '../domain/apply-negotiation';
import type { Playbook } from '../domain/next-step';
import { addDays, localDate } from '../domain/zoned-time';

export interface CustomerView {
  accountId: string;
  cycleId: string;
  status: AccountState['status'];
  closeReason: AccountState['closeReason'];
  currency: string;
  amountDue: number;
  balance: number;
  daysPastDue: number;
  penaltyAprBps: number | null;
  payBy: string;
  offers: { planId: string; terms: Pick<PlanTerm, 'instalments' | 'monthlyAmount'>[] }[];
  promise: Pick<PromiseToPay, 'promiseId' | 'amount' | 'dueDate' | 'paidSince'> | null;
  plan: Pick<ActivePlan, 'planId' | 'total' | 'instalments'> | null;
  channels: Record<Channel, 'allowed' | 'opted-out'>;
  ceased: boolean;
  disputeOpen: boolean;
  /** The agency the account is placed with (our own contact has stopped), if any. */
  agency: string | null;
  /** A statement coming due (AccountDueSoon), not a collection: its minimum due and due date. */
  statement: { statementId: string; minimumDue: number; dueDate: string } | null;
  /** Plan lengths the pack allows, for the forms. */
  maxInstalments: number;
  /** The days a promise may fall on, in the customer's zone (`latest` null while a plan runs). */
  promiseDates: { earliest: string; latest: string | null };
  /** What a promise may be for, minor units: the pack's least share of the overdue amount up to the balance. */
  promiseAmounts: { least: number; most: number };
  locale: AccountState['locale'];
  /** The latest reason the customer gave for being late (docs/contract.md §10.6), or null. */
  reason: DelinquencyReason | null;
  /**
   * The bank's payment page for the amount to pay now (docs/contract.md §3.18), or null where the deployment has none.
   */
  payUrl: string | null;
  /** The amount the pay link asks for, minor units. */
  payNow: number;
  /** The settlement on offer or accepted (docs/contract.md §3.16), or null. */
  settlement: Pick<Settlement, 'settlementId' | 'amount' | 'validUntil'> | null;
  /** Whether the customer has accepted that settlement. */
  settlementAccepted: boolean;
}

/** The plan on offer, as the page shows it (instalments and monthly amounts), while the cycle is open. */
const offersOnPage = (state: AccountState): CustomerView['offers'] => {
  const offer = state.status === 'open' ? openOffer(state) : null;
  return offer
    ? [
        {
          planId: offer.planId,
          terms: offer.terms.map(({ instalments, monthlyAmount }) => ({ instalments, monthlyAmount })),
        },
      ]
    : [];
};

/** `reference`: the pay reference of the link the customer came by (docs/contract.md §3.18). */
export const customerView = (
  state: AccountState,
  now: Date,
  { pack, strategy }: Playbook,
  reference = '',
): CustomerView => ({
  accountId: state.accountId,
  cycleId: state.cycleId,
  status: state.status,
  closeReason: state.closeReason,
  currency: state.currency,
  amountDue: state.amountDue,
  balance: state.balance,
  daysPastDue: state.status === 'open' ? daysPastDue(state.dueDate, now, state.timezone) : 0,
  penaltyAprBps: state.aprBps,
  payBy: addDays(localDate(now, state.timezone), strategy.payWithinDays),
  // An offer stands until it is taken; a plan broken later does not bring it back.
  offers: offersOnPage(state),
  promise: state.promise && {
    promiseId: state.promise.promiseId,
    amount: state.promise.amount,
    dueDate: state.promise.dueDate,
    paidSince: state.promise.paidSince,
  },
  plan: state.plan && { planId: state.plan.planId, total: state.plan.total, instalments: state.plan.instalments },
  channels: perChannel((c): 'allowed' | 'opted-out' => (state.optOuts.includes(c) ? 'opted-out' : 'allowed')),
  ceased: state.ceased,
  disputeOpen: state.openDisputes.length > 0,
  agency: state.placement?.agency ?? null,
  reason: state.reason?.reason ?? null,
  payUrl:
    state.status === 'open' && amountToPayNow(state) > 0 ? (payLinkOf(pack.payUrl, state, reference) ?? null) : null,
  payNow: state.status === 'open' ? amountToPayNow(state) : 0,
  settlement: state.settlement
    ? {
        settlementId: state.settlement.settlementId,
        amount: state.settlement.amount,
        validUntil: state.settlement.validUntil,
      }
    : null,
  settlementAccepted: Boolean(state.settlement?.acceptedAt),
  statement: state.courtesy
    ? { statementId: state.courtesy.statementId, minimumDue: state.amountDue, dueDate: state.dueDate }
    : null,
  maxInstalments: pack.maxPlanInstalments,
  promiseDates: promiseDates(state, now, pack),
  promiseAmounts: promiseAmounts(state, pack),
  locale: state.locale,
});
