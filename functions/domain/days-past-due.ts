// Days past due and delinquency buckets, counted in the account's own time zone.
import { daysBetween, localDate, type LocalDate } from './zoned-time';

export type Bucket = 'current' | 'B1' | 'B2' | 'B3' | 'B4' | 'B5' | 'B6' | 'charge-off';

/** Calendar days after `dueDate` on the local date of `now` in `timeZone`; 0 on or before it. */
export const daysPastDue = (dueDate: LocalDate, now: Date, timeZone: string): number =>
  Math.max(0, daysBetween(dueDate, localDate(now, timeZone)));

/** Lower DPD bound of each bucket, highest first, so the first match wins. */
const BUCKET_FLOORS: ReadonlyArray<readonly [number, Bucket]> = [
  [180, 'charge-off'],
  [150, 'B6'],
  [120, 'B5'],
  [90, 'B4'],
  [60, 'B3'],
  [30, 'B2'],
  [1, 'B1'],
  [0, 'current'],
];

export const bucketOf = (dpd: number): Bucket => BUCKET_FLOORS.find(([floor]) => dpd >= floor)?.[1] ?? 'current';

export const BUCKET_ORDER: readonly Bucket[] = ['current', 'B1', 'B2', 'B3', 'B4', 'B5', 'B6', 'charge-off'];
