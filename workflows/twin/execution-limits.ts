// Step Functions' quotas for a Standard execution (docs/contract.md §10.2), enforced by the local engine on virtual
// time: what AWS refuses, refused here.

export const EXECUTION_LIMITS = { days: 365, historyEvents: 25_000, payloadBytes: 256 * 1024 } as const;
/** History events AWS writes for one local event (a task: scheduled, started, succeeded beside entered/exited). */
export const HISTORY_PER_EVENT = 2;

export interface ExecutionRecord {
  name: string;
  accountId: string;
  input: Record<string, unknown>;
  startedAt: string;
  status: 'running' | 'succeeded' | 'failed' | 'aborted';
  error?: string;
  history: unknown[];
  /** History events as AWS would count them (an estimate from the interpreter's events). */
  historyEvents: number;
  /** Times this execution was redriven after failing (RedriveExecution). */
  redriveCount?: number;
}

/**
 * At least the UTF-8 bytes of `JSON.stringify(value)`, taken from `budget`: negative once the value may not fit. A
 * UTF-16 unit is at most 6 bytes in JSON (`\u001f`), a number at most 24 characters; commas and quotes counted
 * generously. Anything JSON.stringify would turn by a method or refuse (toJSON, a bigint) spends the whole budget, so
 * the exact count decides it. A walk costs a fifth of the stringify it spares on every task's input and output.
 */
const withinBudget = (value: unknown, budget: number): number => {
  if (typeof value === 'string') return budget - value.length * 6 - 2;
  if (typeof value === 'bigint') return -1;
  if (typeof value !== 'object' || value === null) return budget - 24;
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return -1;
  budget -= 2;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length && budget >= 0; i += 1) budget = withinBudget(value[i], budget - 1);
    return budget;
  }
  for (const key in value) {
    if (budget < 0) return budget;
    budget = withinBudget((value as Record<string, unknown>)[key], budget - key.length * 6 - 4);
  }
  return budget;
};

/** The payload's size in bytes as Step Functions counts it (UTF-8 JSON) when it is over `limit`, else null. */
export const bytesOver = (payload: unknown, limit: number): number | null => {
  if (withinBudget(payload ?? null, limit) >= 0) return null;
  const bytes = Buffer.byteLength(JSON.stringify(payload ?? null));
  return bytes > limit ? bytes : null;
};

/**
 * The limit an execution has broken at virtual time `now`, as Step Functions names the failure, or null: past 365
 * days or 25,000 history events it ends; a state's input or output over 256 KB fails it (States.DataLimitExceeded).
 */
export const limitBroken = (record: ExecutionRecord, now: number, state: string, payload: unknown): string | null => {
  const age = now - Date.parse(record.startedAt);
  if (age > EXECUTION_LIMITS.days * 86_400_000)
    return `States.Timeout: the execution ran past ${EXECUTION_LIMITS.days} days (Step Functions' limit)`;
  if (record.historyEvents > EXECUTION_LIMITS.historyEvents)
    return (
      `States.Runtime: the execution's history passed ${EXECUTION_LIMITS.historyEvents.toLocaleString('en-US')} ` +
      'events'
    );
  const bytes = bytesOver(payload, EXECUTION_LIMITS.payloadBytes);
  if (bytes !== null)
    return `States.DataLimitExceeded: ${state}'s payload is ${bytes} bytes, over ${EXECUTION_LIMITS.payloadBytes}`;
  return null;
};
