// The escalation ladder's candidates: the next rung (held for a hardship case, and until the settlement offer has
// gone), that offer itself, and the letters the ladder and the agreements queue.
import { hardshipOfferOwed, openOffer, type AccountState } from './account';
import { CHANNELS } from './channels';
import { HARDSHIP_REASONS } from './inbound-events';
import { letterBlockedBy } from './letters';
import { acceptedSettlement, settlementOfferOwed } from './settlement';
import type { Candidate, Playbook } from './step';
import { afterFailure, contactAt, DAY_MS, dpdReachedAt } from './step-timing';

/**
 * A hardship case is not escalated beyond a senior collector while its hardship plan is owed (a day from the
 * reason), on offer or running (docs/contract.md §3.15; a running plan holds every escalation anyway).
 */
const hardshipHold = (s: AccountState, now: number): boolean => {
  if (!s.reason || !HARDSHIP_REASONS.has(s.reason.reason)) return false;
  const given = Date.parse(s.reason.at);
  if (hardshipOfferOwed(s)) return now < given + DAY_MS;
  const offer = openOffer(s);
  return !!offer && Date.parse(offer.offeredAt) >= given;
};

export const escalationCandidates = (s: AccountState, now: number, { pack, strategy }: Playbook): Candidate[] => {
  // A placed account waits for payments, its recall or charge-off; a message half sent finishes first.
  // An accepted settlement holds the ladder until it is paid or lapses, as a promise does.
  if (s.plan || s.promise || acceptedSettlement(s) || s.openDisputes.length > 0 || s.placement || s.pendingContact)
    return [];
  const next = pack.escalation.find((step) => step.level === s.escalationLevel + 1);
  if (!next || (next.to !== 'senior-collector' && hardshipHold(s, now))) return [];
  // The settlement is the last offer before the ladder's next rung at or past its DPD (the agency, in both packs):
  // that rung waits until the offer has gone, so that it goes before our own contact stops.
  const offer = next.atDpd >= pack.settlement.fromDpd ? settlementCandidates(s, now, { pack, strategy })[0] : undefined;
  const candidates: Candidate[] = [
    {
      at: Math.max(dpdReachedAt(s, next.atDpd), offer ? offer.at + 1 : 0),
      step: { action: 'escalate', level: next.level, to: next.to, rule: `${pack.id}/ladder-${next.atDpd}-dpd` },
    },
  ];
  if (s.escalationLevel === 0 && s.history.promisesBroken >= strategy.escalateAfterBrokenPromises) {
    candidates.push({
      at: now,
      step: { action: 'escalate', level: next.level, to: next.to, rule: `${strategy.id}/broken-promises` },
    });
  }
  return candidates;
};

/**
 * The one settlement offer of the cycle (docs/contract.md §3.16), from the pack's `fromDpd`, on the first channel that
 * allows contact; its message states the amount and its last day.
 */
export const settlementCandidates = (s: AccountState, now: number, { pack }: Playbook): Candidate[] => {
  if (!settlementOfferOwed(s)) return [];
  const from = Math.max(now, dpdReachedAt(s, pack.settlement.fromDpd), afterFailure(s));
  const contact = contactAt(s, CHANNELS, pack, from);
  if (!contact.allowed) return [];
  const rule = `${pack.id}/settlement-from-${pack.settlement.fromDpd}-dpd`;
  return [{ at: contact.at, step: { action: 'remind', channel: contact.channel, template: 'settlement-offer', rule } }];
};

/** The first letter due goes now, unless a dispute or an agency holds it (a drop is recorded by the letter step). */
export const letterCandidates = (s: AccountState, now: number, { pack }: Playbook): Candidate[] => {
  const due = s.lettersDue?.[0];
  if (!due || s.status === 'closed') return [];
  const blocked = letterBlockedBy(s, due, pack);
  if (blocked?.kind === 'hold') return [];
  return [
    {
      at: now,
      step: { action: 'letter', letter: due.template, rule: blocked?.rule ?? `${pack.id}/letter-${due.template}` },
    },
  ];
};
