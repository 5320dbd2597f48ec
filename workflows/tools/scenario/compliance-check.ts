// The runner's own check of docs/contract.md §3 over each account's full record: it trusts nothing the
// workflow decided and re-reads what was sent, when, and to whom. Each breach is a violation.
import type { AccountRun, Violation } from './violation';
import { daysPastDue } from '../../../functions/domain/days-past-due';
import type { PolicyPack } from '../../../functions/domain/policy-packs';
import type { RecordEntry } from '../../../functions/domain/record';
import { addDays, instantAt, localParts } from '../../../functions/domain/zoned-time';

import { checkLedger } from './ledger-check';
import { checkNegotiation } from './negotiation-check';
import { checkReversals } from './reversal-check';

export { checkNoPii, PiiScanner } from './pii-check';

const DAY = 86_400_000;
type Contact = Extract<RecordEntry, { kind: 'contact' }>;
/**
 * Entries of one virtual instant are not ordered by time: a reminder sent in the instant a payment closes the cycle
 * is not "after" it. Rules about what comes after an event compare strictly; the record's own order, where it is
 * causal (audit entries by version), is walked where it matters (letters below).
 */
const time = (entry: { at: string }) => Date.parse(entry.at);
const isContact = (e: RecordEntry): e is Contact => e.kind === 'contact';

/** Windows [from, to) during which a condition held, built from opening and closing entries. */
const windows = (
  record: readonly RecordEntry[],
  opens: (e: RecordEntry) => string | null,
  closes: (e: RecordEntry) => string | null,
) => {
  const open = new Map<string, number>();
  const spans: [number, number][] = [];
  for (const e of record) {
    const o = opens(e);
    if (o !== null && !open.has(o)) open.set(o, time(e));
    const c = closes(e);
    if (c !== null && open.has(c)) {
      spans.push([open.get(c)!, time(e)]);
      open.delete(c);
    }
  }
  for (const from of open.values()) spans.push([from, Infinity]);
  return spans;
};
const inside = (t: number, spans: [number, number][]) => spans.some(([from, to]) => t > from && t < to);

export const checkAccount = ({ state, record }: AccountRun, pack: PolicyPack, until: Date): Violation[] => {
  // §3.15–3.18 (reasons, settlements, autopay, the pay link) and §3.19–3.21 (the ledger, reversals) are checked apart.
  const violations: Violation[] = [
    ...checkNegotiation({ state, record }, pack, until),
    ...checkLedger({ state, record }),
    ...checkReversals({ state, record }, until),
  ];
  const flag = (rule: string, at: string, detail: string) =>
    violations.push({ accountId: state.accountId, rule, at, detail });
  const contacts = record.filter(isContact);
  const started = record.find((e) => e.kind === 'started');
  const closed = record.find((e) => e.kind === 'closed');
  const zone = state.timezone;

  // §3.4 contact hours, call cap, quiet after a conversation.
  const conversations = record
    .filter((e) => (e.kind === 'call-outcome' && e.outcome === 'right-party') || e.kind === 'inbound-call')
    .map(time);
  for (const c of contacts) {
    const { hour } = localParts(new Date(c.at), zone);
    if (hour < pack.contactHours.fromHour || hour >= pack.contactHours.untilHour)
      flag('contact-hours', c.at, `${c.channel} at ${hour}:xx local (${zone})`);
    if (c.channel !== 'call') continue;
    if (pack.callCap) {
      const recent = contacts.filter(
        (k) => k.channel === 'call' && time(k) <= time(c) && time(c) - time(k) < pack.callCap!.windowDays * DAY,
      );
      if (recent.length > pack.callCap.attempts)
        flag('call-cap', c.at, `${recent.length} calls within ${pack.callCap.windowDays} days`);
    }
    // The call that was the conversation is recorded at the conversation's own moment: only later calls count.
    if (
      pack.callQuietAfterConversationDays !== null &&
      conversations.some((t) => time(c) > t && time(c) - t < pack.callQuietAfterConversationDays! * DAY)
    ) {
      flag(
        'call-after-conversation',
        c.at,
        `call within ${pack.callQuietAfterConversationDays} days after a conversation`,
      );
    }
  }

  // The pack's regional overlay (e.g. US-MA: calls and texts together, 2 in 7 days).
  const overlayCap = state.region ? pack.overlays[state.region]?.frequencyCap : undefined;
  if (overlayCap) {
    const capped = contacts.filter((k) => overlayCap.channels.includes(k.channel));
    for (const c of capped) {
      const recent = capped.filter((k) => time(k) <= time(c) && time(c) - time(k) < overlayCap.windowDays * DAY);
      if (recent.length > overlayCap.attempts)
        flag(
          `${state.region}/${overlayCap.rule}`,
          c.at,
          `${recent.length} ${overlayCap.channels.join('/')} contacts within ${overlayCap.windowDays} days`,
        );
    }
  }

  // §3.5 opt-outs, cease, disputes; §3.3 nothing after close.
  const optOuts = new Map(record.filter((e) => e.kind === 'opt-out').map((e) => [e.channel, time(e)]));
  const ceasedAt = record.find((e) => e.kind === 'cease');
  const disputes = windows(
    record,
    (e) => (e.kind === 'dispute-opened' ? e.disputeId : null),
    (e) => (e.kind === 'dispute-resolved' ? e.disputeId : null),
  );
  const placements = windows(
    record,
    (e) => (e.kind === 'placed' ? 'agency' : null),
    (e) => (e.kind === 'recalled' ? 'agency' : null),
  );
  for (const c of contacts) {
    const optedOut = optOuts.get(c.channel);
    if (optedOut !== undefined && time(c) > optedOut) flag('opt-out', c.at, `${c.channel} after opting out`);
    if (ceasedAt && time(c) > time(ceasedAt)) flag('cease', c.at, `${c.channel} after cease-communication`);
    if (inside(time(c), disputes)) flag('dispute-hold', c.at, `${c.channel} while a dispute is open`);
    if (inside(time(c), placements))
      flag('placed-with-agency', c.at, `${c.channel} while the account was with an agency (§3.14)`);
    if (closed && time(c) > time(closed)) flag('after-close', c.at, `${c.channel} after the cycle closed`);
  }

  // §8 letters: none while a dispute is open or an agency has the account; none after a cease unless the pack lets them
  // pass.
  // Walked in record order: a dispute applied in the same second as a letter written before it did not hold it.
  const openDisputes = new Set<string>();
  let placedNow = false;
  let ceasedNow = false;
  for (const letter of record) {
    if (letter.kind === 'dispute-opened') openDisputes.add(letter.disputeId);
    if (letter.kind === 'dispute-resolved') openDisputes.delete(letter.disputeId);
    if (letter.kind === 'cease') ceasedNow = true;
    if (letter.kind === 'placed') placedNow = true;
    if (letter.kind === 'recalled') placedNow = false;
    if (letter.kind !== 'letter') continue;
    if (openDisputes.size > 0) flag('dispute-hold', letter.at, `${letter.template} letter while a dispute is open`);
    if (placedNow)
      flag('placed-with-agency', letter.at, `${letter.template} letter while the account was with an agency`);
    if (ceasedNow && !pack.letters.afterCease)
      flag('cease', letter.at, `${letter.template} letter after cease-communication`);
  }

  // §3.2 what every reminder states (a call made outside the queue had no script of ours).
  for (const c of contacts.filter((k) => k.template !== 'call-outside-queue')) {
    const missing = [
      // In the currency's own minor digits: 120.00 USD, 12,000 JPY, 12.345 KWD.
      /\d[\d,]*(\.\d{1,3})? [A-Z]{3}\b/.test(c.text) ? null : 'amount',
      (c.locale === 'zh-CN' ? /逾期\d+天/ : /\b\d+ days past due/).test(c.text) ? null : 'days past due',
      /\d{4}-\d{2}-\d{2}/.test(c.text) ? null : 'pay-by date',
      state.aprBps === null || /\d+\.\d{2}%/.test(c.text) ? null : 'penalty rate',
      c.locale !== 'zh-CN' || /[\u4e00-\u9fff]/.test(c.text) ? null : 'Chinese text',
    ].filter(Boolean);
    if (c.locale !== state.locale) flag('reminder-locale', c.at, `sent in ${c.locale}, customer reads ${state.locale}`);
    if (missing.length) flag('reminder-content', c.at, `${c.template} lacks ${missing.join(', ')}`);
  }

  // §3.6 a promise pauses reminders until its due date + 1 day, unless kept sooner.
  for (const made of record.filter((e) => e.kind === 'ptp-made')) {
    const settled = record.find(
      (e) =>
        (e.kind === 'ptp-kept' || e.kind === 'ptp-broken') && e.promiseId === made.promiseId && time(e) >= time(made),
    );
    const pauseEnd = Math.min(
      instantAt(addDays(made.dueDate, 1), 0, 0, zone).getTime(),
      settled ? time(settled) : Infinity,
    );
    for (const c of contacts) {
      // A call outside the queue is no reminder of ours: it may be the customer calling in (§3.12).
      const reminder = c.template !== 'plan-offer' && c.template !== 'call-outside-queue';
      if (time(c) > time(made) && time(c) < pauseEnd && reminder)
        flag('promise-pause', c.at, `${c.template} during promise ${made.promiseId}`);
    }
    const deadline = instantAt(addDays(made.dueDate, 1), 0, 0, zone).getTime();
    // A plan the customer takes before the promise falls due replaces it: the plan is what is kept or broken then.
    const replaced = record.some((e) => e.kind === 'plan-accepted' && time(e) >= time(made) && time(e) <= deadline);
    if (!settled && !replaced && deadline + DAY < until.getTime() && !(closed && time(closed) <= deadline + DAY))
      flag('promise-unsettled', made.at, `promise ${made.promiseId} neither kept nor broken by its deadline`);
  }

  // §3.8 escalation only rises; charge-off at 180 DPD after at least one escalation.
  const escalations = record.filter((e) => e.kind === 'escalated');
  escalations.forEach((e, i) => {
    if (i > 0 && e.level <= escalations[i - 1]!.level)
      flag('escalation-order', e.at, `level ${e.level} after ${escalations[i - 1]!.level}`);
  });
  if (closed?.reason === 'charged-off') {
    const dpd = daysPastDue(state.dueDate, new Date(closed.at), zone);
    if (dpd < pack.chargeOffDpd) flag('charge-off-early', closed.at, `charged off at ${dpd} days past due`);
    if (!escalations.some((e) => time(e) <= time(closed)))
      flag('charge-off-unescalated', closed.at, 'charged off without any escalation');
  }
  const chargeOffDay = instantAt(addDays(state.dueDate, pack.chargeOffDpd), 0, 0, zone).getTime();
  if (state.status === 'open' && !state.plan && state.amountDue > 0 && chargeOffDay + DAY < until.getTime()) {
    flag(
      'charge-off-missed',
      new Date(chargeOffDay).toISOString(),
      `still open at ${pack.chargeOffDpd}+ days past due`,
    );
  }

  // §3.3 a payment that cures closes within a day; §3.5 bankrupt/deceased close at once.
  // Measured from when the payment arrived: one posted earlier but delivered late could not close sooner.
  const arrival = (e: Extract<RecordEntry, { kind: 'payment' }>) => Date.parse(e.receivedAt ?? e.at);
  const lastPayment = record
    .filter((e) => e.kind === 'payment')
    .sort((a, b) => arrival(a) - arrival(b))
    .at(-1);
  if (
    (closed?.reason === 'cured' || closed?.reason === 'paid-in-full') &&
    lastPayment &&
    time(closed) - arrival(lastPayment) > DAY
  ) {
    flag('cure-close-late', closed.at, 'closed more than a day after the curing payment arrived');
  }
  if (state.status === 'open' && (state.flags.bankrupt || state.flags.deceased))
    flag('stop-not-closed', until.toISOString(), 'bankrupt or deceased account still open');
  if (
    state.status === 'open' &&
    state.amountDue === 0 &&
    !state.plan &&
    lastPayment &&
    arrival(lastPayment) + DAY < until.getTime()
  ) {
    flag('cure-not-closed', lastPayment.at, 'overdue amount paid but cycle still open');
  }

  if (!started) return violations;
  // §3.1 first contact attempt within 3 days, where policy and channels allow one.
  const firstWindowEnd = time(started) + 3 * DAY;
  // With an agency our own contact stops (§3.14): its deadlines are the agency's, not ours.
  const stopped = (t: number) =>
    (ceasedAt && time(ceasedAt) <= t) || inside(t, disputes) || inside(t, placements) || (closed && time(closed) <= t);
  const anyChannel = state.reachable.some((ch) => !optOuts.has(ch) || optOuts.get(ch)! > firstWindowEnd);
  // The customer reaching us first (a promise, a plan taken, a dispute, a call in, a reason given) is contact made: a
  // promise pauses reminders (§3.6), a call in starts the quiet week (§3.12).
  const FIRST_CONTACT: ReadonlySet<RecordEntry['kind']> = new Set([
    'contact',
    'contact-blocked',
    'ptp-made',
    'plan-accepted',
    'dispute-opened',
    'inbound-call',
    'reason',
  ]);
  if (
    anyChannel &&
    firstWindowEnd < until.getTime() &&
    !record.some((e) => FIRST_CONTACT.has(e.kind) && time(e) <= firstWindowEnd) &&
    !stopped(firstWindowEnd)
  ) {
    flag('first-contact', new Date(firstWindowEnd).toISOString(), 'no contact attempt within 3 days of delinquency');
  }

  // §3.7 unpaid and contactable at 45 DPD ⇒ offered a plan by then; an account that reaches us later than that,
  // within the 3 days a first contact has (a deadline already past on arrival could never be met).
  // Likewise where the bank gave us a contact point late: 3 days from the update that may have made it reachable.
  const due45 = instantAt(addDays(state.dueDate, pack.planOfferByDpd + 1), 0, 0, zone).getTime();
  const newContactPoint = record
    .filter((e) => e.kind === 'account-updated' && e.fields.some((f) => f.startsWith('customer')) && time(e) <= due45)
    .at(-1);
  const deadline = Math.max(due45, firstWindowEnd, newContactPoint ? time(newContactPoint) + 3 * DAY : 0);
  // And where a hold (a dispute, an agency) ended near that deadline, or after it but before it was checked (an
  // account that arrived at 44 days past due with a dispute open, say): 3 days from its end.
  const holdEnded = [...disputes, ...placements]
    .map(([, to]) => to)
    .filter((to) => to <= deadline)
    .reduce((a, b) => Math.max(a, b), 0);
  const day45 = Math.max(deadline, holdEnded ? holdEnded + 3 * DAY : 0);
  if (day45 < until.getTime() && !stopped(day45) && !state.flags.bankrupt && !state.flags.deceased) {
    const offered = record.some((e) => (e.kind === 'plan-offered' || e.kind === 'plan-accepted') && time(e) < day45);
    // Reachable then: the contact points as they end, unless the bank changed them after the deadline (the record
    // does not say which were added, so the account may not have been reachable at all by then).
    const changedLater = record.some(
      (e) => e.kind === 'account-updated' && e.fields.some((f) => f.startsWith('customer')) && time(e) > day45,
    );
    const reachable = !changedLater && state.reachable.some((ch) => !optOuts.has(ch) || optOuts.get(ch)! > day45);
    if (!offered && reachable)
      flag(
        'plan-offer-by-45',
        new Date(day45).toISOString(),
        `no plan offered by ${pack.planOfferByDpd} days past due`,
      );
  }
  // Plan offers within the pack's limits.
  for (const offer of record.filter((e) => e.kind === 'plan-offered')) {
    const tooLong = offer.terms.find((t) => t.instalments > pack.maxPlanInstalments || t.instalments < 2);
    if (tooLong) flag('plan-limits', offer.at, `${tooLong.instalments} instalments under ${pack.id}`);
  }
  return violations;
};

/** The statement a courtesy reminder was for, as the bank announced it. */
export interface CourtesyStatement {
  accountId: string;
  timezone: string;
  dueDate: string;
}

/**
 * A pre-due courtesy (docs/contract.md §1 AccountDueSoon): one reminder at most, inside contact hours, before the due
 * date, never after a payment, an opt-out of its channel or a cease.
 */
export const checkCourtesy = (
  { accountId, timezone, dueDate }: CourtesyStatement,
  record: readonly RecordEntry[],
  pack: PolicyPack,
): Violation[] => {
  const violations: Violation[] = [];
  const flag = (rule: string, at: string, detail: string) => violations.push({ accountId, rule, at, detail });
  const contacts = record.filter(isContact);
  if (contacts.length > 1)
    flag('courtesy-once', contacts[1]!.at, `${contacts.length} courtesy reminders for one statement`);
  const dueStarts = instantAt(dueDate, 0, 0, timezone).getTime();
  for (const c of contacts) {
    const { hour } = localParts(new Date(c.at), timezone);
    if (hour < pack.contactHours.fromHour || hour >= pack.contactHours.untilHour)
      flag('contact-hours', c.at, `${c.channel} at ${hour}:xx local (${timezone})`);
    if (time(c) >= dueStarts)
      flag('courtesy-before-due', c.at, `courtesy reminder on or after the due date ${dueDate}`);
    const stop = record.find(
      (e) =>
        time(e) <= time(c) &&
        (e.kind === 'payment' || e.kind === 'cease' || (e.kind === 'opt-out' && e.channel === c.channel)),
    );
    if (stop) flag('courtesy-after-stop', c.at, `${c.channel} courtesy reminder after ${stop.kind}`);
  }
  return violations;
};
