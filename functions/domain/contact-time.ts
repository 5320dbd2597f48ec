// When in the day an account is contacted (docs/contract.md §10.5): at its own local time, not all at the window's
// first minute. Customers answer at the hour they answered before; the rest are spread across the allowed hours by
// their id, so a zone's accounts do not all wake in the same second (the 08:00 herd). Its wake-ups at the start of a
// local day (the next DPD, a promise's or an instalment's last day) are spread the same way over the day's first hour:
// the capacity model (npm run bench) found a zone's accounts all waking at midnight.
import type { AccountState } from './account';
import type { PolicyPack } from './policy-packs';
import { instantAt, localParts, type LocalDate } from './zoned-time';

/** FNV-1a over the id's UTF-16 units: stable across runs and runtimes, spread well enough for hours and minutes. */
const hashOf = (id: string): number => {
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i += 1) {
    hash ^= id.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
};

export interface TimeOfDay {
  hour: number;
  minute: number;
  second: number;
}

/**
 * The account's own time of day within the pack's contact hours: the local hour of its last right-party contact if
 * there was one, otherwise an hour drawn from its id across the window; the minute and second always from its id.
 */
export const ownContactTime = (state: AccountState, pack: PolicyPack): TimeOfDay => {
  const drawn = timeDrawnFromId(state.accountId, pack);
  const talkedAt = state.history.lastRightPartyAt;
  if (!talkedAt) return drawn;
  const { fromHour, untilHour } = pack.contactHours;
  const { hour } = localParts(new Date(talkedAt), state.timezone);
  return { ...drawn, hour: Math.min(Math.max(hour, fromHour), untilHour - 1) };
};

/** The time drawn from an account's id across the pack's contact hours: its own time until it has talked to us. */
export const timeDrawnFromId = (accountId: string, pack: PolicyPack): TimeOfDay => {
  const { fromHour, untilHour } = pack.contactHours;
  const hash = hashOf(accountId);
  return {
    hour: fromHour + (Math.floor(hash / 60) % (untilHour - fromHour)),
    minute: hash % 60,
    second: hashOf(`${accountId}#second`) % 60,
  };
};

/**
 * An account's own time of day, and from any moment the first that is at or after that time on its local day: that
 * time the same day if `from` is earlier, else `from` itself (a contact due later in the day is not put off to the
 * next).
 */
export interface OwnClock {
  own: TimeOfDay;
  atOwnTime: (from: number) => number;
}

/** A clock for `own` in the account's zone: each local day's moment is worked out once, however often it is asked. */
export const ownClock = (state: AccountState, own: TimeOfDay): OwnClock => {
  const moments = new Map<LocalDate, number>();
  return {
    own,
    atOwnTime: (from) => {
      const { date } = localParts(new Date(from), state.timezone);
      let moment = moments.get(date);
      if (moment === undefined) {
        moment = instantAt(date, own.hour, own.minute, state.timezone).getTime() + own.second * 1000;
        moments.set(date, moment);
      }
      return Math.max(from, moment);
    },
  };
};

/**
 * Clocks by state: a step asks for the own time for every candidate and channel, a few hundred times over a handful of
 * days. A state is a value that transitions replace rather than change, so its entry lives and goes with it.
 */
const clocks = new WeakMap<AccountState, { pack: PolicyPack; clock: OwnClock }>();

/** The account's own clock under `pack` (ownContactTime), read once per state. */
export const ownClockOf = (state: AccountState, pack: PolicyPack): OwnClock => {
  const known = clocks.get(state);
  if (known?.pack === pack) return known.clock;
  const clock = ownClock(state, ownContactTime(state, pack));
  clocks.set(state, { pack, clock });
  return clock;
};

/**
 * A wake-up set for the very start of a local day moved to the account's own moment in that day's first hour; any
 * other moment as it is. What is due at midnight is then done at 00:mm:ss: the same day, before any contact.
 */
export const spreadDayStart = (state: AccountState, at: number): number => {
  const { date } = localParts(new Date(at), state.timezone);
  if (instantAt(date, 0, 0, state.timezone).getTime() !== at) return at;
  return at + (hashOf(`${state.accountId}#day`) % 3600) * 1000;
};
