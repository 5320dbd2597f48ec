// Events that may name the person instead of one account (docs/contract.md §1, "Naming the person"): exactly one of
// `accountId` and `customerId`. Named by the person, they apply to every open account of theirs (§11.1); a payment
// so named is split across them (allocation.ts).
import * as z from 'zod/mini';
import { CHANNELS } from './channels';
import {
  Currency,
  formatIssues,
  Id,
  Instant,
  issuesOf,
  MinorUnits,
  parseInbound,
  refusal,
  sourcesOf,
  type InboundEvent,
  type InboundOf,
  type Parsed,
} from './inbound-events';
import { partPaymentId, type AllocationPart } from './allocation';

const personSchemas = {
  PaymentPosted: z.object({
    customerId: Id,
    paymentId: Id,
    amount: MinorUnits(1),
    currency: Currency,
    postedAt: Instant,
    /** How the customer said the payment is split: it must add up to `amount` and name open accounts of theirs. */
    allocation: z.optional(
      z
        .array(z.object({ accountId: Id, amount: MinorUnits(1) }, { error: 'expected { accountId, amount }' }), {
          error: 'expected an array of { accountId, amount }',
        })
        .check(z.minLength(1, { error: 'needs at least one part' })),
    ),
  }),
  CeaseCommunication: z.object({ customerId: Id }),
  ChannelOptOut: z.object({
    customerId: Id,
    channel: z.enum(CHANNELS, { error: `expected one of ${CHANNELS.join(', ')}` }),
  }),
} as const;

export type PersonWideType = keyof typeof personSchemas;
export const PERSON_WIDE: readonly PersonWideType[] = Object.keys(personSchemas) as PersonWideType[];

/** An event that names the person: it reaches every open account of theirs. */
export type PersonEvent = {
  [K in PersonWideType]: { detailType: K; detail: z.infer<(typeof personSchemas)[K]>; source?: string };
}[PersonWideType];

export type Addressed =
  | { ok: true; event: InboundEvent; person?: undefined }
  | { ok: true; person: PersonEvent; event?: undefined }
  | Extract<Parsed, { ok: false }>;

const isPersonWide = (type: unknown): type is PersonWideType => PERSON_WIDE.includes(type as PersonWideType);

/**
 * Validates an envelope as the intake takes it: an event that may name the person names exactly one of `accountId`
 * and `customerId`; every other event, and one naming the account, is validated as parseInbound does.
 */
export const parseAddressed = (source: unknown, detailType: unknown, detail: unknown): Addressed => {
  if (isPersonWide(detailType) && typeof detail === 'object' && detail !== null && !Array.isArray(detail)) {
    const names = { account: 'accountId' in detail, customer: 'customerId' in detail };
    if (names.account && names.customer) return refusal('customerId', 'name accountId or customerId, not both');
    if (!names.account && !names.customer)
      return refusal('accountId', 'expected accountId or customerId (exactly one)');
    if (names.customer) {
      const sources = sourcesOf(detailType);
      if (!sources.includes(source as string))
        return refusal('source', `${detailType} must come from ${sources.join(' or ')}, got ${JSON.stringify(source)}`);
      const result = (personSchemas[detailType] as z.ZodMiniType).safeParse(detail);
      if (!result.success) return { ok: false, reason: formatIssues(result.error), issues: issuesOf(result.error) };
      return { ok: true, person: { detailType, detail: result.data, source } as PersonEvent };
    }
    if ('allocation' in detail)
      return refusal('allocation', 'only a payment naming customerId is split across accounts');
  }
  return parseInbound(source, detailType, detail);
};

/** A cease or an opt-out naming the person, as it comes to one account of theirs. */
export const onAccount = (
  event: Exclude<PersonEvent, { detailType: 'PaymentPosted' }>,
  accountId: string,
): InboundEvent =>
  event.detailType === 'CeaseCommunication'
    ? { detailType: 'CeaseCommunication', detail: { accountId }, source: event.source }
    : { detailType: 'ChannelOptOut', detail: { accountId, channel: event.detail.channel }, source: event.source };

/** One part of a payment to the person, of the split's `round`, as that account's own payment (partPaymentId). */
export const paymentPart = (
  event: Extract<PersonEvent, { detailType: 'PaymentPosted' }>,
  part: AllocationPart,
  round = 1,
): InboundOf<'PaymentPosted'> => ({
  detailType: 'PaymentPosted',
  detail: {
    accountId: part.accountId,
    paymentId: partPaymentId(event.detail.paymentId, part.accountId, round),
    amount: part.amount,
    currency: event.detail.currency,
    postedAt: event.detail.postedAt,
  },
  source: event.source,
});
