// The person's partition (docs/contract.md §11.1), shared by every PersonStore implementation: the person's item, the
// contact ledger's items (one per local day and kind of contact) and the kept splits of payments to the person.
import type { ContactKind } from '../domain/person';

export const personPk = (customerId: string): string => `PERSON#${customerId}`;
export const PERSON = 'PERSON';
export const ledgerSk = (date: string, kind: ContactKind): string => `CONTACTS#${date}#${kind}`;
export const allocationSk = (paymentId: string): string => `ALLOCATION#${paymentId}`;

/** A day's ledger item is kept a week past the day (the table's TTL removes it), then no cap reads it again. */
export const ledgerExpiry = (date: string): number => Math.floor(Date.parse(`${date}T00:00:00Z`) / 1000) + 9 * 86_400;
