// npm run erase -- <accountId> --table NAME [--endpoint URL] [--region R]
// Right to erasure against a live table (local or in AWS, with the default credential chain): the same
// function the stack deploys as `Erase`.
import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoAccountStore } from '../../functions/adapters/aws/dynamodb-account-store';
import { documentClient } from '../../functions/adapters/aws/dynamo-client';
import { systemClock } from '../../functions/adapters/clock';
import { makeHandler } from '../../functions/handlers/erase/handler';

const USAGE = 'usage: npm run erase -- <accountId> --table NAME [--endpoint URL] [--region R]';

const fail = (message: string, code = 2): never => {
  console.error(message);
  process.exit(code);
};

const main = async () => {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        table: { type: 'string' },
        endpoint: { type: 'string' },
        region: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    return fail(`${(error as Error).message}\n${USAGE}`);
  }
  if (parsed.values.help) return void console.log(USAGE);
  const [accountId, ...extra] = parsed.positionals;
  if (!accountId || extra.length > 0) return fail(`expected exactly one account id\n${USAGE}`);
  if (!parsed.values.table) return fail(`--table: the table name is required\n${USAGE}`);
  const client = new DynamoDBClient({
    endpoint: parsed.values.endpoint,
    region: parsed.values.region ?? process.env.AWS_REGION ?? 'us-east-1',
    maxAttempts: 5,
  });
  const accounts = new DynamoAccountStore(documentClient(client), parsed.values.table);
  const log = { info: () => {}, warn: () => {}, error: () => {} };
  try {
    const result = await makeHandler({ clock: systemClock, accounts, log })({ accountId });
    console.log(JSON.stringify(result, null, 2));
  } catch (error) {
    fail(`erase ${accountId}: ${(error as Error).message}`, 1);
  } finally {
    client.destroy();
  }
};

void main();
