// Contact policy packs: the legal and product limits of one jurisdiction, as data a bank edits. A pack is a
// JSON file (policies/*.json, or the bank's own) validated here, so a mistake is refused with the field
// and the reason before anything runs on it.
import * as z from 'zod/mini';
import { CHANNELS } from './channels';
import { formatIssues } from './inbound-events';
import { payUrlProblem } from './pay-url-template';
import { ALLOCATION_KEYS } from './allocation';

export const ESCALATION_TARGETS = ['senior-collector', 'final-notice', 'agency', 'legal-review'] as const;

const int = (min: number, max = Number.MAX_SAFE_INTEGER, what = 'an integer') =>
  z
    .int({ error: `expected ${what}` })
    .check(z.gte(min, { error: `must be >= ${min}` }), z.lte(max, { error: `must be <= ${max}` }));
const text = z.string({ error: 'expected a string' }).check(z.minLength(1, { error: 'must not be empty' }));
const id = z
  .string({ error: 'expected a string' })
  .check(
    z.regex(/^[a-z0-9][a-z0-9-]{0,39}$/, { error: 'expected lower-case letters, digits and dashes (at most 40)' }),
  );
/** The frequency rules read the record's last 7 days of contacts, so no window may be longer. */
const windowDays = int(1, 7, 'an integer number of days (the record keeps 7 days of contacts)');
/** Missing or mistyped containers are named as such, not as zod's "Invalid input". */
const OBJECT = { error: 'expected an object' };
const ARRAY = { error: 'expected an array' };
const channel = z.enum(CHANNELS, { error: `expected one of ${CHANNELS.join(', ')}` });

const EscalationStepSchema = z.object(
  {
    level: int(1),
    to: z.enum(ESCALATION_TARGETS, { error: `expected one of ${ESCALATION_TARGETS.join(', ')}` }),
    atDpd: int(1),
  },
  OBJECT,
);

/**
 * A jurisdiction's stricter rule inside a pack, keyed by the customer's ISO 3166-2 region. Each names its
 * source; decisions it makes carry `<pack>/<region>/<rule>` as their rule id.
 */
const RegionalOverlaySchema = z.object(
  {
    citation: text,
    /** At most `attempts` contacts on `channels` together in any `windowDays` consecutive days. */
    frequencyCap: z.optional(
      z.object(
        {
          channels: z.array(channel, ARRAY).check(z.minLength(1, { error: 'needs at least one channel' })),
          attempts: int(1),
          windowDays,
          rule: id,
        },
        OBJECT,
      ),
    ),
  },
  OBJECT,
);

/** The promise rule of a pack that states none: a month ahead at most, a tenth of the overdue amount at least. */
export const PROMISE_RULE_DEFAULT = { maxDays: 30, minShareBps: 1000 } as const;

export const PolicyPackSchema = z
  .object(
    {
      id,
      /** ISO 3166-1 country of the jurisdiction; overlays are keyed by its subdivisions. */
      country: z
        .string({ error: 'expected a string' })
        .check(z.regex(/^[A-Z]{2}$/, { error: 'expected an ISO 3166-1 alpha-2 code such as US' })),
      citation: text,
      /** Local contact window: from `fromHour`:00 up to, not including, `untilHour`:00. */
      contactHours: z.object({ fromHour: int(0, 23), untilHour: int(1, 24), citation: z.optional(text) }, OBJECT),
      /** At most `attempts` calls in any `windowDays` consecutive days (null: no cap). */
      callCap: z.nullable(
        z.object({ attempts: int(1), windowDays, citation: z.optional(text) }, { error: 'expected an object or null' }),
      ),
      /** No call for this many days after a conversation with the customer (null: no rule). */
      callQuietAfterConversationDays: z.nullable(int(1, 7)),
      /** Contacts of any channel in one local day. */
      maxContactsPerDay: int(1),
      /**
       * The person's caps (docs/contract.md §3.4, §11.1): calls and messages across all the person's accounts in the
       * customer's local day. The per-debt rules stay per account; the stricter wins.
       */
      personCaps: z.object({ callsPerDay: int(1), messagesPerDay: int(1) }, OBJECT),
      /**
       * How a payment to the person that does not say how it is split fills their accounts, most urgent first
       * (allocation.ts; absent: days past due, then APR, then the oldest cycle).
       */
      allocationOrder: z.optional(
        z
          .array(z.enum(ALLOCATION_KEYS, { error: `expected one of ${ALLOCATION_KEYS.join(', ')}` }), ARRAY)
          .check(z.minLength(1, { error: 'needs at least one key' })),
      ),
      /** Largest instalment count a plan may have. */
      maxPlanInstalments: int(2),
      /** Instalment counts offered, each within `maxPlanInstalments`. */
      planOptions: z.array(int(2), ARRAY).check(z.minLength(1, { error: 'needs at least one instalment count' })),
      /** Late fees a plan may waive, in missed cycles. */
      maxFeeWaiverCycles: int(0),
      /** Whether a plan may freeze penalty interest. */
      interestFreezeAllowed: z.boolean({ error: 'expected true or false' }),
      /** Days past due at which an unpaid account is charged off. */
      chargeOffDpd: int(1),
      /** A plan must have been offered by this DPD when the account is contactable. */
      planOfferByDpd: int(0),
      /** An instalment this many days late breaks the plan. */
      planBreakLateDays: int(1),
      /** Escalation ladder, lowest level first; levels only rise within a cycle. */
      escalation: z
        .array(EscalationStepSchema, ARRAY)
        .check(z.minLength(1, { error: 'needs at least one level: an account is escalated before charge-off' })),
      /** The collection agency an account is placed with at the `agency` level (null: the bank keeps it). */
      agency: z.nullable(z.object({ id }, { error: 'expected an object or null' })),
      /** Re-aging after a workout (null: never re-aged). */
      reAge: z.nullable(
        z.object(
          {
            /** Instalments paid in full by their due dates, one after another, before the account is re-aged. */
            afterConsecutiveInstalments: int(1),
            /** At most one re-age in this many months. */
            minMonthsBetween: int(1),
            /** At most this many re-ages in any five years. */
            maxInFiveYears: int(1),
            citation: text,
          },
          { error: 'expected an object or null' },
        ),
      ),
      /**
       * Letters (final notice, plan confirmation): who they come from, how to reach the bank, and whether a cease stops
       * them.
       */
      letters: z.object(
        {
          bankName: z.object({ 'en-US': text, 'zh-CN': text }, OBJECT),
          phone: text,
          mailingAddress: z.object({ 'en-US': text, 'zh-CN': text }, OBJECT),
          /** May a final notice still go after the customer asked us to cease communication? */
          afterCease: z.boolean({ error: 'expected true or false' }),
          citation: text,
        },
        OBJECT,
      ),
      /** What a collector says first on every call, in each locale. */
      callDisclosure: z.object({ 'en-US': text, 'zh-CN': text }, OBJECT),
      /**
       * Settlements (docs/contract.md §3.16): offered once from `fromDpd`, at most `maxDiscountBps` off the balance.
       */
      settlement: z.object(
        {
          fromDpd: int(1),
          maxDiscountBps: int(0, 9999),
          /** A collector's own limit; above it, up to `maxDiscountBps`, only a supervisor agrees. */
          collectorMaxDiscountBps: int(0, 9999),
          /** Days an offer stays open, the day it is made not counted. */
          validDays: int(1, 90),
        },
        OBJECT,
      ),
      /**
       * Promises to pay (docs/contract.md §3.6): a promise falls at most `maxDays` after the day it is made, and covers
       * at least `minShareBps` of the overdue amount, so a token promise cannot pause reminders for months. Absent (a
       * pack written before it): PROMISE_RULE_DEFAULT.
       */
      promise: z.optional(z.object({ maxDays: int(1, 365), minShareBps: int(0, 10_000) }, OBJECT)),
      /** Days after a failed instalment debit before the one retry (docs/contract.md §3.17). */
      debitRetryDays: int(1, 30),
      /**
       * The bank's payment page, per deployment (docs/contract.md §3.18): a URL template with `{accountId}`,
       * `{amount}`, `{currency}` and `{reference}`. Absent: messages carry no pay link.
       */
      payUrl: z.optional(
        text.check(z.refine((v) => payUrlProblem(v) === null, { error: (i) => payUrlProblem(String(i.input))! })),
      ),
      /** Stricter rules by customer region (`customer.region`, ISO 3166-2). */
      overlays: z.record(
        z
          .string()
          .check(z.regex(/^[A-Z]{2}-[A-Z0-9]{1,3}$/, { error: 'expected an ISO 3166-2 subdivision such as US-MA' })),
        RegionalOverlaySchema,
        OBJECT,
      ),
    },
    OBJECT,
  )
  .check(
    z.superRefine((pack, ctx) => {
      const issue = (path: PropertyKey[], message: string) =>
        ctx.issues.push({ code: 'custom', input: pack, path, message });
      if (pack.contactHours.untilHour <= pack.contactHours.fromHour)
        issue(['contactHours', 'untilHour'], `must be after fromHour (${pack.contactHours.fromHour})`);
      pack.planOptions.forEach((count, i) => {
        if (count > pack.maxPlanInstalments)
          issue(['planOptions', i], `${count} is more than maxPlanInstalments (${pack.maxPlanInstalments})`);
      });
      if (pack.planOfferByDpd >= pack.chargeOffDpd)
        issue(['planOfferByDpd'], `must be before chargeOffDpd (${pack.chargeOffDpd})`);
      pack.escalation.forEach((step, i) => {
        if (step.level !== i + 1) issue(['escalation', i, 'level'], `expected ${i + 1}: levels count up from 1`);
        const before = pack.escalation[i - 1];
        if (before && step.atDpd <= before.atDpd)
          issue(['escalation', i, 'atDpd'], `must be after level ${before.level}'s ${before.atDpd}`);
        if (step.atDpd >= pack.chargeOffDpd)
          issue(['escalation', i, 'atDpd'], `must be before chargeOffDpd (${pack.chargeOffDpd})`);
      });
      if (pack.settlement.collectorMaxDiscountBps > pack.settlement.maxDiscountBps)
        issue(
          ['settlement', 'collectorMaxDiscountBps'],
          `must not be more than maxDiscountBps (${pack.settlement.maxDiscountBps})`,
        );
      if (pack.settlement.fromDpd >= pack.chargeOffDpd)
        issue(['settlement', 'fromDpd'], `must be before chargeOffDpd (${pack.chargeOffDpd})`);
      if (pack.escalation.some((step) => step.to === 'agency') && !pack.agency)
        issue(['agency'], 'the ladder places accounts with an agency: name it ({ "id": … })');
      for (const region of Object.keys(pack.overlays)) {
        if (!region.startsWith(`${pack.country}-`))
          issue(['overlays', region], `is not a subdivision of ${pack.country}`);
      }
    }),
  );

export type PolicyPack = z.infer<typeof PolicyPackSchema>;
export type EscalationStep = PolicyPack['escalation'][number];
export type RegionalOverlay = PolicyPack['overlays'][string];

export class InvalidPolicyError extends Error {
  override readonly name = 'InvalidPolicyError';
}

/** A pack from parsed JSON, or an InvalidPolicyError naming every field that is wrong and why. */
export const parsePolicyPack = (json: unknown, source = 'policy pack'): PolicyPack => {
  const result = PolicyPackSchema.safeParse(json);
  if (!result.success) throw new InvalidPolicyError(`${source}: ${formatIssues(result.error)}`);
  return result.data;
};
