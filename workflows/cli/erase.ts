// npm run erase -- <accountId> --table NAME [--endpoint URL] [--region R] [--letters-dir DIR | --bucket NAME]
// Right to erasure against a live table (local or in AWS, with the default credential chain): the same
// function the stack deploys as `Erase`.
import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoAccountStore } from '../../functions/adapters/aws/dynamodb-account-store';
import { documentClient } from '../../functions/adapters/aws/dynamo-client';
import { systemClock } from '../../functions/adapters/clock';
import { makeHandler } from '../../functions/handlers/erase/handler';
import { S3Client } from '@aws-sdk/client-s3';
import { s3Documents } from '../../functions/adapters/aws/s3-documents';
import { folderDocuments } from '../../functions/adapters/in-process/local-documents';
import type { DocumentStore } from '../../functions/ports';

/** No place named: nothing to remove (and the CLI says so). */
const noDocuments: DocumentStore = { put: async () => {}, removeAll: async () => [] };

const USAGE =
  'usage: npm run erase -- <accountId> --table NAME [--endpoint URL] [--region R] [--letters-dir DIR (a local ' +
  "run's folder, e.g. reports for npm run serve) | --bucket NAME (the stack's DocumentsBucket)]";

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
        'letters-dir': { type: 'string' },
        bucket: { type: 'string' },
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
  const { bucket, 'letters-dir': lettersDir } = parsed.values;
  if (bucket && lettersDir) return fail(`--letters-dir and --bucket: name one place letters are kept\n${USAGE}`);
  const s3 = bucket ? new S3Client({ region: parsed.values.region ?? process.env.AWS_REGION ?? 'us-east-1' }) : null;
  // Letters name the customer: they go too, from wherever this deployment keeps them.
  const documents = s3 ? s3Documents(s3, bucket!) : lettersDir ? folderDocuments(lettersDir) : null;
  if (!documents) console.error("note: no --letters-dir or --bucket given, so the account's letters are not erased");
  const log = { info: () => {}, warn: () => {}, error: () => {} };
  try {
    const result = await makeHandler({ clock: systemClock, accounts, documents: documents ?? noDocuments, log })({
      accountId,
    });
    console.log(JSON.stringify(result, null, 2));
  } catch (error) {
    fail(`erase ${accountId}: ${(error as Error).message}`, 1);
  } finally {
    client.destroy();
    s3?.destroy();
  }
};

void main();
