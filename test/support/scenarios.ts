// Runs scenario files through the real local stack (shared DynamoDB Local) for workflow tests.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { localParts } from '../../functions/domain/zoned-time';
import { runScenario, type AccountResult, type RunOptions } from '../../workflows/tools/scenario/run-scenario';
import { parseScenario, type Scenario } from '../../workflows/tools/scenario/scenario-file';
import type { TimelineEntry } from '../../functions/domain/timeline';
import { dynamoEndpoint } from './dynamo';

const root = path.resolve(import.meta.dirname, '../..');
export const EXAMPLE_SCENARIOS = path.join(root, 'examples/scenarios');
export const OUR_SCENARIOS = path.join(root, 'test/scenarios');

export const loadScenario = (file: string): Scenario => parseScenario(readFileSync(file, 'utf8'));

const runs = new Map<string, ReturnType<typeof runScenario>>();

/**
 * Runs a scenario; a file run with no options but its store runs once per test file, however many tests read it.
 * DynamoDB Local is started only for runs on it (the default store).
 */
export const run = async (file: string, options: RunOptions = {}) => {
  const start = async () =>
    runScenario(loadScenario(file), {
      ...(options.store === 'memory' ? {} : { dynamoEndpoint: await dynamoEndpoint() }),
      ...options,
    });
  if (Object.keys(options).some((k) => k !== 'store')) return start();
  const key = `${file}|${options.store ?? 'dynamodb-local'}`;
  if (!runs.has(key)) runs.set(key, start());
  return runs.get(key)!;
};

export const account = (accounts: AccountResult[], id: string): AccountResult => {
  const found = accounts.find((a) => a.accountId === id);
  if (!found) throw new Error(`no account ${id} in the result (have ${accounts.map((a) => a.accountId).join(', ')})`);
  return found;
};

export type ContactEntry = TimelineEntry & {
  channel: string;
  template: string;
  text: string;
  locale: string;
  rule: string;
};
export const contacts = (a: AccountResult): ContactEntry[] =>
  a.timeline.filter((e) => e.kind === 'contact') as ContactEntry[];
export const entries = (a: AccountResult, kind: string) => a.timeline.filter((e) => e.kind === kind);
export const localHour = (at: string, zone: string) => localParts(new Date(at), zone).hour;
export const ms = (at: string) => Date.parse(at);
export const DAY = 86_400_000;
