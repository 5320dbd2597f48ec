// npm run report -- [--endpoint URL --table NAME | --table NAME --region R] [--date YYYY-MM-DD] [--out dir (reports)]
// [--state-file F]
// The live portfolio report (docs/contract.md §8) from a running table: the one `npm run serve` runs (read from its
// state file when no table is named) or a deployed one in AWS with the default credential chain.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoAccountStore } from '../../../functions/adapters/aws/dynamodb-account-store';
import { documentClient } from '../../../functions/adapters/aws/dynamo-client';
import { buildPortfolioReport, renderReportCsv, renderReportHtml } from '../../../functions/reporting/portfolio-report';
import { DEFAULT_STATE_FILE, readServeState, serviceNow } from './serve-state';

const USAGE =
  'usage: npm run report -- [--endpoint URL --table NAME | --table NAME --region R] [--date YYYY-MM-DD (today, ' +
  "UTC; from a state file, the service's virtual today)] [--out dir (reports)] [--state-file F " +
  '(reports/serve.json, when no --table)]';

const fail = (message: string, code = 2): never => {
  console.error(`${message}\n${USAGE}`);
  process.exit(code);
};

const parseCli = async () => {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        endpoint: { type: 'string' },
        table: { type: 'string' },
        region: { type: 'string' },
        date: { type: 'string' },
        out: { type: 'string' },
        'state-file': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    return fail((error as Error).message);
  }
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  if (
    values.date !== undefined &&
    (!/^\d{4}-\d{2}-\d{2}$/.test(values.date) || Number.isNaN(Date.parse(`${values.date}T00:00:00Z`)))
  )
    fail(`--date: expected YYYY-MM-DD, got ${values.date}`);
  const today = (now: number) => values.date ?? new Date(now).toISOString().slice(0, 10);
  if (values.table)
    return {
      table: values.table,
      endpoint: values.endpoint,
      region: values.region,
      date: today(Date.now()),
      out: values.out ?? 'reports',
    };
  if (values.endpoint) fail('--endpoint: name the --table too');
  // No table named: the one `npm run serve` is running.
  const stateFile = values['state-file'] ?? DEFAULT_STATE_FILE;
  const read = await readServeState(stateFile, ['dynamodbEndpoint', 'tableName']);
  if ('problem' in read) return fail(`no --table given and ${read.problem}, or name a table`);
  const { state } = read;
  return {
    table: state.tableName,
    endpoint: state.dynamodbEndpoint,
    region: undefined,
    // The service runs on its own clock: its today, not the wall clock's, unless --date says otherwise.
    date: today(serviceNow(state)),
    out: values.out ?? 'reports',
  };
};

const main = async () => {
  const args = await parseCli();
  // DynamoDB Local keeps a database per access key and region: the local stack's own.
  const local = args.endpoint
    ? { endpoint: args.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
    : {};
  const client = new DynamoDBClient({ ...local, ...(args.region ? { region: args.region } : {}) });
  const store = new DynamoAccountStore(documentClient(client), args.table);
  const started = performance.now();
  const report = await buildPortfolioReport(store, args.date);
  await mkdir(args.out, { recursive: true });
  const files = {
    'portfolio.json': `${JSON.stringify(report, null, 2)}\n`,
    'portfolio.csv': renderReportCsv(report),
    'portfolio.html': renderReportHtml(report),
  };
  for (const [name, content] of Object.entries(files)) await writeFile(path.join(args.out, name), content);
  console.log(
    `Portfolio on ${report.asOf} from ${args.table}: ${report.open.accounts} open, ${report.closed.accounts} ` +
      `closed; ${report.payments.monthToDate} payments in ${report.month} ` +
      `(${((performance.now() - started) / 1000).toFixed(1)} s, queries and key reads only)`,
  );
  console.log(
    `Report: ${Object.keys(files)
      .map((f) => path.join(args.out, f))
      .join(', ')}`,
  );
  client.destroy();
};

main().catch((error: Error) => fail(`report failed: ${error.message}`, 1));
