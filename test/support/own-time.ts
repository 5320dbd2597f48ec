// Account ids for tests that need a contact at once: the first `<prefix>-<n>` whose own time of day (docs/contract.md
// §10.5) has come by the test's local start, so its first message is not put off to later in the day.
import { timeDrawnFromId } from '../../functions/domain/contact-time';
import type { PolicyPack } from '../../functions/domain/policy-packs';

export const idContactedBy = (prefix: string, pack: PolicyPack, by: { hour: number; minute?: number }): string => {
  const latest = by.hour * 60 + (by.minute ?? 0);
  for (let n = 1; n < 10_000; n += 1) {
    const { hour, minute } = timeDrawnFromId(`${prefix}-${n}`, pack);
    if (hour * 60 + minute <= latest) return `${prefix}-${n}`;
  }
  throw new Error(`no id ${prefix}-<n> is contacted by ${by.hour}:${by.minute ?? 0} under ${pack.id}`);
};
