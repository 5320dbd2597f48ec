// The runner's own check of docs/contract.md §3.15–3.18 over an account's record: hardship answered with a plan and a
// hold on the ladder, settlements closed when and only when paid, no instalment reminder while the bank debits it, the
// pay link in every email and SMS. Like compliance-check.ts, it re-reads the record and trusts nothing the workflow
// decided.
import { isMessage } from '../../../functions/domain/channels';
import { HARDSHIP_REASONS, type DelinquencyReason } from '../../../functions/domain/inbound-events';
import type { PolicyPack } from '../../../functions/domain/policy-packs';
import type { RecordEntry } from '../../../functions/domain/record';
import { localDate } from '../../../functions/domain/zoned-time';
import type { AccountRun, Violation } from './violation';

const DAY = 86_400_000;
const time = (entry: { at: string }) => Date.parse(entry.at);
type Of<K extends RecordEntry['kind']> = Extract<RecordEntry, { kind: K }>;
const ofKind = <K extends RecordEntry['kind']>(record: readonly RecordEntry[], kind: K): Of<K>[] =>
  record.filter((e): e is Of<K> => e.kind === kind);

/** The fixed part of a pay link: the template up to its first placeholder. */
const payLinkStem = (payUrl: string): string =>
  payUrl.slice(0, payUrl.indexOf('{') < 0 ? undefined : payUrl.indexOf('{'));

export const checkNegotiation = ({ state, record }: AccountRun, pack: PolicyPack, until: Date): Violation[] => {
  const violations: Violation[] = [];
  const flag = (rule: string, at: string, detail: string) =>
    violations.push({ accountId: state.accountId, rule, at, detail });
  const contacts = ofKind(record, 'contact');
  const offers = ofKind(record, 'plan-offered');
  const accepted = ofKind(record, 'plan-accepted');

  // §3.18 every message (an email, an SMS) carries the pay link where the deployment has one.
  if (pack.payUrl) {
    const stem = payLinkStem(pack.payUrl);
    for (const c of contacts)
      if (isMessage(c.channel) && !c.text.includes(stem)) flag('pay-link', c.at, `${c.channel} without the pay link`);
  }

  // §3.15 a hardship reason: a plan with the longest term within a day where we reached out at all, and no rung above
  // senior-collector while that plan is owed or on offer.
  const reasons = ofKind(record, 'reason');
  const isHardship = (e: Of<'reason'>) => HARDSHIP_REASONS.has(e.reason as DelinquencyReason);
  for (const reason of reasons.filter(isHardship)) {
    const dayEnd = time(reason) + DAY;
    const superseded = reasons.find((r) => time(r) > time(reason) && time(r) < dayEnd);
    const offer = offers.find((o) => time(o) >= time(reason) && time(o) <= dayEnd);
    const reached = contacts.some((c) => time(c) > time(reason) && time(c) <= dayEnd);
    const planRuns = accepted.some((a) => time(a) <= dayEnd && time(a) >= time(reason));
    if (!offer && reached && !superseded && !planRuns && dayEnd < until.getTime())
      flag('hardship-plan-within-1-day', reason.at, `contacted after a ${reason.reason} reason but offered no plan`);
    if (offer && !offer.terms.some((t) => t.instalments === pack.maxPlanInstalments))
      flag('hardship-plan-terms', offer.at, `no ${pack.maxPlanInstalments}-instalment term for a hardship case`);
  }
  for (const escalation of ofKind(record, 'escalated').filter((e) => e.to !== 'senior-collector')) {
    // The reason recorded before the escalation, in the record's order: one given in the same second but applied
    // after it could not have held it (found by npm run fuzz: hardship-reason-after-escalation-same-second).
    const reason = reasons.filter((r) => record.indexOf(r) < record.indexOf(escalation)).at(-1);
    if (!reason || !isHardship(reason)) continue;
    const offer = offers.find((o) => time(o) >= time(reason) && time(o) <= time(escalation));
    const taken = offer && accepted.some((a) => time(a) >= time(offer) && time(a) <= time(escalation));
    const owed = !offer && time(escalation) < time(reason) + DAY;
    if (owed || (offer && !taken))
      flag('hardship-escalation-hold', escalation.at, `escalated to ${escalation.to} while a hardship plan was owed`);
  }

  // §3.16, §11.2.20 a cycle closes as settled only when payments since the offer reached the settlement's sum,
  // accepted or not; the rest is written off.
  const closed = ofKind(record, 'closed')[0];
  const settlementOffers = ofKind(record, 'settlement-offered');
  /** Payments posted since `offer`, by its last day, applied before the settlement ended (replaced, lapsed, closed). */
  const paidToward = (offer: Of<'settlement-offered'>) => {
    const from = record.indexOf(offer);
    const ending = record.findIndex(
      (e, i) =>
        i > from &&
        ((e.kind === 'settlement-offered' && e.settlementId !== offer.settlementId) ||
          e.kind === 'plan-accepted' ||
          (e.kind === 'settlement-lapsed' && e.settlementId === offer.settlementId) ||
          e.kind === 'closed'),
    );
    const end = ending < 0 ? record.length : ending;
    const counted = record
      .slice(from, end)
      .filter((e): e is Of<'payment'> => e.kind === 'payment')
      .filter((p) => time(p) >= time(offer) && localDate(new Date(p.at), state.timezone) <= offer.validUntil);
    // A payment the bank reversed before then counts no more (§3.21).
    const reversed = ofKind(record.slice(from, end), 'payment-reversed').filter((r) =>
      counted.some((p) => p.paymentId === r.paymentId),
    );
    const paid = counted.reduce((sum, p) => sum + p.amount, 0) - reversed.reduce((sum, r) => sum + r.amount, 0);
    return { paid, ended: ending < 0 ? undefined : record[ending] };
  };
  if (closed?.reason === 'settled') {
    const offered = settlementOffers.filter((o) => record.indexOf(o) < record.indexOf(closed)).at(-1);
    const paid = offered ? paidToward(offered).paid : 0;
    if (!offered || paid < offered.amount)
      flag('settled-unpaid', closed.at, `closed as settled with ${paid} paid toward the settlement offered`);
    if (!record.some((e) => e.kind === 'written-off') && state.collected < (offered?.amount ?? 0))
      flag('settled-no-write-off', closed.at, 'settled without BalanceWrittenOff');
  }
  // The other way round: a sum reached while the offer was valid settles the debt, so the cycle may not then close
  // otherwise (cured, with the rest left on the card) nor the settlement lapse (found: a pay link paid unaccepted).
  for (const offer of settlementOffers) {
    const { paid, ended } = paidToward(offer);
    if (paid < offer.amount || !ended) continue;
    const settledBy = ended.kind === 'closed' && (ended.reason === 'settled' || ended.reason === 'paid-in-full');
    if (!settledBy && ended.kind !== 'settlement-offered' && ended.kind !== 'plan-accepted')
      flag(
        'settlement-reached-not-settled',
        ended.at,
        `${paid} paid toward settlement ${offer.settlementId} of ${offer.amount}, then ${ended.kind}` +
          (ended.kind === 'closed' ? ` as ${ended.reason}` : ''),
      );
  }

  // §3.17 no instalment reminder for an instalment the bank is debiting (a failed retry leaves it to the customer).
  const autopay = accepted.filter((a) => a.autopay);
  for (const c of contacts.filter((k) => k.template === 'instalment-due')) {
    const plan = autopay.filter((a) => time(a) <= time(c)).at(-1);
    if (!plan) continue;
    const broken = ofKind(record, 'plan-broken').some((b) => b.planId === plan.planId && time(b) <= time(c));
    const retryFailed = ofKind(record, 'payment-failed').some(
      (f) => f.paymentId.startsWith(`${plan.planId}-I`) && f.paymentId.endsWith('-R1') && time(f) <= time(c),
    );
    if (!broken && !retryFailed)
      flag('reminder-during-debit', c.at, `instalment reminder on autopay plan ${plan.planId}`);
  }
  return violations;
};
