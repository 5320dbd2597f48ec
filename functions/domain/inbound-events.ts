// The events the bank, customers and agents send in (docs/contract.md §1), validated with reasons that
// name the field and what is wrong with it.
import * as z from 'zod/mini';
import { assertNever } from './assert-never';
import { LOCALES } from './money';
import { CHANNELS } from './channels';
import { isTimeZone } from './zoned-time';

export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
/** What an id that breaks ID_PATTERN is told. */
export const ID_RULE = 'expected 1–64 letters, digits, _ or -, starting with a letter or digit';
export const Id = z.string({ error: 'expected a string id' }).check(z.regex(ID_PATTERN, { error: ID_RULE }));

const describe = (input: unknown): string =>
  typeof input === 'string'
    ? `string ${JSON.stringify(input.slice(0, 40))}`
    : input === undefined
      ? 'nothing'
      : `${typeof input} ${JSON.stringify(input)}`;

/** Money in minor units: a safe integer, never a decimal string or a float. */
export const MinorUnits = (min: 0 | 1) =>
  z.custom<number>((v) => typeof v === 'number' && Number.isSafeInteger(v) && v >= min, {
    error: (issue) => `expected integer${min === 1 ? ' > 0' : ' >= 0'} (minor units), got ${describe(issue.input)}`,
  });

/** ISO 4217 codes the runtime knows (Intl), so a made-up code like XYZ is refused. */
const CURRENCIES: ReadonlySet<string> = new Set(Intl.supportedValuesOf('currency'));
export const Currency = z
  .string({ error: 'expected an ISO 4217 code' })
  .check(z.refine((v) => CURRENCIES.has(v), { error: 'expected an ISO 4217 currency code like USD' }));

/** A calendar date that exists, in year 1 or later (there is no year 0000). */
const isRealDate = (value: string) => {
  const date = new Date(`${value}T00:00:00Z`);
  return value >= '0001' && !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
};
/** A real moment: the calendar date and the time of day both exist (no 2026-02-31, no 24:00). */
const isRealInstant = (value: string) => {
  const [date, time] = value.slice(0, -1).split('T') as [string, string];
  const [hours, minutes, seconds = '0'] = time.split(':');
  return isRealDate(date) && Number(hours) < 24 && Number(minutes) < 60 && Number.parseFloat(seconds) < 60;
};
const DateOnly = z
  .string({ error: 'expected a date YYYY-MM-DD' })
  .check(z.refine((v) => /^\d{4}-\d{2}-\d{2}$/.test(v) && isRealDate(v), { error: 'expected a real date YYYY-MM-DD' }));
export const Instant = z.string({ error: 'expected an ISO 8601 UTC instant' }).check(
  z.refine((v) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?Z$/.test(v) && isRealInstant(v), {
    error: 'expected an ISO 8601 UTC instant like 2026-03-02T14:05:00Z',
  }),
);
const TimeZone = z
  .string({ error: 'expected an IANA time zone' })
  .check(z.refine(isTimeZone, { error: 'expected an IANA time zone like America/Chicago' }));
const Flag = z.optional(z.boolean({ error: 'expected true or false' }));
/**
 * A person's name: letters of any script, marks, digits, spaces and . , ' ’ - · — never markup or control characters.
 */
const PersonName = z
  .string({ error: 'expected a string' })
  .check(
    z.minLength(1, { error: 'must not be empty' }),
    z.maxLength(200, { error: 'must be at most 200 characters' }),
    z.regex(/^[\p{L}\p{M}\p{N} .,'’\-·]+$/u, { error: "may contain only letters, digits, spaces and . , ' - ·" }),
  );
/** Why a customer is late (docs/contract.md §10.6). Fraud and dispute open a dispute; see HARDSHIP_REASONS. */
export const DELINQUENCY_REASONS = [
  'job-loss',
  'income-reduced',
  'illness',
  'bereavement',
  'forgot',
  'dispute',
  'fraud',
  'over-indebted',
  'other',
] as const;
export type DelinquencyReason = (typeof DELINQUENCY_REASONS)[number];
/** The reasons that make an account a hardship case (docs/contract.md §3.15). */
export const HARDSHIP_REASONS: ReadonlySet<DelinquencyReason> = new Set([
  'job-loss',
  'income-reduced',
  'illness',
  'bereavement',
  'over-indebted',
]);

/** A collector's role in an action they agreed: a supervisor may go beyond a collector's settlement limit. */
export const AGENT_ROLES = ['collector', 'supervisor'] as const;
export type AgentRole = (typeof AGENT_ROLES)[number];

const Text = (max: number) =>
  z
    .string({ error: 'expected a string' })
    .check(
      z.minLength(1, { error: 'must not be empty' }),
      z.maxLength(max, { error: `must be at most ${max} characters` }),
    );

export const CustomerSchema = z.object(
  {
    /** The bank's customer number: accounts that share it are one person (docs/contract.md §11.1). */
    customerId: z.optional(Id),
    name: PersonName,
    email: z.optional(z.email({ error: 'expected an email address' })),
    phone: z.optional(
      z
        .string({ error: 'expected an E.164 phone number' })
        .check(z.regex(/^\+[1-9]\d{6,14}$/, { error: 'expected an E.164 phone number like +13125550100' })),
    ),
    locale: z.enum(LOCALES, { error: `expected one of ${LOCALES.join(', ')}` }),
    timezone: TimeZone,
    region: z.optional(
      z
        .string({ error: 'expected an ISO 3166-2 subdivision' })
        .check(z.regex(/^[A-Z]{2}-[A-Z0-9]{1,3}$/, { error: 'expected an ISO 3166-2 subdivision like US-MA' })),
    ),
  },
  { error: 'expected an object' },
);

const FlagsSchema = z.strictObject(
  { bankrupt: Flag, deceased: Flag, hardship: Flag },
  { error: 'expected an object of bankrupt, deceased, hardship booleans' },
);

const detailSchemas = {
  AccountDelinquent: z
    .object({
      accountId: Id,
      cycleId: Id,
      currency: Currency,
      balance: MinorUnits(0),
      amountDue: MinorUnits(1),
      dueDate: DateOnly,
      aprBps: z.optional(
        z
          .int({ error: 'expected an integer number of basis points' })
          .check(z.gte(0, { error: 'must be >= 0' }), z.lte(100_000, { error: 'must be <= 100000' })),
      ),
      lateFee: z.optional(MinorUnits(0)),
      customer: CustomerSchema,
      flags: z.optional(FlagsSchema),
    })
    .check(
      z.refine((d) => d.amountDue <= d.balance, {
        path: ['amountDue'],
        // The overdue amount is part of the balance: more than it is a mistake upstream, not a debt.
        error: (issue) => {
          const d = issue.input as { amountDue: number; balance: number };
          return `${d.amountDue} is more than the balance ${d.balance}`;
        },
      }),
    ),
  /** A statement comes due on a current account. */
  AccountDueSoon: z.object({
    accountId: Id,
    statementId: Id,
    currency: Currency,
    minimumDue: MinorUnits(1),
    dueDate: DateOnly,
    customer: CustomerSchema,
  }),
  PaymentPosted: z.object({
    accountId: Id,
    paymentId: Id,
    amount: MinorUnits(1),
    currency: Currency,
    postedAt: Instant,
  }),
  AccountUpdated: z.object({
    accountId: Id,
    balance: z.optional(MinorUnits(0)),
    amountDue: z.optional(MinorUnits(0)),
    customer: z.optional(z.partial(CustomerSchema)),
    flags: z.optional(FlagsSchema),
  }),
  PromiseToPayMade: z.object({
    accountId: Id,
    promiseId: Id,
    amount: MinorUnits(1),
    dueDate: DateOnly,
    /** The collector who took it on the phone (collections.agent only), recorded with it. */
    agentId: z.optional(Id),
  }),
  PlanAccepted: z.object({
    accountId: Id,
    planId: Id,
    /** The collector who agreed it on the phone (collections.agent only), recorded with it. */
    agentId: z.optional(Id),
    instalments: z.int({ error: 'expected an integer' }),
    /** The bank debits each instalment on its due date (docs/contract.md §3.17). */
    autopay: z.optional(z.boolean({ error: 'expected true or false' })),
  }),
  /**
   * The settlement on offer is accepted (docs/contract.md §3.16); from a collector, `amount` is a settlement agreed
   * on the phone, offered and accepted at once under `settlementId`, and `agreedAt` when the collector recorded it (the
   * API sets it): the settlement is dated then, not when the intake applies it (§11.2.20).
   */
  SettlementAccepted: z.object({
    accountId: Id,
    settlementId: Id,
    amount: z.optional(MinorUnits(1)),
    agreedAt: z.optional(Instant),
    /** The collector who agreed it (collections.agent only), recorded with it. */
    agentId: z.optional(Id),
    /**
     * The agreeing collector's role, as the API read it from their verified token: a discount beyond the collector's
     * limit is applied only with `supervisor` (docs/contract.md §3.16).
     */
    agentRole: z.optional(z.enum(AGENT_ROLES, { error: `expected one of ${AGENT_ROLES.join(', ')}` })),
  }),
  /** A debit the workflow asked for (or any payment) did not go through. */
  PaymentFailed: z.object({
    accountId: Id,
    paymentId: Id,
    amount: MinorUnits(1),
    currency: Currency,
    reason: Text(200),
  }),
  /** The bank took a payment back (docs/contract.md §3.21): it is owed again. */
  PaymentReversed: z.object({
    accountId: Id,
    paymentId: Id,
    reason: z.enum(['returned', 'chargeback', 'error'], { error: 'expected returned, chargeback or error' }),
  }),
  DisputeRaised: z.object({ accountId: Id, disputeId: Id, reason: Text(500) }),
  DisputeResolved: z.object({
    accountId: Id,
    disputeId: Id,
    outcome: z.enum(['upheld', 'rejected'], { error: 'expected upheld or rejected' }),
  }),
  ChannelOptOut: z.object({
    accountId: Id,
    channel: z.enum(CHANNELS, { error: `expected one of ${CHANNELS.join(', ')}` }),
  }),
  CeaseCommunication: z.object({ accountId: Id }),
  /** The agency hands the account back: our own contact resumes. */
  PlacementRecalled: z.object({ accountId: Id }),
  CallOutcomeRecorded: z.object({
    accountId: Id,
    callId: Id,
    /** Who dialled (the desk and the simulated collectors send it): the report's dials per collector. */
    agentId: z.optional(Id),
    /**
     * When the collector dialled (the desk sends it): the outcome of the cycle's own task is judged then, so one
     * that arrives after the task's window ended still counts.
     */
    dialledAt: z.optional(Instant),
    outcome: z.enum(['no-answer', 'voicemail', 'right-party', 'wrong-party', 'refused'], {
      error: 'expected no-answer, voicemail, right-party, wrong-party or refused',
    }),
  }),
  /** Why the customer is late (docs/contract.md §10.6), from the self-service page or a collector on the phone. */
  DelinquencyReasonRecorded: z.object({
    accountId: Id,
    reasonId: Id,
    reason: z.enum(DELINQUENCY_REASONS, { error: `expected one of ${DELINQUENCY_REASONS.join(', ')}` }),
    note: z.optional(Text(500)),
    /** The collector who heard it on the phone (collections.agent only), recorded with it. */
    agentId: z.optional(Id),
  }),
  /** The customer called in and a collector took the call at the desk (docs/contract.md §10.6): a conversation. */
  InboundCallReceived: z.object({
    accountId: Id,
    callId: Id,
    agentId: Id,
    /** How the account was found by number: the number the telephony presented, or one the collector typed. */
    numberSource: z.optional(z.enum(['telephony', 'typed'], { error: 'expected telephony or typed' })),
  }),
} as const;

export type DetailType = keyof typeof detailSchemas;
export const DETAIL_TYPES = Object.keys(detailSchemas) as DetailType[];

/** Which source may send which detail-type. */
export const SOURCE_OF: Readonly<Record<DetailType, string>> = {
  AccountDelinquent: 'bank.core',
  AccountDueSoon: 'bank.core',
  PaymentPosted: 'bank.core',
  AccountUpdated: 'bank.core',
  PromiseToPayMade: 'collections.customer',
  PlanAccepted: 'collections.customer',
  DisputeRaised: 'collections.customer',
  ChannelOptOut: 'collections.customer',
  CeaseCommunication: 'collections.customer',
  DisputeResolved: 'collections.agent',
  CallOutcomeRecorded: 'collections.agent',
  PlacementRecalled: 'collections.agent',
  InboundCallReceived: 'collections.agent',
  DelinquencyReasonRecorded: 'collections.customer',
  SettlementAccepted: 'collections.customer',
  PaymentFailed: 'bank.core',
  PaymentReversed: 'bank.core',
};
export const INBOUND_SOURCES = [...new Set(Object.values(SOURCE_OF))];

/** A collector may record a promise or a plan the customer agreed on the phone (docs/contract.md §7). */
const ALSO_FROM_AGENT: ReadonlySet<DetailType> = new Set<DetailType>([
  'PromiseToPayMade',
  'PlanAccepted',
  'DelinquencyReasonRecorded',
  'SettlementAccepted',
]);
export const sourcesOf = (type: DetailType): string[] =>
  ALSO_FROM_AGENT.has(type) ? [SOURCE_OF[type], 'collections.agent'] : [SOURCE_OF[type]];

/** An event as the bus delivered it; `source` is there once it has been parsed from its envelope. */
export type InboundEvent = {
  [K in DetailType]: { detailType: K; detail: z.infer<(typeof detailSchemas)[K]>; source?: string };
}[DetailType];
export type InboundOf<K extends DetailType> = Extract<InboundEvent, { detailType: K }>;
export type Customer = z.infer<typeof CustomerSchema>;

export interface FieldIssue {
  field: string;
  reason: string;
}
export type Parsed = { ok: true; event: InboundEvent } | { ok: false; reason: string; issues: FieldIssue[] };

type ZodIssues = { issues: readonly { path: PropertyKey[]; message: string }[] };

/** Each issue as the field it concerns and what is wrong with it. */
export const issuesOf = (error: ZodIssues): FieldIssue[] =>
  error.issues.map((issue) => ({
    field: issue.path.length ? issue.path.map(String).join('.') : 'detail',
    reason: issue.message,
  }));

/** `field.path: what is wrong` for every issue, so a reader knows where to look. */
export const formatIssues = (error: ZodIssues): string =>
  issuesOf(error)
    .map((i) => `${i.field}: ${i.reason}`)
    .join('; ');

export const refusal = (field: string, reason: string): Parsed => ({
  ok: false,
  reason: `${field}: ${reason}`,
  issues: [{ field, reason }],
});

/** Validates an envelope as the bus would see it: a known detail-type, its source, then its detail. */
export const parseInbound = (source: unknown, detailType: unknown, detail: unknown): Parsed => {
  if (typeof detailType !== 'string' || !(detailType in detailSchemas)) {
    return refusal('detail-type', `unknown ${JSON.stringify(detailType)}; expected one of ${DETAIL_TYPES.join(', ')}`);
  }
  const type = detailType as DetailType;
  const sources = sourcesOf(type);
  if (!sources.includes(source as string))
    return refusal('source', `${type} must come from ${sources.join(' or ')}, got ${JSON.stringify(source)}`);
  const result = (detailSchemas[type] as z.ZodMiniType).safeParse(detail ?? {});
  if (!result.success) return { ok: false, reason: formatIssues(result.error), issues: issuesOf(result.error) };
  return { ok: true, event: { detailType: type, detail: result.data, source: source as string } as InboundEvent };
};

/** The id that makes a delivery of this event unique, for idempotency and the audit. */
export const eventKey = (event: InboundEvent): string | null => {
  switch (event.detailType) {
    case 'AccountDelinquent':
      return `DELINQUENT#${event.detail.cycleId}`;
    case 'AccountDueSoon':
      return `DUESOON#${event.detail.statementId}`;
    case 'PaymentPosted':
      return `PAYMENT#${event.detail.paymentId}`;
    case 'PromiseToPayMade':
      return `PTP#${event.detail.promiseId}`;
    case 'PlanAccepted':
      return `PLAN#${event.detail.planId}#ACCEPTED`;
    case 'DisputeRaised':
      return `DISPUTE#${event.detail.disputeId}`;
    case 'DisputeResolved':
      return `DISPUTE#${event.detail.disputeId}#RESOLVED`;
    case 'CallOutcomeRecorded':
      return `CALL#${event.detail.callId}`;
    case 'InboundCallReceived':
      return `INBOUND#${event.detail.callId}`;
    case 'DelinquencyReasonRecorded':
      return `REASON#${event.detail.reasonId}`;
    case 'SettlementAccepted':
      return `SETTLEMENT#${event.detail.settlementId}#ACCEPTED`;
    case 'PaymentFailed':
      return `PAYMENT#${event.detail.paymentId}#FAILED`;
    case 'PaymentReversed':
      return `PAYMENT#${event.detail.paymentId}#REVERSED`;
    // No id of their own: each says how things stand (opted out, ceased, changed, recalled), so a second delivery
    // finds them already so; the delivery's id keeps its claim (receive-event.ts).
    case 'AccountUpdated':
    case 'ChannelOptOut':
    case 'CeaseCommunication':
    case 'PlacementRecalled':
      return null;
    default:
      return assertNever(event, 'inbound event');
  }
};
