// The scenario runner's pace on DynamoDB Local (fidelity first): every scenario we keep and the shared examples,
// one after another on one running instance, as the test suite runs them; an account-cycle is one
// AccountDelinquent's cycle from its event to the scenario's end.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { startDynamoDbLocal } from '../../twin/dynamodb-local';
import { runScenario } from '../scenario/run-scenario';
import { parseScenario } from '../scenario/scenario-file';

export interface ScenarioPace {
  scenarios: number;
  accountCycles: number;
  seconds: number;
  secondsPerAccountCycle: number;
  startSeconds: number;
  slowest: { file: string; accountCycles: number; seconds: number };
}

export const measureScenarioPace = async (dirs: string[]): Promise<ScenarioPace> => {
  const files = dirs.flatMap((dir) =>
    readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .sort()
      .map((f) => path.join(dir, f)),
  );
  const booted = performance.now();
  const dynamo = await startDynamoDbLocal();
  const startSeconds = (performance.now() - booted) / 1000;
  let accountCycles = 0;
  let seconds = 0;
  let slowest = { file: '', accountCycles: 0, seconds: 0 };
  try {
    for (const file of files) {
      const started = performance.now();
      const { result } = await runScenario(parseScenario(readFileSync(file, 'utf8')), {
        dynamoEndpoint: dynamo.endpoint,
      });
      const taken = (performance.now() - started) / 1000;
      const cycles = result.accounts.length;
      accountCycles += cycles;
      seconds += taken;
      // Per account-cycle; a scenario with no delinquent account (only rejected events) has none to be slow in.
      if (cycles > 0 && (slowest.accountCycles === 0 || taken / cycles > slowest.seconds / slowest.accountCycles))
        slowest = { file: path.basename(file), accountCycles: cycles, seconds: taken };
    }
  } finally {
    await dynamo.stop();
  }
  return {
    scenarios: files.length,
    accountCycles,
    seconds,
    secondsPerAccountCycle: seconds / accountCycles,
    startSeconds,
    slowest,
  };
};
