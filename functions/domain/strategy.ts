// Collection strategies as data: which reminders go out when, to whom, and when plans are offered.
// A bank edits these tables (or passes its own file to the simulator) instead of code.
import * as z from 'zod/mini';
import { CHANNELS, REMINDER_CHANNELS } from './channels';

export const TEMPLATE_IDS = [
  'reminder-gentle',
  'reminder-firm',
  'reminder-urgent',
  'plan-offer',
  'instalment-due',
  'courtesy',
  'settlement-offer',
] as const;
export type TemplateId = (typeof TEMPLATE_IDS)[number];
/** A settlement is offered once by the workflow itself (settlement.ts), never by a strategy's reminder rule. */
const RULE_TEMPLATE_IDS = TEMPLATE_IDS.filter((t) => t !== 'settlement-offer');
export const SEGMENT_IDS = ['cooperative', 'needs-help', 'reluctant', 'high-risk'] as const;

const Days = (min: number) =>
  z.int({ error: 'expected an integer number of days' }).check(z.gte(min, { error: `must be >= ${min}` }));
const Name = z.string({ error: 'expected a string' }).check(z.minLength(1, { error: 'must not be empty' }));

const ReminderRuleSchema = z.object({
  id: Name,
  minDpd: Days(0),
  maxDpd: Days(0),
  /** Empty or absent: every segment. */
  segments: z.optional(z.array(z.enum(SEGMENT_IDS, { error: `expected one of ${SEGMENT_IDS.join(', ')}` }))),
  everyDays: Days(1),
  /** Preference order; the rotation starts at the next channel after the last one used. */
  channels: z
    .array(z.enum(CHANNELS, { error: `expected one of ${CHANNELS.join(', ')}` }))
    .check(z.minLength(1, { error: 'needs at least one channel' })),
  template: z.enum(RULE_TEMPLATE_IDS, { error: `expected one of ${RULE_TEMPLATE_IDS.join(', ')}` }),
});

export const StrategySchema = z.object({
  id: Name,
  reminders: z.array(ReminderRuleSchema).check(z.minLength(1, { error: 'needs at least one reminder rule' })),
  /** DPD from which a plan is offered, per segment. */
  planOfferDpd: z.record(z.enum(SEGMENT_IDS), Days(0)),
  planReofferDays: Days(1),
  maxPlanOffers: Days(1),
  instalmentReminderDaysBefore: Days(0),
  /** Broken promises after which an account is escalated early. */
  escalateAfterBrokenPromises: Days(1),
  /** Days the customer is given to pay in a reminder. */
  payWithinDays: Days(1),
  /**
   * The discount off the balance a settlement offers, basis points (docs/contract.md §3.16); never beyond the pack's
   * `settlement.maxDiscountBps`. Absent: the pack's maximum. A challenger may offer less, to weigh recovery
   * against write-off.
   */
  settlementDiscountBps: z.optional(
    z
      .int({ error: 'expected an integer number of basis points' })
      .check(z.gte(0, { error: 'must be >= 0' }), z.lte(9999, { error: 'must be <= 9999' })),
  ),
  /**
   * Pre-due courtesy reminder (`AccountDueSoon`): how many days before the due date, by which channels in order.
   * Absent: none.
   */
  courtesy: z.optional(
    z.object({
      daysBefore: Days(1),
      channels: z
        .array(
          z.enum(REMINDER_CHANNELS, {
            error: `expected ${REMINDER_CHANNELS.join(' or ')} (a courtesy reminder goes in writing)`,
          }),
        )
        .check(z.minLength(1, { error: 'needs at least one channel' })),
    }),
  ),
});

export type ReminderRule = z.infer<typeof ReminderRuleSchema>;
export type Strategy = z.infer<typeof StrategySchema>;

/** The champion: gentle and digital first, firmer and voice-led as the debt ages. */
export const DEFAULT_STRATEGY: Strategy = {
  id: 'champion',
  reminders: [
    {
      id: 'b1-reluctant',
      minDpd: 0,
      maxDpd: 29,
      segments: ['reluctant', 'high-risk'],
      everyDays: 2,
      channels: ['sms', 'call', 'email'],
      template: 'reminder-firm',
    },
    {
      id: 'b1-gentle',
      minDpd: 0,
      maxDpd: 29,
      everyDays: 3,
      channels: ['email', 'sms', 'call'],
      template: 'reminder-gentle',
    },
    {
      id: 'b2-firm',
      minDpd: 30,
      maxDpd: 59,
      everyDays: 3,
      channels: ['call', 'email', 'sms'],
      template: 'reminder-firm',
    },
    {
      id: 'b3-urgent',
      minDpd: 60,
      maxDpd: 179,
      everyDays: 2,
      channels: ['call', 'sms', 'email'],
      template: 'reminder-urgent',
    },
  ],
  planOfferDpd: { 'needs-help': 5, 'high-risk': 20, reluctant: 30, cooperative: 30 },
  planReofferDays: 30,
  maxPlanOffers: 3,
  instalmentReminderDaysBefore: 3,
  escalateAfterBrokenPromises: 2,
  payWithinDays: 7,
  courtesy: { daysBefore: 3, channels: ['email', 'sms'] },
};

export const reminderRuleFor = (strategy: Strategy, dpd: number, segment: string): ReminderRule | undefined =>
  strategy.reminders.find(
    (rule) =>
      dpd >= rule.minDpd && dpd <= rule.maxDpd && (!rule.segments?.length || rule.segments.includes(segment as never)),
  );
