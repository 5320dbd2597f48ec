// The person's partition (docs/contract.md §11.1), shared by every PersonStore implementation: the person's item, the
// contact ledger's items (one per local day and kind of contact) and the kept splits of payments to the person.
import type { ContactKind } from '../domain/person';

export const personPk = (customerId: string): string => `PERSON#${customerId}`;
export const PERSON = 'PERSON';
export const ledgerSk = (date: string, kind: ContactKind): string => `CONTACTS#${date}#${kind}`;
/** A payment's split, round by round: the first round under the payment id alone (as the release before rounds). */
export const allocationSk = (paymentId: string, round: number): string =>
  `ALLOCATION#${paymentId}${round > 1 ? `#${round}` : ''}`;

const DAY_SECONDS = 86_400;

/** A day's ledger item is kept a week past the day (the table's TTL removes it), then no cap reads it again. */
export const ledgerExpiry = (date: string): number =>
  Math.floor(Date.parse(`${date}T00:00:00Z`) / 1000) + 9 * DAY_SECONDS;

/**
 * A payment's split is kept 30 days after it was kept (the table's TTL removes it): past the 14 days the inbound queue
 * and its dead-letter queue keep a message, so no redelivery of the payment can find it gone and split it again.
 */
export const allocationExpiry = (keptAt: string): number => Math.floor(Date.parse(keptAt) / 1000) + 30 * DAY_SECONDS;
