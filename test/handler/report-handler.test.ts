// The daily report function (AWS: EventBridge Scheduler → this handler → S3): it reports the previous UTC
// day by default, writes HTML, JSON and CSV under reports/<date>/, and refuses a malformed date.
import { describe, expect, it } from 'vitest';
import { MemoryAccountStore } from '../../functions/adapters/in-process/memory-account-store';
import { memoryDocuments } from '../../functions/adapters/in-process/local-documents';
import { applyEvent } from '../../functions/domain/apply-event';
import { POLICY_PACKS } from '../../policies/built-in-packs';
import { makeHandler } from '../../functions/handlers/report/handler';
import type { Log } from '../../functions/ports';
import { at, delinquent } from '../support/fixtures';

const quiet: Log = { info: () => {}, warn: () => {}, error: () => {}, debug: () => {} } as unknown as Log;

describe('the daily report function', () => {
  it("writes yesterday's report in three formats, with the figures the store holds", async () => {
    const store = new MemoryAccountStore();
    for (const accountId of ['D1', 'D2']) {
      const opened = applyEvent(null, delinquent({ accountId }), at('2026-03-09T06:00:00Z'), POLICY_PACKS['us-regf']);
      if (opened.kind !== 'applied') throw new Error(opened.reason);
      await store.save({
        state: opened.state,
        expectedVersion: null,
        entries: opened.entries,
        profile: opened.profile,
      });
    }
    const documents = memoryDocuments();
    const handler = makeHandler({
      clock: { now: () => at('2026-03-10T06:00:00Z') },
      reader: store,
      documents,
      log: quiet,
    });
    expect(await handler({})).toEqual({
      date: '2026-03-09',
      keys: [
        'reports/2026-03-09/portfolio.html',
        'reports/2026-03-09/portfolio.json',
        'reports/2026-03-09/portfolio.csv',
      ],
    });
    const json = JSON.parse(
      new TextDecoder().decode(documents.documents.get('reports/2026-03-09/portfolio.json')!.body),
    );
    expect(json).toMatchObject({ asOf: '2026-03-09', open: { accounts: 2 } });
    expect(documents.documents.get('reports/2026-03-09/portfolio.html')!.contentType).toBe('text/html; charset=utf-8');
    expect(new TextDecoder().decode(documents.documents.get('reports/2026-03-09/portfolio.csv')!.body)).toMatch(
      /^section,metric,period,value\n/,
    );
    await expect(handler({ date: '09/03/2026' })).rejects.toThrow('date: expected YYYY-MM-DD, got "09/03/2026"');
    expect((await handler({ date: '2026-02-28' })).date).toBe('2026-02-28');
  });
});
