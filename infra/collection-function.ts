// One Lambda per handler: Node 22 on arm64, bundled by esbuild into a minimal minified bundle that
// carries only the SDK clients the handler imports, with its own log group and active tracing (Powertools Tracer).
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { bundleDeskScript } from '../functions/api/pages/desk-script-bundle';
import { HANDLER_METADATA } from '../workflows/definition/shared-settings';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * How every handler is bundled (esbuild): minified ESM for Node 22, the SDK v3 clients bundled rather
 * than taken from the runtime (pinned versions; tree-shaking keeps only what the handler imports), and
 * the SDK's default credential chain replaced by the environment-only provider Lambda needs.
 * The benchmark and the bundle tests build the same bundles from these options.
 */
export const BUNDLE = {
  format: 'esm',
  minify: true,
  target: 'node22',
  platform: 'node',
  mainFields: ['module', 'main'],
  banner: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);",
  /** Relative to the project root, where esbuild runs. */
  alias: { '@aws-sdk/credential-provider-node': './functions/adapters/aws/lambda-credentials.ts' },
  /**
   * The desk page's browser script, bundled now: the API bundle carries it ready made, and needs no esbuild at run time
   * (functions/api/pages/desk-script.ts).
   */
  define: { DESK_SCRIPT_BASE64: JSON.stringify(Buffer.from(bundleDeskScript(esbuild)).toString('base64')) },
} as const;

/** Traces keep timings and names only: a handler's response or error may carry a customer's personal data. */
export const TRACER_ENVIRONMENT = {
  POWERTOOLS_TRACER_CAPTURE_RESPONSE: 'false',
  POWERTOOLS_TRACER_CAPTURE_ERROR: 'false',
} as const;

export interface CollectionFunctionProps {
  /** Folder under functions/handlers/, e.g. `diagnose`. */
  handler: string;
  environment: Record<string, string>;
  timeout?: Duration;
  memorySize?: number;
  logRetention?: logs.RetentionDays;
  /** Customer-managed key for the function's log group. */
  logKey?: kms.IKey;
  /** Files (from the project root) copied beside the bundle, e.g. a font the handler reads at run time. */
  assets?: string[];
}

/** Lambda refuses a deployment whose variables pass 4 KB together; the policy pack is the big one. */
const ENVIRONMENT_LIMIT_BYTES = 4096;
const assertEnvironmentFits = (scope: Construct, environment: Record<string, string>) => {
  // Unresolved references count as their CloudFormation form, which is longer than most resolved values.
  const size = Object.entries(Stack.of(scope).resolve(environment) as Record<string, unknown>).reduce(
    (sum, [name, value]) =>
      sum + Buffer.byteLength(name) + Buffer.byteLength(typeof value === 'string' ? value : JSON.stringify(value)),
    0,
  );
  if (size > ENVIRONMENT_LIMIT_BYTES) {
    throw new Error(
      `environment: ${size} bytes of variables, more than Lambda's ${ENVIRONMENT_LIMIT_BYTES}; shorten the ` +
        `policy pack (its citations are the longest text)`,
    );
  }
};

export class CollectionFunction extends Construct {
  readonly fn: NodejsFunction;

  constructor(scope: Construct, id: string, props: CollectionFunctionProps) {
    super(scope, id);
    assertEnvironmentFits(scope, props.environment);
    const logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention ?? logs.RetentionDays.THREE_MONTHS,
      encryptionKey: props.logKey,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.fn = new NodejsFunction(this, 'Function', {
      entry: path.join(root, 'functions/handlers', props.handler, 'lambda.ts'),
      handler: 'handler',
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(20),
      tracing: lambda.Tracing.ACTIVE,
      logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      environment: {
        POWERTOOLS_SERVICE_NAME: props.handler,
        ...TRACER_ENVIRONMENT,
        NODE_OPTIONS: '--enable-source-maps',
        ...props.environment,
      },
      bundling: {
        format: OutputFormat.ESM,
        minify: BUNDLE.minify,
        sourceMap: true,
        sourcesContent: false,
        target: BUNDLE.target,
        mainFields: [...BUNDLE.mainFields],
        externalModules: [],
        banner: BUNDLE.banner,
        define: BUNDLE.define,
        esbuildArgs: { '--alias': Object.entries(BUNDLE.alias).map(([from, to]) => `${from}=${to}`) },
        ...(props.assets?.length
          ? {
              commandHooks: {
                beforeBundling: () => [],
                beforeInstall: () => [],
                afterBundling: (inputDir: string, outputDir: string) =>
                  props.assets!.map((file) => `cp "${path.join(inputDir, file)}" "${outputDir}/"`),
              },
            }
          : {}),
      },
    });
    (this.fn.node.defaultChild as lambda.CfnFunction).addMetadata(HANDLER_METADATA, props.handler);
  }
}
