// accounts.csv as the run writes it: the header at once, a line per account as it finishes, quoted where needed.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ACCOUNT_COLUMNS, AccountsCsv, type AccountRow } from '../../workflows/simulation/account-row';

const row = (accountId: string, closeReason: string | null): AccountRow => ({
  accountId, profile: 'self-cure', timezone: 'America/New_York', locale: 'en-US', currency: 'USD', overdue: 34170, balance: 300700, collected: 34170,
  status: closeReason ? 'closed' : 'open', closeReason, closedAt: closeReason ? '2026-01-10T17:00:00.000Z' : null, furthestBucket: 'B1',
  contacts: 3, escalationLevel: 0, plansAccepted: 0, promisesMade: 1, promisesKept: 1,
});

describe('accounts.csv', () => {
  it('starts with the header and gains one line per account written, empty cells for nulls, quotes where a cell needs them', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'accounts-csv-')), 'deep', 'accounts.csv');
    const csv = await AccountsCsv.open(file);
    csv.write(row('ACC000002', 'cured'));
    csv.write(row('ACC000001, "the first"', null));
    await csv.close();
    const lines = readFileSync(file, 'utf8').split('\n');
    expect(lines[0]).toBe(ACCOUNT_COLUMNS.join(','));
    expect(lines[1]).toBe('ACC000002,self-cure,America/New_York,en-US,USD,34170,300700,34170,closed,cured,2026-01-10T17:00:00.000Z,B1,3,0,0,1,1');
    expect(lines[2]).toBe('"ACC000001, ""the first""",self-cure,America/New_York,en-US,USD,34170,300700,34170,open,,,B1,3,0,0,1,1');
    expect(lines).toHaveLength(4);
    expect(lines[3]).toBe('');
  });
});
