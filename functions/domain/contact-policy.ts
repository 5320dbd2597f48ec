// Whether a channel may be used to reach the customer at a moment, and the rule that says so.
import type { AccountState } from './account';
import type { Channel } from './channels';
import { personCapCheck } from './person-caps';
import type { PolicyPack } from './policy-packs';
import { recentContactsOf, type RecentContact } from './recent-contacts';
import { addDays, instantAt, localParts, type LocalParts } from './zoned-time';

export type ContactDecision =
  | { kind: 'allowed'; channel: Channel; rule: string; at: Date }
  /** `retryAt` null: blocked until something changes (an event), not by the passage of time. */
  | { kind: 'blocked'; channel: Channel; rule: string; retryAt: Date | null };

const DAY_MS = 86_400_000;

/** What the timing checks read of the moment and the history, read once per decision rather than once per check. */
interface Facts {
  /** The wall clock at the moment asked about, in the account's zone. */
  local: () => LocalParts;
  recent: () => readonly RecentContact[];
}

type Check = (
  state: AccountState,
  channel: Channel,
  pack: PolicyPack,
  now: Date,
  facts: Facts,
) => { rule: string; retryAt: Date | null } | null;

const permanently = (rule: string) => ({ rule, retryAt: null });

const nextWindowStart = (state: AccountState, pack: PolicyPack, local: LocalParts, dayOffset: number): Date =>
  instantAt(addDays(local.date, dayOffset), pack.contactHours.fromHour, 0, state.timezone);

/** Checks in order of precedence: a stop beats a hold, a hold beats a timing rule. */
const CHECKS: readonly Check[] = [
  (s) => (s.status === 'closed' ? permanently('cycle-closed') : null),
  (s) => (s.flags.deceased ? permanently('deceased') : null),
  (s) => (s.flags.bankrupt ? permanently('bankrupt') : null),
  (s) => (s.ceased ? permanently('cease-communication') : null),
  (s) => (s.openDisputes.length > 0 ? permanently('dispute-hold') : null),
  (s) => (s.placement ? permanently('placed-with-agency') : null),
  (s, c) => (s.reachable.includes(c) ? null : permanently('no-contact-point')),
  (s, c) => (s.optOuts.includes(c) ? permanently('channel-opt-out') : null),
  (s, _c, pack, _now, { local }) => {
    const { hour } = local();
    if (hour < pack.contactHours.fromHour)
      return { rule: 'contact-hours', retryAt: nextWindowStart(s, pack, local(), 0) };
    if (hour >= pack.contactHours.untilHour)
      return { rule: 'contact-hours', retryAt: nextWindowStart(s, pack, local(), 1) };
    return null;
  },
  (s, c, pack, now) => {
    if (c !== 'call' || pack.callQuietAfterConversationDays === null || !s.history.lastRightPartyAt) return null;
    const quietUntil = Date.parse(s.history.lastRightPartyAt) + pack.callQuietAfterConversationDays * DAY_MS;
    return now.getTime() < quietUntil ? { rule: 'call-after-conversation', retryAt: new Date(quietUntil) } : null;
  },
  (_s, c, pack, now, { recent }) => {
    if (c !== 'call' || !pack.callCap) return null;
    const { attempts, windowDays } = pack.callCap;
    const windowMs = windowDays * DAY_MS;
    // A call at t counts while now < t + window: "any 7 consecutive days" includes day t itself.
    const inWindow = recent()
      .filter((k) => k.channel === 'call' && now.getTime() - k.at < windowMs)
      .map((k) => k.at)
      .sort((a, b) => a - b);
    if (inWindow.length < attempts) return null;
    const mustExpire = inWindow[inWindow.length - attempts] as number;
    return { rule: `call-cap-${attempts}-in-${windowDays}`, retryAt: new Date(mustExpire + windowMs) };
  },
  (s, c, pack, now, { recent }) => {
    const overlay = s.region ? pack.overlays[s.region] : undefined;
    const cap = overlay?.frequencyCap;
    if (!cap || !cap.channels.includes(c)) return null;
    const windowMs = cap.windowDays * DAY_MS;
    const inWindow = recent()
      .filter((k) => cap.channels.includes(k.channel) && now.getTime() - k.at < windowMs)
      .map((k) => k.at)
      .sort((a, b) => a - b);
    if (inWindow.length < cap.attempts) return null;
    return { rule: `${s.region}/${cap.rule}`, retryAt: new Date(inWindow[inWindow.length - cap.attempts]! + windowMs) };
  },
  // The person's cap (docs/contract.md §11.1), as far as this account can tell; the contact step takes the place on
  // the person's ledger before a contact goes.
  personCapCheck,
  (s, _c, pack, _now, { local, recent }) => {
    const today = local().date;
    const todays = recent().filter((k) => k.date === today);
    return todays.length >= pack.maxContactsPerDay
      ? { rule: 'daily-contact-cap', retryAt: nextWindowStart(s, pack, local(), 1) }
      : null;
  },
];

/** Decides one channel at one moment. Rule ids are prefixed with the pack id. */
export const decideContact = (state: AccountState, channel: Channel, pack: PolicyPack, now: Date): ContactDecision => {
  let local: LocalParts | undefined;
  const facts: Facts = {
    local: () => (local ??= localParts(now, state.timezone)),
    recent: () => recentContactsOf(state),
  };
  for (const check of CHECKS) {
    const blocked = check(state, channel, pack, now, facts);
    if (blocked) return { kind: 'blocked', channel, rule: `${pack.id}/${blocked.rule}`, retryAt: blocked.retryAt };
  }
  return { kind: 'allowed', channel, rule: `${pack.id}/contact-allowed`, at: now };
};

/**
 * The earliest moment from `now` at which `channel` is allowed if nothing else happens, or the
 * block that time alone will not lift.
 */
export const earliestContact = (
  state: AccountState,
  channel: Channel,
  pack: PolicyPack,
  now: Date,
): ContactDecision => {
  let at = now;
  for (let step = 0; step < 16; step += 1) {
    const decision = decideContact(state, channel, pack, at);
    if (decision.kind === 'allowed' || decision.retryAt === null) return decision;
    at = decision.retryAt;
  }
  throw new Error(`contact policy: no allowed moment for ${channel} found after 16 steps from ${now.toISOString()}`);
};
