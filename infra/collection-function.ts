// One Lambda per handler: Node 22 on arm64, bundled by esbuild into a minimal minified bundle that
// carries only the SDK clients the handler imports, with its own log group and active tracing.
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Metadata key that names the handler a function runs: how the local engine binds Task states. */
export const HANDLER_METADATA = 'collections:handler';

export interface CollectionFunctionProps {
  /** Folder under functions/, e.g. `diagnose`. */
  handler: string;
  environment: Record<string, string>;
  timeout?: Duration;
  memorySize?: number;
  logRetention?: logs.RetentionDays;
}

export class CollectionFunction extends Construct {
  readonly fn: NodejsFunction;

  constructor(scope: Construct, id: string, props: CollectionFunctionProps) {
    super(scope, id);
    const logGroup = new logs.LogGroup(this, 'Logs', { retention: props.logRetention ?? logs.RetentionDays.THREE_MONTHS, removalPolicy: RemovalPolicy.DESTROY });
    this.fn = new NodejsFunction(this, 'Function', {
      entry: path.join(root, 'functions', props.handler, 'handler.ts'),
      handler: 'handler',
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(20),
      tracing: lambda.Tracing.ACTIVE,
      logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      environment: { POWERTOOLS_SERVICE_NAME: props.handler, NODE_OPTIONS: '--enable-source-maps', ...props.environment },
      bundling: {
        format: OutputFormat.ESM,
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        target: 'node22',
        mainFields: ['module', 'main'],
        // Bundle the SDK v3 clients rather than use the runtime's copy: pinned versions, and
        // tree-shaking keeps only what this handler imports.
        externalModules: [],
        banner: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);",
      },
    });
    (this.fn.node.defaultChild as lambda.CfnFunction).addMetadata(HANDLER_METADATA, props.handler);
  }
}
