// Calendar arithmetic in an IANA time zone, DST-correct, with no clock of its own: every
// function takes the instant or date it works on.

/** A calendar date, `YYYY-MM-DD`. */
export type LocalDate = string;

const DAY_MS = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

const formatterFor = (timeZone: string): Intl.DateTimeFormat => {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
};

/** True when `timeZone` is an IANA zone this runtime knows. */
export const isTimeZone = (timeZone: string): boolean => {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
};

export interface LocalParts {
  date: LocalDate;
  hour: number;
  minute: number;
  second: number;
}

/** The wall clock read from Intl: exact, and the slow path (most of a simulation's time went here). */
const exactParts = (instant: Date, timeZone: string): LocalParts => {
  const parts: Record<string, string> = {};
  for (const { type, value } of formatterFor(timeZone).formatToParts(instant)) parts[type] = value;
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
  };
};

const exactOffset = (ms: number, timeZone: string): number => {
  const p = exactParts(new Date(ms), timeZone);
  return dateToUtcMs(p.date) + ((p.hour * 60 + p.minute) * 60 + p.second) * 1000 - Math.floor(ms / 1000) * 1000;
};

/**
 * A UTC day's offsets: the one it starts with, the one it ends with and the second the change comes (Infinity
 * when the offset holds all day). Offsets change only at transitions, whole seconds that tzdb puts months apart, so
 * a day has at most one; its second is found by bisection (17 reads of Intl, once per zone and transition day).
 */
interface DayOffsets {
  before: number;
  after: number;
  changesAt: number;
}
const NO_CACHE: DayOffsets = { before: Number.NaN, after: Number.NaN, changesAt: Number.NaN };

const dayOffsetsOf = (day: number, timeZone: string): DayOffsets => {
  let unchanged = day * DAY_MS;
  const before = exactOffset(unchanged, timeZone);
  let changed = unchanged + DAY_MS - 1000;
  const after = exactOffset(changed, timeZone);
  if (before === after) return { before, after, changesAt: Infinity };
  while (changed - unchanged > 1000) {
    const mid = unchanged + Math.floor((changed - unchanged) / 2000) * 1000;
    if (exactOffset(mid, timeZone) === before) unchanged = mid;
    else changed = mid;
  }
  // A day with two changes (none since the 1940s) is left to Intl.
  return exactOffset(changed, timeZone) === after ? { before, after, changesAt: changed } : NO_CACHE;
};

/** A simulation reads thousands of instants a day per zone: one entry per zone and day keeps Intl off its path. */
const MAX_CACHED_DAYS = 200_000;
/** Offsets by zone, then by UTC day (no key strings built on the hot path). */
const offsets = new Map<string, Map<number, DayOffsets>>();
let cachedDays = 0;
/** The zone asked about last: runs of calls for one account's zone skip the outer lookup. */
let lastZone: string | undefined;
let lastZoneDays: Map<number, DayOffsets> | undefined;

/** Offset of `timeZone` from UTC at `ms`, in milliseconds (east positive); what Intl reads, to the second. */
const offsetMs = (ms: number, timeZone: string): number => {
  if (!Number.isFinite(ms)) return exactOffset(ms, timeZone); // Intl says what is wrong with it.
  const day = Math.floor(ms / DAY_MS);
  let zone = timeZone === lastZone ? lastZoneDays : offsets.get(timeZone);
  if (!zone) offsets.set(timeZone, (zone = new Map()));
  lastZone = timeZone;
  lastZoneDays = zone;
  let known = zone.get(day);
  if (known === undefined) {
    known = dayOffsetsOf(day, timeZone);
    if (cachedDays >= MAX_CACHED_DAYS) {
      offsets.clear();
      lastZone = undefined;
      cachedDays = 0;
      offsets.set(timeZone, (zone = new Map()));
    }
    zone.set(day, known);
    cachedDays += 1;
  }
  if (known === NO_CACHE) return exactOffset(ms, timeZone);
  return ms >= known.changesAt ? known.after : known.before;
};

/**
 * Dates by their midnight UTC and back, remembered: a run turns the same few hundred days to text and back millions
 * of times. Only the years 0000–9999, where `toISOString` writes the `YYYY-MM-DD` this module reads and writes.
 */
const MAX_CACHED_DATES = 100_000;
/** By day number since 1970 (small integers: the cheapest keys a Map has). */
const datesByDay = new Map<number, LocalDate>();
const msByDate = new Map<LocalDate, number>();
const YEAR_0000 = -62_167_219_200_000;
const YEAR_10000 = 253_402_300_800_000;

const remember = <K, V>(cache: Map<K, V>, key: K, value: V): V => {
  if (cache.size >= MAX_CACHED_DATES) cache.clear();
  cache.set(key, value);
  return value;
};

/** `YYYY-MM-DD` as midnight UTC (read by position: the hot path of every day count). */
const dateToUtcMs = (date: LocalDate): number =>
  msByDate.get(date) ??
  remember(msByDate, date, Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))));

const utcMsToDate = (ms: number): LocalDate => {
  const day = ms / DAY_MS;
  const known = datesByDay.get(day);
  if (known !== undefined) return known;
  const date = new Date(ms).toISOString().slice(0, 10);
  return Number.isInteger(day) && ms >= YEAR_0000 && ms < YEAR_10000 ? remember(datesByDay, day, date) : date;
};

const pad2 = (n: number) => String(n).padStart(2, '0');

/** The wall-clock date and time at `instant` in `timeZone`. */
export const localParts = (instant: Date, timeZone: string): LocalParts => {
  const ms = instant.getTime();
  if (!Number.isFinite(ms)) return exactParts(instant, timeZone);
  const wall = Math.floor(ms / 1000) * 1000 + offsetMs(ms, timeZone);
  const midnight = Math.floor(wall / DAY_MS) * DAY_MS;
  const inDay = (wall - midnight) / 1000;
  let date: LocalDate;
  if (midnight >= YEAR_0000 && midnight < YEAR_10000) date = utcMsToDate(midnight);
  else {
    const d = new Date(wall);
    date = [String(d.getUTCFullYear()).padStart(4, '0'), pad2(d.getUTCMonth() + 1), pad2(d.getUTCDate())].join('-');
  }
  return { date, hour: Math.floor(inDay / 3600), minute: Math.floor(inDay / 60) % 60, second: inDay % 60 };
};

export const localDate = (instant: Date, timeZone: string): LocalDate => localParts(instant, timeZone).date;

/** Whole calendar days from `from` to `to` (negative when `to` is earlier). */
export const daysBetween = (from: LocalDate, to: LocalDate): number =>
  Math.round((dateToUtcMs(to) - dateToUtcMs(from)) / DAY_MS);

export const addDays = (date: LocalDate, days: number): LocalDate => utcMsToDate(dateToUtcMs(date) + days * DAY_MS);

/** Same day-of-month `months` later, clamped to the month's last day (Jan 31 + 1 → Feb 28/29). */
export const addMonths = (date: LocalDate, months: number): LocalDate => {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const firstOfTarget = new Date(Date.UTC(y, m - 1 + months, 1));
  const lastDay = new Date(Date.UTC(firstOfTarget.getUTCFullYear(), firstOfTarget.getUTCMonth() + 1, 0)).getUTCDate();
  return utcMsToDate(Date.UTC(firstOfTarget.getUTCFullYear(), firstOfTarget.getUTCMonth(), Math.min(d, lastDay)));
};

/**
 * The instant when the wall clock in `timeZone` reads `date` `hour`:`minute`. A time that a
 * spring-forward gap skips moves forward by the gap's length (02:30 → 03:30), and a time that
 * a fall-back repeats resolves to its first occurrence, as Temporal's 'compatible' does.
 */
export const instantAt = (date: LocalDate, hour: number, minute: number, timeZone: string): Date => {
  const wall = dateToUtcMs(date) + (hour * 60 + minute) * 60_000;
  const early = offsetMs(wall - DAY_MS, timeZone);
  const late = offsetMs(wall + DAY_MS, timeZone);
  // No change within a day either side: the one candidate is the answer (what the search below would find).
  if (early === late && offsetMs(wall, timeZone) === early) return new Date(wall - early);
  const candidates = new Set<number>([wall - early, wall - offsetMs(wall, timeZone), wall - late]);
  const exact = [...candidates].filter((c) => c + offsetMs(c, timeZone) === wall).sort((a, b) => a - b);
  if (exact[0] !== undefined) return new Date(exact[0]);
  // In a gap the wall time does not exist: read it with the offset from before the jump.
  return new Date(Math.max(...candidates));
};
