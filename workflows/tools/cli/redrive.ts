// npm run redrive -- <accountId> <cycleId> [--state-file F (reports/serve.json)] | [--state-machine-arn ARN --region R]
// Restarts the failed execution of an account's cycle (docs/contract.md §10.2.4): Step Functions' RedriveExecution,
// against the running `npm run serve` (its state file) or a deployed state machine. The workflow's state lives in the
// table, so a redriven execution loses nothing and repeats nothing already recorded.
import { parseArgs } from 'node:util';
import { DescribeExecutionCommand, RedriveExecutionCommand, SFNClient } from '@aws-sdk/client-sfn';
import { ID_PATTERN } from '../../../functions/domain/inbound-events';
import { executionName } from '../../../functions/use-cases/execution-name';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../twin/aws-local-ports';
import { DEFAULT_STATE_FILE, readServeState } from './serve-state';

const USAGE =
  'usage: npm run redrive -- <accountId> <cycleId> [--state-file F (reports/serve.json)] | [--state-machine-arn ' +
  'ARN --region R]';
/** Generations an execution of one cycle may have continued through (each handover is a new execution). */
const MAX_GENERATIONS = 100;

const fail = (message: string, code = 2): never => {
  console.error(`${message}\n${USAGE}`);
  process.exit(code);
};

const parseCli = async () => {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        'state-file': { type: 'string' },
        'state-machine-arn': { type: 'string' },
        region: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    return fail((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  if (positionals.length !== 2) fail(`expected <accountId> <cycleId>, got ${positionals.length} argument(s)`);
  const [accountId, cycleId] = positionals as [string, string];
  for (const [name, value] of [
    ['accountId', accountId],
    ['cycleId', cycleId],
  ] as const) {
    if (!ID_PATTERN.test(value)) fail(`${name}: expected 1–64 letters, digits, _ or -, got ${JSON.stringify(value)}`);
  }
  if (values['state-machine-arn']) {
    return {
      accountId,
      cycleId,
      stateMachineArn: values['state-machine-arn'],
      client: new SFNClient(values.region ? { region: values.region } : {}),
    };
  }
  const read = await readServeState(values['state-file'] ?? DEFAULT_STATE_FILE, [
    'eventBridgeEndpoint',
    'stateMachineArn',
  ]);
  if ('problem' in read) return fail(`no --state-machine-arn given and ${read.problem}, or name the state machine`);
  const { state } = read;
  // The local AWS endpoint serves Step Functions beside EventBridge.
  const client = new SFNClient({
    endpoint: state.eventBridgeEndpoint,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
  });
  return { accountId, cycleId, stateMachineArn: state.stateMachineArn, client };
};

const main = async () => {
  const { accountId, cycleId, stateMachineArn, client } = await parseCli();
  const executionArn = (generation: number) =>
    `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${executionName(accountId, cycleId, generation)}`;
  for (let generation = 0; generation < MAX_GENERATIONS; generation += 1) {
    const arn = executionArn(generation);
    let described;
    try {
      described = await client.send(new DescribeExecutionCommand({ executionArn: arn }));
    } catch (error) {
      if ((error as Error).name === 'ExecutionDoesNotExist') break;
      throw error;
    }
    if (described.status !== 'FAILED') continue;
    await client.send(new RedriveExecutionCommand({ executionArn: arn }));
    console.log(`Redriven: ${arn} (it had failed with ${described.error ?? 'an error'}: ${described.cause ?? ''})`);
    return;
  }
  console.error(`No failed execution for account ${accountId}, cycle ${cycleId}: nothing to redrive.`);
  process.exit(1);
};

await main();
