// npm run serve -- [--speed N (60)] [--policy P] [--policy-file F] [--demo N (50)] [--seed S] [--port P] [--state-file
// F (reports/serve.json)] [--agents N (3)] [--pay-url <template>|local-bank|none] [--debit-failure-rate R (0.1)]
// The whole system locally, kept running until Ctrl-C (docs/contract.md §6).
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { choosePack } from '../../../policies/pack-file';
import { payUrlProblem } from '../../../functions/domain/pay-url-template';
import { DEMO_WARM_UP_DAYS, demoStart } from './demo-portfolio';
import { LiveStack } from '../../twin/live-stack';
import { writeWholeFile } from '../../twin/write-whole-file';

const USAGE =
  'usage: npm run serve -- [--speed N (60)] [--policy us-regf|cn] [--policy-file <pack.json>] [--demo N (50)] ' +
  '[--seed S] [--port P (8787 if free)] [--state-file F (reports/serve.json)] [--agents N (3)] ' +
  "[--pay-url <template with {accountId} {amount} {currency} {reference}>|local-bank|none (the pack's, else " +
  'local-bank)] [--debit-failure-rate R (0.1)]';

const fail = (message: string, code = 2): never => {
  console.error(`${message}\n${USAGE}`);
  process.exit(code);
};

const integer = (name: string, value: string | undefined, fallback: number, min: number): number => {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) fail(`--${name}: expected an integer >= ${min}, got ${value}`);
  return n;
};

const parseCli = () => {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        speed: { type: 'string' },
        policy: { type: 'string' },
        'policy-file': { type: 'string' },
        demo: { type: 'string' },
        seed: { type: 'string' },
        port: { type: 'string' },
        'state-file': { type: 'string' },
        agents: { type: 'string' },
        'pay-url': { type: 'string' },
        'debit-failure-rate': { type: 'string' },
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
  const speed = values.speed === undefined ? 60 : Number(values.speed);
  if (!(Number.isFinite(speed) && speed > 0 && speed <= 86_400))
    fail(`--speed: expected a number from 0 (exclusive) to 86400, got ${values.speed}`);
  let pack;
  try {
    pack = choosePack({ policy: values.policy, policyFile: values['policy-file'] });
  } catch (error) {
    return fail(`--${values['policy-file'] ? 'policy-file ' : ''}${(error as Error).message}`);
  }
  // The pay link (docs/contract.md §3.18): the bank's page where given, else the local bank's, so links work end to
  // end.
  const payOption = values['pay-url'] ?? pack.payUrl ?? 'local-bank';
  const payProblem = payOption === 'local-bank' || payOption === 'none' ? null : payUrlProblem(payOption);
  if (payProblem) fail(`--pay-url: ${payProblem}`);
  const debitFailureRate = values['debit-failure-rate'] === undefined ? 0.1 : Number(values['debit-failure-rate']);
  if (!(debitFailureRate >= 0 && debitFailureRate <= 1))
    fail(`--debit-failure-rate: expected a share from 0 to 1, got ${values['debit-failure-rate']}`);
  return {
    speed,
    pack: payOption === 'none' ? { ...pack, payUrl: undefined } : pack,
    payUrl: payOption === 'none' ? undefined : payOption,
    debitFailureRate,
    demo: integer('demo', values.demo, 50, 0),
    seed: integer('seed', values.seed, 1, 0),
    port: values.port === undefined ? undefined : integer('port', values.port, 0, 1),
    agents: integer('agents', values.agents, 3, 1),
    stateFile: values['state-file'] ?? path.join('reports', 'serve.json'),
  };
};

const main = async () => {
  const options = parseCli();
  console.log(
    `Starting the local stack (DynamoDB Local, local SES, the workflow, the API) at ${options.speed}× real time…`,
  );
  if (options.demo)
    console.log(
      `Running the ${DEMO_WARM_UP_DAYS} days before launch for ${options.demo} demo accounts at full speed ` +
        `(about ${Math.ceil(5 + options.demo / 5)} s)…`,
    );
  const live = await LiveStack.start({
    pack: options.pack,
    speed: options.speed,
    demo: options.demo
      ? demoStart({ accounts: options.demo, country: options.pack.country, seed: options.seed ?? 1 })
      : undefined,
    seed: options.seed,
    port: options.port,
    agents: options.agents,
    payUrl: options.payUrl,
    debitFailureRate: options.debitFailureRate,
    documentsDir: path.dirname(path.resolve(options.stateFile)),
  });
  const { addresses } = live;
  console.log(
    [
      '',
      `  EventBridge (PutEvents, bus "collections"): ${addresses.eventBridgeEndpoint}`,
      `  HTTP API:                                  ${addresses.apiUrl}`,
      `  Collector desk:                            ${addresses.deskUrl}`,
      `  Sent email (local SES inbox):              ${addresses.inboxUrl}   (JSON: ${addresses.inboxUrl}/store)`,
      `  Sent SMS (JSON):                           ${addresses.smsInboxUrl}`,
      `  DynamoDB Local:                            ${addresses.dynamodbEndpoint}   table ${addresses.tableName}`,
      `  Dead-letter queue (SQS):                   ${addresses.deadLetterQueueUrl}`,
      `  Collectors:                                ${addresses.agents.map((a) => a.agentId).join(', ')} ` +
        `(bearer tokens in the state file; agent-1 is a supervisor)`,
      `  Local bank (stand-in: pay page, debits):   ${addresses.bankUrl}   ` +
        `(refuses ${Math.round(options.debitFailureRate * 100)}% of debits)`,
      `  State file:                                ${path.resolve(options.stateFile)}`,
      `  Letters (PDF, for the print vendor):       ` +
        `${path.join(path.dirname(path.resolve(options.stateFile)), 'letters')}`,
      '',
      `Policy ${options.pack.id}; ${options.demo} demo accounts, from just past due to the agency; calls due ` +
        `now are on the desk. Virtual time now ${live.clock.now().toISOString()}. Ctrl-C stops.`,
    ].join('\n'),
  );

  // Printed first, then the file, written whole: whoever polls for it (a test, the bank's script) finds
  // the addresses on screen already and never reads half a file.
  await writeWholeFile(options.stateFile, `${JSON.stringify(addresses, null, 2)}\n`);

  // A line per virtual day, so a long run shows it is alive.
  let lastDay = live.clock.now().toISOString().slice(0, 10);
  const heartbeat = setInterval(() => {
    const day = live.clock.now().toISOString().slice(0, 10);
    if (day === lastDay) return;
    lastDay = day;
    const sent = live.stack.outputs.eventsOut.filter((e) => e.detailType === 'ContactAttempted').length;
    const closed = live.stack.outputs.eventsOut.filter((e) => e.detailType === 'CycleClosed').length;
    console.log(
      `  ${day}: ${sent} contacts, ${closed} cycles closed, ${live.stack.outputs.deadLetters.length} dead letters`,
    );
  }, 1000);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    clearInterval(heartbeat);
    console.log(`\n${signal}: stopping…`);
    await live.stop();
    await rm(options.stateFile, { force: true });
    console.log('Stopped; every local service is down and its ports are free.');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
};

main().catch((error: Error) => {
  console.error(`serve: ${error.message}`);
  process.exit(1);
});
