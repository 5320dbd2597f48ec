// The handlers as deployed: each bundle built with the stack's esbuild options and run in a fresh Node
// process with a Lambda-like environment (the role's credentials in environment variables, no AWS
// config files), against DynamoDB Local.
import { spawnSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { copyFileSync, mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { DynamoAccountStore } from '../../functions/adapters/aws/dynamodb-account-store';
import { TRACER_ENVIRONMENT } from '../../infra/collection-function';
import { applyEvent } from '../../functions/domain/apply-event';
import { POLICY_PACKS } from '../../policies/built-in-packs';
import { buildBundle, HANDLERS } from '../../workflows/tools/bench/build-bundle';
import { LETTER_FONT_FILE } from '../../functions/adapters/letter-fonts';
import { delinquent } from '../support/fixtures';
import { localTable } from '../support/local-table';
import { dynamoEndpoint } from '../support/dynamo';

const DAY = 86_400_000;
const dir = mkdtempSync(path.join(tmpdir(), 'bundles-'));
const bundleOf = (handler: string) => path.join(dir, `${handler}.mjs`);
let table: Awaited<ReturnType<typeof localTable>>;
let endpoint: string;

beforeAll(async () => {
  table = await localTable();
  endpoint = await dynamoEndpoint();
  for (const handler of HANDLERS) await buildBundle(handler, bundleOf(handler));
}, 60_000);

const lambdaEnv = (service: string): NodeJS.ProcessEnv => ({
  PATH: process.env.PATH,
  HOME: mkdtempSync(path.join(tmpdir(), 'home-')),
  AWS_REGION: 'us-east-1',
  // DynamoDB Local keeps a database per access key: the same key as the test's own clients (vitest.config.ts).
  AWS_ACCESS_KEY_ID: 'local',
  AWS_SECRET_ACCESS_KEY: 'local',
  AWS_SESSION_TOKEN: 'local-session',
  // Should the bundle fall back to the default chain, it must fail fast rather than probe for instance metadata.
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_ENDPOINT_URL_DYNAMODB: endpoint,
  TABLE_NAME: table.tableName,
  POLICY_PACK: JSON.stringify(POLICY_PACKS['us-regf']),
  EVENT_BUS_NAME: 'collections',
  POWERTOOLS_SERVICE_NAME: service,
  // Set by Lambda on every on-demand function: Powertools reads it to flag the cold start.
  AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
});

/** An account that fell due ten days ago by the system clock, which the bundles run on. */
const saveDelinquent = async (accountId: string) => {
  const dueDate = new Date(Date.now() - 10 * DAY).toISOString().slice(0, 10);
  const opened = applyEvent(null, delinquent({ accountId, dueDate }), new Date(), POLICY_PACKS['us-regf']);
  if (opened.kind !== 'applied') throw new Error(opened.reason);
  const saved = await new DynamoAccountStore(table.doc, table.tableName).save({
    state: opened.state,
    expectedVersion: null,
    entries: opened.entries,
    profile: opened.profile,
  });
  if (saved.kind !== 'saved') throw new Error(saved.kind);
  return saved;
};

/** Invokes a bundle's `handler` with one event; its result comes back on a line of its own. */
const invoke = (bundle: string, event: unknown, env: NodeJS.ProcessEnv) => {
  // A Lambda-like context: the request id and cold start must reach every log line.
  const script = `const { handler } = await import(${JSON.stringify(bundle)});
    const context = { awsRequestId: 'req-1', functionName: 'Collections-Diagnose', functionVersion: '$LATEST',
      memoryLimitInMB: '512', getRemainingTimeInMillis: () => 20000,
      invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:Collections-Diagnose' };
    const result = await handler(JSON.parse(process.argv[1]), context);
    process.stdout.write('\\nRESULT ' + JSON.stringify(result) + '\\n');`;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script, JSON.stringify(event)], {
    env,
    encoding: 'utf8',
    timeout: 30_000,
  });
  const line = run.stdout.split('\n').find((l) => l.startsWith('RESULT '));
  return {
    status: run.status,
    stdout: run.stdout,
    stderr: run.stderr,
    result: line ? JSON.parse(line.slice('RESULT '.length)) : undefined,
  };
};

describe('handler bundles, as deployed', () => {
  it('each loads in a fresh Node process', () => {
    for (const handler of HANDLERS) {
      const run = spawnSync(
        process.execPath,
        [
          '--input-type=module',
          '-e',
          `const m = await import(${JSON.stringify(bundleOf(handler))}); if (typeof m.handler !== 'function') ` +
            `process.exit(2);`,
        ],
        { encoding: 'utf8' },
      );
      expect({ handler, status: run.status, stderr: run.stderr }).toEqual({ handler, status: 0, stderr: '' });
    }
  });

  it('renders a Chinese letter bundled as the letter function is, the font read from beside it', async () => {
    // The letter function's renderer, bundled with the same options; the font is copied beside it as the stack's
    // asset
    // hook does.
    const assetDir = mkdtempSync(path.join(tmpdir(), 'letter-asset-'));
    const bundle = path.join(assetDir, 'index.mjs');
    await buildBundle(
      {
        contents: [
          `import { renderLetterPdf } from './functions/adapters/pdf-letters.ts';`,
          'export { renderLetterPdf };',
        ].join(' '),
      },
      bundle,
    );
    copyFileSync(
      createRequire(import.meta.url).resolve(`@fontsource/noto-sans-sc/files/${LETTER_FONT_FILE}`),
      path.join(assetDir, LETTER_FONT_FILE),
    );
    const letter = {
      letterId: 'L1',
      template: 'final-notice',
      locale: 'zh-CN',
      date: '2026-04-01',
      from: '示例银行',
      title: '最后通知',
      greeting: '尊敬的客户:',
      paragraphs: ['您的信用卡已逾期90天。'],
      contact: ['客服电话:400 800 0100'],
    };
    const script =
      `const { renderLetterPdf } = await import(${JSON.stringify(bundle)}); const pdf = await ` +
      `renderLetterPdf(JSON.parse(process.argv[1])); process.stdout.write(String(pdf.length) + ' ' + ` +
      `pdf.subarray(0, 5).toString());`;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script, JSON.stringify(letter)], {
      env: { PATH: process.env.PATH, LETTER_FONTS_DIR: assetDir },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(run.stderr).toBe('');
    const [size, magic] = run.stdout.split(' ');
    expect(magic).toBe('%PDF-');
    expect(Number(size)).toBeGreaterThan(3000);
  });

  it('diagnose reads the account from DynamoDB with the credentials Lambda puts in the environment', async () => {
    const saved = await saveDelinquent('BUNDLE1');

    const run = invoke(bundleOf('diagnose'), { accountId: 'BUNDLE1', cycleId: '2026-01' }, lambdaEnv('diagnose'));

    expect(run.stderr).toBe('');
    expect(run.result).toMatchObject({
      accountId: 'BUNDLE1',
      cycleId: '2026-01',
      loop: 1,
      step: { version: saved.state.version, bucket: 'B1' },
    });
    expect(run.result.step.dpd).toBeGreaterThanOrEqual(9);
    expect(run.result.step.dpd).toBeLessThanOrEqual(11);
    // Its structured log line is there, and carries no PII.
    const logLine = JSON.parse(run.stdout.split('\n').find((l) => l.includes('"message":"diagnosed"'))!);
    expect(logLine).toMatchObject({
      function_request_id: 'req-1',
      cold_start: true,
      service: 'diagnose',
      accountId: 'BUNDLE1',
    });
    expect(run.stdout).not.toContain('Ana Diaz');
  });

  it('traces an invocation in Lambda: the handler and each DynamoDB call are subsegments, without data', async () => {
    await saveDelinquent('TRACED1');
    // A stand-in for the X-Ray daemon beside a function: the X-Ray SDK streams each closed subsegment to it over UDP.
    const daemon = createSocket('udp4');
    const subsegments: any[] = [];
    daemon.on('message', (packet) => subsegments.push(JSON.parse(packet.toString().split('\n')[1]!)));
    await new Promise<void>((resolve) => daemon.bind(0, '127.0.0.1', resolve));
    const traceId = '1-5759e988-bd862e3fe1be46a994272793';
    try {
      const run = invoke(
        bundleOf('diagnose'),
        { accountId: 'TRACED1', cycleId: '2026-01' },
        {
          ...lambdaEnv('diagnose'),
          ...TRACER_ENVIRONMENT,
          // What Lambda sets that turns the tracer on and roots it in the invocation's trace.
          AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
          LAMBDA_TASK_ROOT: dir,
          _HANDLER: 'index.handler',
          _X_AMZN_TRACE_ID: `Root=${traceId};Parent=53995c3f42cd8ad8;Sampled=1`,
          AWS_XRAY_DAEMON_ADDRESS: `127.0.0.1:${(daemon.address() as { port: number }).port}`,
        },
      );
      expect(run.stderr).toBe('');
      expect(run.result).toMatchObject({ accountId: 'TRACED1', step: { bucket: 'B1' } });
      await vi.waitFor(() => expect(subsegments.map((s) => s.name)).toContain('## index.handler'));
    } finally {
      daemon.close();
    }
    const invocation = subsegments.find((s) => s.name === '## index.handler');
    expect(invocation).toMatchObject({ trace_id: traceId, annotations: { ColdStart: true, Service: 'diagnose' } });
    // The account store's reads went through the traced client, under the invocation.
    const calls = subsegments.filter((s) => s.namespace === 'aws');
    expect(calls.length).toBeGreaterThan(0);
    for (const call of calls) {
      expect(call).toMatchObject({ name: 'DynamoDB', parent_id: invocation.id, aws: { table_name: table.tableName } });
    }
    // Neither the handler's response nor the customer is in the trace.
    expect(invocation).not.toHaveProperty('metadata');
    expect(JSON.stringify(subsegments)).not.toMatch(/Ana Diaz|"step"/);
  });

  it(
    'writes what an invocation counted as one EMF record when it ends, logs the request on every line, and ' +
      "lets a handler's error through by name",
    async () => {
      const probe = path.join(dir, 'probe.mjs');
      await buildBundle(
        {
          contents: [
            `import { lambdaHandler } from './functions/adapters/aws/lambda-handler.ts';`,
            `import { powertoolsLog, powertoolsMetrics } from './functions/adapters/aws/powertools.ts';`,
            `import { TransientError } from './functions/errors.ts';`,
            `export const handler = lambdaHandler('probe', () => {`,
            `  const log = powertoolsLog('probe');`,
            `  const metrics = powertoolsMetrics('probe');`,
            `  return async ({ count, fail }) => {`,
            `    log.info('probed');`,
            `    if (count) {`,
            `      metrics.count('resume-stale');`,
            `      metrics.count('resume-stale');`,
            `      metrics.count('held', 2);`,
            `    }`,
            `    if (fail) throw new TransientError('table busy');`,
            `    return 'done';`,
            `  };`,
            `});`,
          ].join('\n'),
        },
        probe,
      );
      // Three invocations of one warm function: counts and succeeds, counts and fails, counts nothing.
      const script = `const { handler } = await import(${JSON.stringify(probe)});
        const context = (id) => ({ awsRequestId: id, functionName: 'Collections-Probe', functionVersion: '$LATEST',
          memoryLimitInMB: '512', getRemainingTimeInMillis: () => 20000,
          invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:Collections-Probe' });
        const events = [{ count: true }, { count: true, fail: true }, {}];
        for (const [i, event] of events.entries()) {
          try { process.stdout.write('RESULT ' + JSON.stringify(await handler(event, context('req-' + i))) + '\\n'); }
          catch (error) { process.stdout.write('ERROR ' + error.name + '\\n'); }
        }`;
      const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
        env: lambdaEnv('probe'),
        encoding: 'utf8',
        timeout: 30_000,
      });
      expect(run.stderr).toBe('');
      const lines = run.stdout.trim().split('\n');
      expect(lines.filter((l) => /^(RESULT|ERROR) /.test(l))).toEqual([
        'RESULT "done"',
        'ERROR TransientError',
        'RESULT "done"',
      ]);
      const json = lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
      expect(json.filter((l) => l.message === 'probed')).toMatchObject([
        { function_request_id: 'req-0', cold_start: true, service: 'probe' },
        { function_request_id: 'req-1', cold_start: false, service: 'probe' },
        { function_request_id: 'req-2', cold_start: false, service: 'probe' },
      ]);
      const emf = json.filter((l) => l._aws);
      expect(emf).toHaveLength(2);
      for (const record of emf) {
        expect(record).toMatchObject({ service: 'probe', 'resume-stale': [1, 1], held: 2 });
        expect(record._aws.CloudWatchMetrics).toEqual([
          {
            Namespace: 'Collections',
            Dimensions: [['service']],
            Metrics: [
              { Name: 'resume-stale', Unit: 'Count' },
              { Name: 'held', Unit: 'Count' },
            ],
          },
        ]);
      }
      // The invocation that counted nothing wrote nothing, not even a warning.
      expect(json.filter((l) => !l._aws && l.message !== 'probed')).toEqual([]);
    },
  );

  it('looks for credentials in the environment only, and says so when they are missing', () => {
    const { AWS_ACCESS_KEY_ID: _key, AWS_SECRET_ACCESS_KEY: _secret, ...env } = lambdaEnv('diagnose');
    const run = invoke(bundleOf('diagnose'), { accountId: 'BUNDLE1', cycleId: '2026-01' }, env);
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('Unable to find environment variable credentials');
    expect(run.result).toBeUndefined();
  });
});
