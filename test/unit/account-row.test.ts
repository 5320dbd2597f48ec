// accounts.csv as the run writes it: the header at once, a line per account as it finishes, in account order at the
// end.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ACCOUNT_COLUMNS, AccountsCsv, csvLine, type AccountRow } from '../../workflows/tools/simulation/account-row';

const row = (accountId: string, closeReason: string | null): AccountRow => ({
  accountId,
  profile: 'self-cure',
  timezone: 'America/New_York',
  locale: 'en-US',
  currency: 'USD',
  overdue: 34170,
  balance: 300700,
  collected: 34170,
  status: closeReason ? 'closed' : 'open',
  closeReason,
  closedAt: closeReason ? '2026-01-10T17:00:00.000Z' : null,
  furthestBucket: 'B1',
  contacts: 3,
  escalationLevel: 0,
  plansAccepted: 0,
  promisesMade: 1,
  promisesKept: 1,
});
const cured2 =
  'ACC000002,self-cure,America/New_York,en-US,USD,34170,300700,34170,' +
  'closed,cured,2026-01-10T17:00:00.000Z,B1,3,0,0,1,1';
const open = (id: string) => `${id},self-cure,America/New_York,en-US,USD,34170,300700,34170,open,,,B1,3,0,0,1,1`;

describe('accounts.csv', () => {
  it(
    'starts with the header and gains a line per account as it finishes, empty cells for nulls; in account ' +
      'order once closed',
    async () => {
      const file = path.join(mkdtempSync(path.join(tmpdir(), 'accounts-csv-')), 'deep', 'accounts.csv');
      const csv = await AccountsCsv.open(file);
      csv.write(row('ACC000002', 'cured'));
      // Readable while the run goes on: what has finished so far (the stream writes it a moment later).
      await expect
        .poll(() => readFileSync(file, 'utf8').split('\n'), { timeout: 5_000 })
        .toEqual([ACCOUNT_COLUMNS.join(','), cured2, '']);
      csv.write(row('ACC000010', null));
      csv.write(row('ACC000001', null));
      // An id that is the start of others comes first, as the ids sort.
      csv.write(row('ACC00000', null));
      await csv.close();
      expect(readFileSync(file, 'utf8').split('\n')).toEqual([
        ACCOUNT_COLUMNS.join(','),
        open('ACC00000'),
        open('ACC000001'),
        cured2,
        open('ACC000010'),
        '',
      ]);
    },
  );

  it('quotes a cell that holds a comma or a quote', () => {
    expect(csvLine({ ...row('ACC000001', null), timezone: 'Etc/"GMT", west' })).toBe(
      'ACC000001,self-cure,"Etc/""GMT"", west",en-US,USD,34170,300700,34170,open,,,B1,3,0,0,1,1\n',
    );
  });
});
