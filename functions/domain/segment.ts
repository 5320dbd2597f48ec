// Ability and willingness to pay, read from the account's history: a small model anyone can audit.
import { isHardship, type AccountState } from './account';

export type Segment = 'cooperative' | 'needs-help' | 'reluctant' | 'high-risk';
export type Level = 'high' | 'low';

export interface Segmentation {
  segment: Segment;
  ability: Level;
  willingness: Level;
  reasons: string[];
}

/** Each signal adds to or takes from a score; the reasons name the signals that counted. */
interface Signal {
  reason: string;
  weight: number;
  applies: (s: AccountState) => boolean;
}

const WILLINGNESS: readonly Signal[] = [
  { reason: 'made a payment', weight: 2, applies: (s) => s.history.payments > 0 },
  { reason: 'kept a promise', weight: 2, applies: (s) => s.history.promisesKept > 0 },
  { reason: 'broke a promise', weight: -2, applies: (s) => s.history.promisesBroken > 0 },
  { reason: 'broke promises repeatedly', weight: -2, applies: (s) => s.history.promisesBroken > 1 },
  { reason: 'accepted a plan', weight: 1, applies: (s) => s.history.plansAccepted > 0 },
  { reason: 'broke a plan', weight: -2, applies: (s) => s.history.plansBroken > 0 },
  { reason: 'talked to a collector', weight: 1, applies: (s) => s.history.rightPartyContacts > 0 },
  // Saying why is engaging: the reason joins the diagnosis (docs/contract.md §3.15).
  { reason: 'said why the payment is late', weight: 1, applies: (s) => !!s.reason && s.reason.reason !== 'other' },
  {
    reason: 'ignored six or more contacts',
    weight: -1,
    applies: (s) => s.history.contacts >= 6 && s.history.rightPartyContacts === 0 && s.history.payments === 0,
  },
];

const ABILITY: readonly Signal[] = [
  { reason: 'hardship flagged or given as the reason', weight: -3, applies: isHardship },
  { reason: 'paid part of the overdue amount', weight: -1, applies: (s) => s.collected > 0 && s.amountDue > 0 },
  { reason: 'overdue amount is over a fifth of the balance', weight: -1, applies: (s) => s.amountDue * 5 > s.balance },
];

const score = (signals: readonly Signal[], state: AccountState) => {
  const hits = signals.filter((signal) => signal.applies(state));
  return { total: hits.reduce((sum, hit) => sum + hit.weight, 0), reasons: hits.map((hit) => hit.reason) };
};

const SEGMENTS: Record<Level, Record<Level, Segment>> = {
  high: { high: 'cooperative', low: 'reluctant' },
  low: { high: 'needs-help', low: 'high-risk' },
};

/** New accounts with no history count as able and willing until they show otherwise. */
export const segmentOf = (state: AccountState): Segmentation => {
  const willing = score(WILLINGNESS, state);
  const able = score(ABILITY, state);
  const willingness: Level = willing.total >= 0 ? 'high' : 'low';
  const ability: Level = able.total >= -1 ? 'high' : 'low';
  return {
    segment: SEGMENTS[ability][willingness],
    ability,
    willingness,
    reasons: [...willing.reasons, ...able.reasons],
  };
};
