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
      timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit',
      hour: '2-digit', minute: '2-digit', second: '2-digit',
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

export interface LocalParts { date: LocalDate; hour: number; minute: number; second: number }

/** The wall-clock date and time at `instant` in `timeZone`. */
export const localParts = (instant: Date, timeZone: string): LocalParts => {
  const parts: Record<string, string> = {};
  for (const { type, value } of formatterFor(timeZone).formatToParts(instant)) parts[type] = value;
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    hour: Number(parts.hour), minute: Number(parts.minute), second: Number(parts.second),
  };
};

export const localDate = (instant: Date, timeZone: string): LocalDate => localParts(instant, timeZone).date;

const dateToUtcMs = (date: LocalDate): number => {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return Date.UTC(y, m - 1, d);
};

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
const offsetMs = (instant: number, timeZone: string): number => {
  const p = localParts(new Date(instant), timeZone);
  const asUtc = dateToUtcMs(p.date) + ((p.hour * 60 + p.minute) * 60 + p.second) * 1000;
  return asUtc - Math.floor(instant / 1000) * 1000;
};

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
