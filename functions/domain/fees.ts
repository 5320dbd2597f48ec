// Penalty interest and late fees as the cardholder will be told about them. Informational:
// the bank posts the real charges with AccountUpdated; collections never adds charges itself.

const DAYS_PER_YEAR = 365n;
const BPS = 10_000n;

/**
 * Simple daily interest on `principal` minor units at `aprBps` for `days`, rounded half up
 * to a whole minor unit. BigInt keeps large balances exact.
 */
export const penaltyInterest = (principal: number, aprBps: number, days: number): number => {
  if (principal <= 0 || aprBps <= 0 || days <= 0) return 0;
  const numerator = BigInt(principal) * BigInt(aprBps) * BigInt(days);
  const denominator = BPS * DAYS_PER_YEAR;
  return Number((numerator * 2n + denominator) / (denominator * 2n));
};

/** Missed billing cycles at `dpd`: the first at day 1, one more every 30 days. */
export const missedCycles = (dpd: number): number => (dpd <= 0 ? 0 : 1 + Math.floor((dpd - 1) / 30));

export const lateFees = (lateFee: number | null, dpd: number): number => (lateFee ?? 0) * missedCycles(dpd);
