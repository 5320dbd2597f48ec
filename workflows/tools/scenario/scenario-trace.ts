// The scenario runner's trace (--trace <dir>), written as the run goes: per account `<accountId>/executions.json`
// (inputs and full histories, each execution as it ends) and `<accountId>/logs.jsonl`, and for the whole run
// `logs.jsonl` and `events-out.jsonl`.
import path from 'node:path';
import type { ExecutionRecord } from '../../twin/execution-limits';
import type { OutboundEvent } from '../../twin/outputs';
import type { LogLine } from '../../twin/recorders';
import { TraceFile, type TraceSink } from './trace-file';

interface AccountFiles {
  executions: TraceFile;
  logs: TraceFile;
}

export class ScenarioTrace implements TraceSink {
  private readonly logs: TraceFile;
  private readonly eventsOut: TraceFile;
  private readonly accounts = new Map<string, AccountFiles>();

  constructor(readonly dir: string) {
    this.logs = new TraceFile(path.join(dir, 'logs.jsonl'));
    this.eventsOut = new TraceFile(path.join(dir, 'events-out.jsonl'));
  }

  log(line: LogLine): void {
    this.logs.write(line);
    if (typeof line.accountId === 'string') this.account(line.accountId).logs.write(line);
  }

  eventOut(event: OutboundEvent): void {
    this.eventsOut.write(event);
  }

  execution(record: ExecutionRecord): void {
    this.account(record.accountId).executions.write(record);
  }

  /** Ends every file; each of `accountIds` has its folder, whether or not anything was traced for it. */
  close(accountIds: Iterable<string> = []): void {
    for (const accountId of accountIds) this.account(accountId);
    for (const file of [this.logs, this.eventsOut, ...[...this.accounts.values()].flatMap((a) => Object.values(a))])
      file.close();
  }

  private account(accountId: string): AccountFiles {
    let files = this.accounts.get(accountId);
    if (!files) {
      const folder = path.join(this.dir, accountId.replace(/[^A-Za-z0-9_-]/g, '_'));
      files = {
        executions: new TraceFile(path.join(folder, 'executions.json'), 'array'),
        logs: new TraceFile(path.join(folder, 'logs.jsonl')),
      };
      this.accounts.set(accountId, files);
    }
    return files;
  }
}
