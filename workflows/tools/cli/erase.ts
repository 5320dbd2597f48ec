// npm run erase -- <accountId> --table NAME [--endpoint URL] [--region R] [--letters-dir DIR | --bucket NAME]
//   [--dead-letter-queue URL]  |  npm run erase -- <accountId> --state-file reports/serve.json
// Right to erasure against a live table (local or in AWS, with the default credential chain): the same
// function the stack deploys as `Erase`. A running `npm run serve` is named by its state file, which holds
// where its table, letters and dead letters are.
import { parseArgs } from 'node:util';
import { lettersDirOf, readServeState, serviceNow } from './serve-state';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../twin/aws-local-ports';
import { countDynamoRequests, emptyUsage, runAs } from '../../twin/usage';
import { deadLetterErasureWithGrants, documentsWithGrants } from '../../twin/service-iam';
import { loadWorkflow } from '../../twin/synthesized-workflow';
import { POLICY_PACKS } from '../../../policies/built-in-packs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoAccountStore } from '../../../functions/adapters/aws/dynamodb-account-store';
import { documentClient } from '../../../functions/adapters/aws/dynamo-client';
import { systemClock } from '../../../functions/adapters/clock';
import { makeHandler } from '../../../functions/handlers/erase/handler';
import { S3Client } from '@aws-sdk/client-s3';
import { s3Documents } from '../../../functions/adapters/aws/s3-documents';
import { folderDocuments } from '../../../functions/adapters/in-process/local-documents';
import type { Clock, DeadLetterErasure, DocumentStore } from '../../../functions/ports';
import { newSqsClient, sqsDeadLetterErasure } from '../../../functions/adapters/aws/sqs-dead-letters';

/** No place named: nothing to remove (and the CLI says so). */
const noDocuments: DocumentStore = { put: async () => {}, removeAll: async () => [] };
const noDeadLetters: DeadLetterErasure = { removeAccount: async () => [] };

const USAGE =
  'usage: npm run erase -- <accountId> --state-file F (a running npm run serve: reports/serve.json) | ' +
  '--table NAME [--endpoint URL] [--region R] [--letters-dir DIR (a local ' +
  "run's folder, e.g. reports for npm run serve) | --bucket NAME (the stack's DocumentsBucket)] " +
  "[--dead-letter-queue URL (the stack's DeadLetterQueueUrl, or the one npm run serve prints)]";

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
        'dead-letter-queue': { type: 'string' },
        'state-file': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    return fail(`${(error as Error).message}\n${USAGE}`);
  }
  if (parsed.values.help) return void console.log(USAGE);
  const [accountId, ...extra] = parsed.positionals;
  if (!accountId || extra.length > 0) return fail(`expected exactly one account id\n${USAGE}`);
  const stateFile = parsed.values['state-file'];
  let served = {};
  // A running service: its table and dead letters on its endpoints, its letters beside the state file, its clock.
  let clock: Clock = systemClock;
  if (stateFile) {
    const read = await readServeState(stateFile, ['tableName', 'dynamodbEndpoint', 'deadLetterQueueUrl']);
    if ('problem' in read) return fail(`--state-file: ${read.problem}\n${USAGE}`);
    const { state } = read;
    served = {
      table: state.tableName,
      endpoint: state.dynamodbEndpoint,
      'dead-letter-queue': state.deadLetterQueueUrl,
      'letters-dir': lettersDirOf(stateFile),
    };
    clock = { now: () => new Date(serviceNow(state)) };
  }
  // What is named on the command line wins over the state file.
  const values: typeof parsed.values = { ...served, ...parsed.values };
  if (!values.table) return fail(`--table: the table name is required (or --state-file)\n${USAGE}`);
  // DynamoDB Local keeps a database per access key and region: the local stack's own.
  const client = new DynamoDBClient({
    ...(values.endpoint
      ? { endpoint: values.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS }
      : { region: values.region ?? process.env.AWS_REGION ?? 'us-east-1' }),
    maxAttempts: 5,
  });
  // Against the local stack the erasure runs as the Erase function, its calls held to that role's grants as the
  // stack's own functions' are (docs/contract.md §10.2.1); in AWS the operator's credentials decide.
  const local = values.endpoint !== undefined;
  // The Erase function's role as the template has it (the same under every pack), for all its calls.
  const iam = local ? (await loadWorkflow(POLICY_PACKS['us-regf'])).iam : null;
  if (iam) countDynamoRequests(client, emptyUsage(), iam);
  const asErase = <T>(work: () => Promise<T>) =>
    local ? runAs({ name: 'erase', wrote: false, wroteOutbox: false, at: clock.now().getTime() }, work) : work();
  const accounts = new DynamoAccountStore(documentClient(client), values.table);
  const { bucket, 'letters-dir': lettersDir } = values;
  if (bucket && lettersDir) return fail(`--letters-dir and --bucket: name one place letters are kept\n${USAGE}`);
  const s3 = bucket ? new S3Client({ region: values.region ?? process.env.AWS_REGION ?? 'us-east-1' }) : null;
  // Letters name the customer: they go too, from wherever this deployment keeps them.
  const documents = s3 ? s3Documents(s3, bucket!) : lettersDir ? folderDocuments(lettersDir) : null;
  if (!documents) console.error("note: no --letters-dir or --bucket given, so the account's letters are not erased");
  const queueUrl = values['dead-letter-queue'];
  if (queueUrl !== undefined && !URL.canParse(queueUrl))
    return fail(`--dead-letter-queue: expected the queue's URL, got ${JSON.stringify(queueUrl)}\n${USAGE}`);
  // The SQS client sends to the queue's own URL, in AWS and locally alike.
  const loopback = queueUrl !== undefined && ['127.0.0.1', 'localhost', '[::1]'].includes(new URL(queueUrl).hostname);
  const sqs = queueUrl
    ? newSqsClient(
        loopback
          ? { region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS }
          : { region: values.region ?? process.env.AWS_REGION ?? 'us-east-1' },
      )
    : null;
  if (!sqs) console.error("note: no --dead-letter-queue given, so the account's dead letters are not erased");
  const log = { info: () => {}, warn: () => {}, error: () => {} };
  try {
    const deadLetters = sqs ? sqsDeadLetterErasure(sqs, queueUrl!) : noDeadLetters;
    const result = await asErase(() =>
      makeHandler({
        clock,
        accounts,
        documents: iam ? documentsWithGrants(iam, documents ?? noDocuments) : (documents ?? noDocuments),
        deadLetters: iam ? deadLetterErasureWithGrants(iam, deadLetters) : deadLetters,
        log,
      })({ accountId }),
    );
    console.log(JSON.stringify(result, null, 2));
  } catch (error) {
    fail(`erase ${accountId}: ${(error as Error).message}`, 1);
  } finally {
    client.destroy();
    s3?.destroy();
    sqs?.destroy();
  }
};

void main();
