// Execution names: `<accountId>-<cycleId>` (idempotent start), `-g<n>` when a long cycle continues
// as a new execution. Step Functions allows 80 characters; longer ids are shortened with a hash.
import { createHash } from 'node:crypto';

const MAX_NAME = 80;

export const executionName = (accountId: string, cycleId: string, generation = 0): string => {
  const suffix = generation > 0 ? `-g${generation}` : '';
  const name = `${accountId}-${cycleId}${suffix}`;
  if (name.length <= MAX_NAME) return name;
  const hash = createHash('sha256').update(`${accountId}\n${cycleId}`).digest('hex').slice(0, 16);
  return `${accountId.slice(0, 40)}-${cycleId.slice(0, 16)}-${hash}${suffix}`;
};
