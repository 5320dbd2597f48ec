// When candidate steps fall due: DPD thresholds and cadences counted in the account's local days, the pause after a
// failed send, and the first moment a channel may be used.
import type { AccountState } from './account';
import type { Channel } from './channels';
import { earliestContact } from './contact-policy';
import { ownClockOf } from './contact-time';
import { startOfLocalDay } from './local-day';
import type { PolicyPack } from './policy-packs';
import { addDays, localDate } from './zoned-time';

const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

/** After a failed send, offers and instalment reminders wait this long before they try again. */
const FAILED_SEND_BACKOFF_MS = DAY_MS;
export const afterFailure = (state: AccountState): number =>
  state.history.lastFailedAt ? Date.parse(state.history.lastFailedAt) + FAILED_SEND_BACKOFF_MS : 0;

export const dpdReachedAt = (state: AccountState, dpd: number): number =>
  startOfLocalDay(state, addDays(state.dueDate, dpd));
/**
 * The start of the local day `days` after the one `at` fell on. Cadences count in days, not hours, so a contact made
 * late in the day is followed by the next at the account's own time, not later each time (docs/contract.md §10.5).
 */
export const daysAfter = (state: AccountState, at: string, days: number): number =>
  startOfLocalDay(state, addDays(localDate(new Date(at), state.timezone), days));

/**
 * The first channel, in `order`, with the earliest allowed moment from `from`; or the block if every channel is
 * stopped.
 */
export const contactAt = (
  state: AccountState,
  order: readonly Channel[],
  pack: PolicyPack,
  from: number,
  when: 'own-time' | 'at-once' = 'own-time',
) => {
  // Planned contacts go at the account's own time of day (docs/contract.md §10.5); answers to the customer go at once.
  const clock = when === 'own-time' ? ownClockOf(state, pack) : null;
  const start = new Date(clock ? clock.atOwnTime(from) : from);
  const decide = (channel: Channel) => {
    let decision = earliestContact(state, channel, pack, start);
    // A later day's window opens at its first minute: the account's own time that day instead.
    for (let i = 0; clock && decision.kind === 'allowed' && i < 4; i += 1) {
      const shifted = clock.atOwnTime(decision.at.getTime());
      if (shifted === decision.at.getTime()) break;
      decision = earliestContact(state, channel, pack, new Date(shifted));
    }
    return decision;
  };
  const decisions = order.map(decide);
  const allowed = decisions.filter((d) => d.kind === 'allowed').sort((a, b) => a.at.getTime() - b.at.getTime());
  const first = allowed[0];
  if (first) return { at: first.at.getTime(), channel: first.channel, rule: first.rule, allowed: true };
  const blocked = decisions[0]!;
  return { at: from, channel: blocked.channel, rule: blocked.rule, allowed: false };
};
