// Moments that fall at the start of an account's local day: where day counts and promise deadlines begin.
import type { AccountState } from './account';
import { addDays, instantAt, type LocalDate } from './zoned-time';

/** The instant the account's local day `date` begins, in its time zone. */
export const startOfLocalDay = (state: AccountState, date: LocalDate): number =>
  instantAt(date, 0, 0, state.timezone).getTime();

/** When an open promise is broken: the start of the local day after its due date; null with no promise. */
export const promiseDeadline = (state: AccountState): number | null =>
  state.promise ? startOfLocalDay(state, addDays(state.promise.dueDate, 1)) : null;
