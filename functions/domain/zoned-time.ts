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

/**
 * Offsets change only at transitions, and no zone changes twice within a day (transitions are months
 * apart). So the offset of a UTC day is cached once it is known to hold at both its ends; a day that
 * straddles a change is never cached and is read exactly every time (a day or two a year per zone).
 * A simulation reads thousands of instants a day per zone: one bucket per day keeps Intl off its path.
 */
const BUCKET_MS = DAY_MS;
const MAX_CACHED_BUCKETS = 200_000;
/** Offsets by zone, then by bucket (no key strings built on the hot path). */
const offsets = new Map<string, Map<number, number>>();
let cachedBuckets = 0;

const exactOffset = (ms: number, timeZone: string): number => {
  const p = exactParts(new Date(ms), timeZone);
  return dateToUtcMs(p.date) + ((p.hour * 60 + p.minute) * 60 + p.second) * 1000 - Math.floor(ms / 1000) * 1000;
};

const bucketOffset = (ms: number, timeZone: string): number | null => {
  const bucket = Math.floor(ms / BUCKET_MS);
  let zone = offsets.get(timeZone);
  if (!zone) offsets.set(timeZone, (zone = new Map()));
  let offset = zone.get(bucket);
  if (offset === undefined) {
    const first = exactOffset(bucket * BUCKET_MS, timeZone);
    offset = first === exactOffset((bucket + 1) * BUCKET_MS - 1000, timeZone) ? first : Number.NaN;
    if (cachedBuckets >= MAX_CACHED_BUCKETS) {
      offsets.clear();
      cachedBuckets = 0;
      offsets.set(timeZone, (zone = new Map()));
    }
    zone.set(bucket, offset);
    cachedBuckets += 1;
  }
  return Number.isNaN(offset) ? null : offset;
};

const pad2 = (n: number) => String(n).padStart(2, '0');

/** The wall-clock date and time at `instant` in `timeZone`. */
export const localParts = (instant: Date, timeZone: string): LocalParts => {
  const ms = instant.getTime();
  const offset = Number.isFinite(ms) ? bucketOffset(ms, timeZone) : null;
  if (offset === null) return exactParts(instant, timeZone);
  const wall = new Date(Math.floor(ms / 1000) * 1000 + offset);
  return {
    date: [String(wall.getUTCFullYear()).padStart(4, '0'), pad2(wall.getUTCMonth() + 1), pad2(wall.getUTCDate())].join(
      '-',
    ),
    hour: wall.getUTCHours(),
    minute: wall.getUTCMinutes(),
    second: wall.getUTCSeconds(),
  };
};

export const localDate = (instant: Date, timeZone: string): LocalDate => localParts(instant, timeZone).date;

/** `YYYY-MM-DD` as midnight UTC (read by position: the hot path of every day count). */
const dateToUtcMs = (date: LocalDate): number =>
  Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)));

const utcMsToDate = (ms: number): LocalDate => new Date(ms).toISOString().slice(0, 10);

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

/** Offset of `timeZone` from UTC at `instant`, in milliseconds (east positive). */
const offsetMs = (instant: number, timeZone: string): number =>
  bucketOffset(instant, timeZone) ?? exactOffset(instant, timeZone);

/**
 * The instant when the wall clock in `timeZone` reads `date` `hour`:`minute`. A time that a
 * spring-forward gap skips moves forward by the gap's length (02:30 → 03:30), and a time that
 * a fall-back repeats resolves to its first occurrence, as Temporal's 'compatible' does.
 */
export const instantAt = (date: LocalDate, hour: number, minute: number, timeZone: string): Date => {
  const wall = dateToUtcMs(date) + (hour * 60 + minute) * 60_000;
  const candidates = new Set<number>();
  for (const probe of [wall - DAY_MS, wall, wall + DAY_MS]) candidates.add(wall - offsetMs(probe, timeZone));
  const exact = [...candidates].filter((c) => c + offsetMs(c, timeZone) === wall).sort((a, b) => a - b);
  if (exact[0] !== undefined) return new Date(exact[0]);
  // In a gap the wall time does not exist: read it with the offset from before the jump.
  return new Date(Math.max(...candidates));
};
