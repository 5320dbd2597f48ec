// functions/handlers/report/handler.ts — the daily portfolio report in AWS (docs/contract.md §8): EventBridge Scheduler
// invokes it each morning; it reads the status index and the per-day figures (never a scan) and writes the
// previous UTC day's report as HTML, JSON and CSV under reports/<date>/ in the documents bucket.
import { addDays } from '../../domain/zoned-time';
import type { Clock, DocumentStore, Log, PortfolioReader } from '../../ports';
import { buildPortfolioReport, renderReportCsv, renderReportHtml } from '../../reporting/portfolio-report';

export interface ReportDeps {
  clock: Clock;
  reader: PortfolioReader;
  documents: DocumentStore;
  log: Log;
}

/** `date` (YYYY-MM-DD) reports that day; by default the day before the run, the last complete UTC day. */
export const makeHandler =
  (deps: ReportDeps) =>
  async (raw: unknown): Promise<{ date: string; keys: string[] }> => {
    const asked = (raw as { date?: unknown } | null)?.date;
    if (asked !== undefined && (typeof asked !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(asked)))
      throw new Error(`date: expected YYYY-MM-DD, got ${JSON.stringify(asked)}`);
    const date = asked ?? addDays(deps.clock.now().toISOString().slice(0, 10), -1);
    const report = await buildPortfolioReport(deps.reader, date);
    const files: [string, string, string][] = [
      ['portfolio.html', renderReportHtml(report), 'text/html; charset=utf-8'],
      ['portfolio.json', `${JSON.stringify(report, null, 2)}\n`, 'application/json'],
      ['portfolio.csv', renderReportCsv(report), 'text/csv; charset=utf-8'],
    ];
    const keys = files.map(([name]) => `reports/${date}/${name}`);
    await Promise.all(
      files.map(([, body, type], i) => deps.documents.put(keys[i]!, new TextEncoder().encode(body), type)),
    );
    deps.log.info('portfolio report written', {
      date,
      open: report.open.accounts,
      closed: report.closed.accounts,
      keys,
    });
    return { date, keys };
  };
