// The runner's check of one call for all debts (docs/contract.md §3.12, §11.1), read from the records alone: a person
// has at most one open call task at every instant. A task is open from the first entry of any account that lists it
// until it is dialled (the earliest outcome recorded for it, at the moment it was dialled) or its window ends.
import type { RecordEntry } from '../../../functions/domain/record';
import type { AccountRun, Violation } from './violation';

type CallTaskEntry = Extract<RecordEntry, { kind: 'call-task' }>;

interface OpenTask {
  taskId: string;
  from: number;
  until: number;
  /** Where it was first recorded: the account, and when. */
  accountId: string;
  at: string;
}

/** Each call task of one person's runs, open from its first entry until its dial or the end of its window. */
export const openCallTasks = (runs: readonly AccountRun[]): OpenTask[] => {
  const tasks = new Map<string, OpenTask>();
  for (const run of runs)
    for (const e of run.record.filter((x): x is CallTaskEntry => x.kind === 'call-task')) {
      const known = tasks.get(e.taskId);
      if (!known || Date.parse(e.at) < known.from)
        tasks.set(e.taskId, {
          taskId: e.taskId,
          from: Date.parse(e.at),
          until: Math.min(known?.until ?? Infinity, Date.parse(e.expiresAt)),
          accountId: run.state.accountId,
          at: e.at,
        });
    }
  for (const run of runs)
    for (const e of run.record) {
      const task = e.kind === 'call-outcome' ? tasks.get(e.callId) : undefined;
      if (task && e.kind === 'call-outcome') task.until = Math.min(task.until, Date.parse(e.dialledAt ?? e.at));
    }
  return [...tasks.values()].sort((a, b) => a.from - b.from || a.taskId.localeCompare(b.taskId));
};

/** A task of the person's made while another of theirs was still open: two calls queued for one person. */
export const checkOneCallTask = (person: string, runs: readonly AccountRun[]): Violation[] => {
  const violations: Violation[] = [];
  let open: OpenTask | null = null;
  for (const task of openCallTasks(runs)) {
    if (open && task.from < open.until)
      violations.push({
        accountId: task.accountId,
        rule: 'person-one-call-task',
        at: task.at,
        detail:
          `call task ${task.taskId} made for person ${person} while their task ${open.taskId} was open ` +
          `(until ${new Date(open.until).toISOString()})`,
      });
    if (!open || task.until > open.until) open = task;
  }
  return violations;
};
