// Contact policy packs: the legal and product limits of one jurisdiction, as data a bank can edit.

export type PolicyId = 'us-regf' | 'cn';
export const POLICY_IDS = ['us-regf', 'cn'] as const;

export interface EscalationStep { level: number; to: 'senior-collector' | 'final-notice' | 'agency' | 'legal-review'; atDpd: number }

/**
 * A jurisdiction's stricter rule inside a pack, keyed by the customer's ISO 3166-2 region. Each names its
 * source; decisions it makes carry `<pack>/<region>/<rule>` as their rule id.
 */
export interface RegionalOverlay {
  citation: string;
  /** At most `attempts` contacts on `channels` together in any `windowDays` consecutive days. */
  frequencyCap?: { channels: readonly ('call' | 'sms' | 'email')[]; attempts: number; windowDays: number; rule: string };
}

export interface PolicyPack {
  id: PolicyId;
  /** Stricter rules by customer region (`customer.region`). */
  overlays: Readonly<Record<string, RegionalOverlay>>;
  /** Local contact window: from `fromHour`:00 up to, not including, `untilHour`:00. */
  contactHours: { fromHour: number; untilHour: number };
  /** At most `attempts` calls in any `windowDays` consecutive days (null: no cap). */
  callCap: { attempts: number; windowDays: number } | null;
  /** No call for this many days after a conversation with the customer (null: no rule). */
  callQuietAfterConversationDays: number | null;
  /** Contacts of any channel in one local day. */
  maxContactsPerDay: number;
  /** Largest instalment count a plan may have. */
  maxPlanInstalments: number;
  /** Instalment counts offered, each within `maxPlanInstalments`. */
  planOptions: readonly number[];
  /** Late fees a plan may waive, in missed cycles. */
  maxFeeWaiverCycles: number;
  /** Whether a plan may freeze penalty interest. */
  interestFreezeAllowed: boolean;
  /** Days past due at which an unpaid account is charged off. */
  chargeOffDpd: number;
  /** A plan must have been offered by this DPD when the account is contactable. */
  planOfferByDpd: number;
  /** An instalment this many days late breaks the plan. */
  planBreakLateDays: number;
  /** Escalation ladder, lowest level first; levels only rise within a cycle. */
  escalation: readonly EscalationStep[];
}

const LADDER: readonly EscalationStep[] = [
  { level: 1, to: 'senior-collector', atDpd: 60 },
  { level: 2, to: 'final-notice', atDpd: 90 },
  { level: 3, to: 'agency', atDpd: 120 },
  { level: 4, to: 'legal-review', atDpd: 150 },
];

export const POLICY_PACKS: Readonly<Record<PolicyId, PolicyPack>> = {
  // Regulation F (12 CFR 1006): 8am–9pm local, 7 calls in 7 days, 7 quiet days after a conversation.
  'us-regf': {
    id: 'us-regf',
    overlays: {
      // Massachusetts debt collection regulations, 940 CMR 7.04(1)(f): no more than two calls (in person, by
      // text message or recorded message) to the debtor's residence, cell or personal number in each 7 days.
      'US-MA': {
        citation: '940 CMR 7.04(1)(f)',
        frequencyCap: { channels: ['call', 'sms'], attempts: 2, windowDays: 7, rule: 'calls-and-texts-2-in-7' },
      },
    },
    contactHours: { fromHour: 8, untilHour: 21 },
    callCap: { attempts: 7, windowDays: 7 },
    callQuietAfterConversationDays: 7,
    maxContactsPerDay: 3,
    maxPlanInstalments: 12,
    planOptions: [3, 6, 12],
    maxFeeWaiverCycles: 1,
    interestFreezeAllowed: true,
    chargeOffDpd: 180,
    planOfferByDpd: 45,
    planBreakLateDays: 10,
    escalation: LADDER,
  },
  // PBOC / CBIRC card rules: 8:00–21:00 local, instalments up to 60 months (个性化分期).
  cn: {
    id: 'cn',
    overlays: {},
    contactHours: { fromHour: 8, untilHour: 21 },
    callCap: null,
    callQuietAfterConversationDays: null,
    maxContactsPerDay: 3,
    maxPlanInstalments: 60,
    planOptions: [6, 12, 24, 36, 60],
    maxFeeWaiverCycles: 3,
    interestFreezeAllowed: true,
    chargeOffDpd: 180,
    planOfferByDpd: 45,
    planBreakLateDays: 10,
    escalation: LADDER,
  },
};

export const policyPack = (id: PolicyId): PolicyPack => POLICY_PACKS[id];
