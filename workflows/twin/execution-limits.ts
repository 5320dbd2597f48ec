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
 * The limit an execution has broken at virtual time `now`, as Step Functions names the failure, or null: past 365
 * days or 25,000 history events it ends; a state's input or output over 256 KB fails it (States.DataLimitExceeded).
 */
export const limitBroken = (record: ExecutionRecord, now: number, state: string, payload: unknown): string | null => {
  const age = now - Date.parse(record.startedAt);
  const bytes = Buffer.byteLength(JSON.stringify(payload ?? null));
  if (age > EXECUTION_LIMITS.days * 86_400_000)
    return `States.Timeout: the execution ran past ${EXECUTION_LIMITS.days} days (Step Functions' limit)`;
  if (record.historyEvents > EXECUTION_LIMITS.historyEvents)
    return (
      `States.Runtime: the execution's history passed ${EXECUTION_LIMITS.historyEvents.toLocaleString('en-US')} ` +
      'events'
    );
  if (bytes > EXECUTION_LIMITS.payloadBytes)
    return `States.DataLimitExceeded: ${state}'s payload is ${bytes} bytes, over ${EXECUTION_LIMITS.payloadBytes}`;
  return null;
};
