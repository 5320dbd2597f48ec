// What a collector's event may do, and what its record entries say of the collector (docs/contract.md §3.16, §7).
import type { AccountState } from './account';
import type { InboundEvent, InboundOf } from './inbound-events';
import type { Outcome } from './outcome';
import type { PolicyPack } from './policy-packs';
import type { RecordEntry } from './record';
import { discountedAmount, lowestSettlement } from './settlement';

/**
 * A settlement a collector agreed on the phone beyond a collector's own discount limit is applied only when the event
 * says a supervisor agreed it (`agentRole`, set by the API from the verified token): a forged or replayed event
 * without that is refused here, not only at the API. Beyond the pack's own floor is applySettlementAccepted's to say.
 */
export const settlementAuthorityRefusal = (
  s: AccountState,
  { detail: d, source }: InboundOf<'SettlementAccepted'>,
  pack: PolicyPack,
): Outcome | null => {
  if (d.amount === undefined || source !== 'collections.agent' || d.agentRole === 'supervisor') return null;
  const collectorFloor = discountedAmount(s.balance, pack.settlement.collectorMaxDiscountBps);
  if (d.amount >= collectorFloor || d.amount < lowestSettlement(s.balance, pack)) return null;
  return {
    kind: 'rejected',
    reason:
      `agentRole: ${d.amount} is below ${collectorFloor}, beyond a collector's limit of ` +
      `${pack.settlement.collectorMaxDiscountBps} bps off the balance, and no supervisor agreed it`,
  };
};

/** The entries a collector's action records name the collector (and, for a settlement, their role). */
const COLLECTOR_ENTRY_KINDS: ReadonlySet<RecordEntry['kind']> = new Set([
  'ptp-made',
  'plan-offered',
  'plan-accepted',
  'settlement-offered',
  'settlement-accepted',
  'reason',
  'dispute-opened',
]);

/**
 * A collector's action names its collector (docs/contract.md §7): only a `collections.agent` event may, and the
 * record's entries of it carry the id, so the record says who agreed what.
 */
export const byCollector = (event: InboundEvent, apply: () => Outcome): Outcome => {
  const by = event.detail as { agentId?: string; agentRole?: string };
  if (by.agentId === undefined && by.agentRole === undefined) return apply();
  if (event.source !== undefined && event.source !== 'collections.agent')
    return {
      kind: 'rejected',
      reason:
        `${by.agentId === undefined ? 'agentRole' : 'agentId'}: only a collector's event (collections.agent) ` +
        'names one',
    };
  const outcome = apply();
  if (outcome.kind !== 'applied') return outcome;
  const named = {
    ...(by.agentId ? { agentId: by.agentId } : {}),
    ...(by.agentRole ? { agentRole: by.agentRole } : {}),
  };
  return {
    ...outcome,
    entries: outcome.entries.map((entry) =>
      COLLECTOR_ENTRY_KINDS.has(entry.kind)
        ? ({ ...entry, ...(entry.kind === 'settlement-accepted' ? named : { agentId: by.agentId }) } as RecordEntry)
        : entry,
    ),
  };
};
