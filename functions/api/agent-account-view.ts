// What a collector reads of an account (docs/contract.md §7, §10.7): its figures, offers, promise, plan and the pack's
// limits with no contact points, and its timeline with the customer's links shortened.
import { isHardship, openOffer, type AccountState } from '../domain/account';
import { promiseDates } from '../domain/apply-event';
import { promiseAmounts } from '../domain/apply-negotiation';
import { newOffer } from '../domain/contact-attempt';
import { daysPastDue } from '../domain/days-past-due';
import type { Playbook } from '../domain/next-step';
import { segmentOf } from '../domain/segment';
import { discountedAmount, lowestSettlement } from '../domain/settlement';
import { DESK_KINDS, toTimeline } from '../domain/timeline';
import { localDate } from '../domain/zoned-time';
import type { ApiDeps } from './deps';

/** Self-service links in recorded messages are the customer's credentials: collectors see them shortened. */
export const redactLinks = (text: string): string => text.replace(/\/c\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+/g, '/c/…');

/** The account as a collector sees it: figures, offers, promise and plan, the pack's limits; no contact points. */
export const agentAccountView = (state: AccountState, now: Date, { pack }: Playbook) => {
  const onOffer = openOffer(state);
  return {
    accountId: state.accountId,
    cycleId: state.cycleId,
    status: state.status,
    closeReason: state.closeReason,
    locale: state.locale,
    timezone: state.timezone,
    dpd: state.status === 'open' ? daysPastDue(state.dueDate, now, state.timezone) : 0,
    bucket: state.bucket,
    amountDue: state.amountDue,
    balance: state.balance,
    currency: state.currency,
    penaltyAprBps: state.aprBps,
    segment: segmentOf(state).segment,
    // Why the customer is late, if they said (docs/contract.md §10.6); a hardship case asks for a gentler plan.
    reason: state.reason?.reason ?? null,
    hardship: isHardship(state),
    escalationLevel: state.escalationLevel,
    promise: state.promise,
    plan: state.plan && { planId: state.plan.planId, total: state.plan.total, instalments: state.plan.instalments },
    offers: onOffer ? [{ planId: onOffer.planId, terms: onOffer.terms }] : [],
    /**
     * The terms a plan agreed on the call may take: those on offer, or else those the pack lets the collector offer
     * now.
     */
    planTerms: state.plan ? [] : (onOffer ?? newOffer(state, now, { pack })).terms,
    channels: { optedOut: state.optOuts, ceased: state.ceased, disputeOpen: state.openDisputes.length > 0 },
    customerToday: localDate(now, state.timezone),
    settlement: state.settlement
      ? {
          settlementId: state.settlement.settlementId,
          amount: state.settlement.amount,
          validUntil: state.settlement.validUntil,
          accepted: Boolean(state.settlement.acceptedAt),
          paidSince: state.settlement.paidSince,
        }
      : null,
    limits: {
      /** The lowest lump sum a collector may agree alone, and the lowest a supervisor may (docs/contract.md §3.16). */
      collectorMinSettlement: discountedAmount(state.balance, pack.settlement.collectorMaxDiscountBps),
      supervisorMinSettlement: lowestSettlement(state.balance, pack),
      maxInstalments: pack.maxPlanInstalments,
      /** A promise's amount: the pack's least share of the overdue amount up to the balance (docs/contract.md §3.6). */
      minPromiseAmount: promiseAmounts(state, pack).least,
      maxPromiseAmount: promiseAmounts(state, pack).most,
      latestPromiseDate: promiseDates(state, now, pack).latest,
    },
  };
};

/**
 * The account's timeline for the desk. Why the customer is late (illness, bereavement) is theirs to tell the
 * collector working the account: without access (`withReasons` false) a reason entry keeps its date, not its words.
 */
export const timelineFor = async (deps: ApiDeps, state: AccountState, withReasons: boolean) =>
  toTimeline(await deps.accounts.record(state.accountId, state.cycleId), DESK_KINDS).map((entry) => {
    if (entry.kind === 'reason' && !withReasons) {
      const { reason: _reason, ...rest } = entry;
      return rest;
    }
    return typeof entry.text === 'string' ? { ...entry, text: redactLinks(entry.text) } : entry;
  });
