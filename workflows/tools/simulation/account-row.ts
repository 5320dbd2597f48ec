// One line of accounts.csv per account, taken when the account finishes (its cycle closed, or the run
// ended with it open), and written as the run goes; once the run is over, the file is put in account order.
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeWholeFile } from '../../twin/write-whole-file';
import { furthestBucket } from './kpis';
import type { SimulatedAccount } from './simulated-account';

export interface AccountRow {
  accountId: string;
  profile: string;
  timezone: string;
  locale: string;
  currency: string;
  overdue: number;
  balance: number;
  collected: number;
  status: string;
  closeReason: string | null;
  closedAt: string | null;
  furthestBucket: string;
  contacts: number;
  escalationLevel: number;
  plansAccepted: number;
  promisesMade: number;
  promisesKept: number;
}

export const ACCOUNT_COLUMNS = [
  'accountId',
  'profile',
  'timezone',
  'locale',
  'currency',
  'overdue',
  'balance',
  'collected',
  'status',
  'closeReason',
  'closedAt',
  'furthestBucket',
  'contacts',
  'escalationLevel',
  'plansAccepted',
  'promisesMade',
  'promisesKept',
] as const satisfies readonly (keyof AccountRow)[];

export const accountRow = ({ profile, state, record }: SimulatedAccount, until: Date): AccountRow => ({
  accountId: state.accountId,
  profile,
  timezone: state.timezone,
  locale: state.locale,
  currency: state.currency,
  overdue: state.overdue,
  balance: state.balance,
  collected: state.collected,
  status: state.status,
  closeReason: state.closeReason,
  closedAt: state.closedAt,
  furthestBucket: furthestBucket({ state }, until),
  contacts: record.filter((e) => e.kind === 'contact').length,
  escalationLevel: state.escalationLevel,
  plansAccepted: state.history.plansAccepted,
  promisesMade: state.history.promisesMade,
  promisesKept: state.history.promisesKept,
});

const csvCell = (value: unknown) => {
  const text = value === null || value === undefined ? '' : String(value);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

export const csvHeader = (): string => `${ACCOUNT_COLUMNS.join(',')}\n`;
export const csvLine = (row: AccountRow): string => `${ACCOUNT_COLUMNS.map((c) => csvCell(row[c])).join(',')}\n`;

/**
 * accounts.csv as the run goes: the header at once, a line per account as it finishes (an interrupted run
 * leaves the accounts finished so far). Closing sorts it by account id, so the same seed gives the same
 * file whatever the workers or batches.
 */
export class AccountsCsv {
  private constructor(
    readonly file: string,
    private readonly out: WriteStream,
  ) {}

  static async open(file: string): Promise<AccountsCsv> {
    await mkdir(path.dirname(file), { recursive: true });
    const csv = new AccountsCsv(file, createWriteStream(file));
    csv.out.write(csvHeader());
    return csv;
  }

  readonly write = (row: AccountRow): void => {
    this.out.write(csvLine(row));
  };

  async close(): Promise<void> {
    await new Promise<void>((resolve, reject) =>
      this.out.end((error?: Error | null) => (error ? reject(error) : resolve())),
    );
    const [header, ...lines] = (await readFile(this.file, 'utf8')).split('\n').filter(Boolean);
    // Each line starts with its account id and a comma, which sorts before every character an id may hold
    // (the contract's id pattern (docs/contract.md §1)): the lines sort as their ids do.
    lines.sort();
    // Written whole: the file is never half sorted.
    await writeWholeFile(this.file, [header, ...lines, ''].join('\n'));
  }
}
