// The layering rules of .dependency-cruiser.cjs (run on the whole tree by `npm test` before vitest) are proven
// here on a small planted tree: each rule catches the wrong-way import it is written against.
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { cruise, type IConfiguration } from 'dependency-cruiser';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const root = path.resolve(import.meta.dirname, '../..');
const config = require(path.join(root, '.dependency-cruiser.cjs')) as IConfiguration;

/** A tree of files (path → source) in a folder of its own, cruised with the project's rules. */
const violationsIn = async (files: Record<string, string>) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'layering-'));
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
  // The project's packages, so an import of the SDK resolves as it does in the tree.
  symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  const cwd = process.cwd();
  process.chdir(dir);
  try {
    const tops = [...new Set(Object.keys(files).map((file) => file.split('/')[0]!))];
    const result = await cruise(tops, {
      validate: true,
      ruleSet: { forbidden: config.forbidden },
      tsPreCompilationDeps: true,
      preserveSymlinks: true,
      doNotFollow: { path: 'node_modules' },
    });
    const output = result.output as { summary: { violations: { rule: { name: string }; from: string; to: string }[] } };
    return output.summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`).sort();
  } finally {
    process.chdir(cwd);
  }
};

describe('the layering rules', () => {
  it('catch each wrong-way import in a planted tree, and pass the same tree put right', async () => {
    const planted = {
      'functions/ports.ts': "import { store } from './adapters/store';\nexport type Store = typeof store;\n",
      'functions/adapters/store.ts': "import { step } from '../use-cases/step';\nexport const store = step;\n",
      'functions/use-cases/step.ts': 'export const step = 1;\n',
      'functions/domain/money.ts':
        "import { store } from '../adapters/store';\nimport { loop } from './loop';\nexport const money = " +
        'store + loop;\n',
      'functions/domain/loop.ts': "import { money } from './money';\nexport const loop = () => money;\n",
      'functions/handlers/a/handler.ts':
        "import { b } from '../b/handler';\nimport { root } from '../../composition/aws';\nexport const a = " +
        'b + root;\n',
      'functions/handlers/b/handler.ts': 'export const b = 2;\n',
      'functions/handlers/b/lambda.ts':
        "import { root } from '../../composition/aws';\nimport { b } from './handler';\nexport const handler = " +
        'root + b;\n',
      'functions/composition/aws.ts': 'export const root = 3;\n',
      'functions/api/app.ts': "import { x } from '../../workflows/twin/stack';\nexport const app = x;\n",
      'workflows/twin/stack.ts': 'export const x = 4;\n',
      // One way down: tools → twin → infra → definition → functions, the packs beside the functions.
      'policies/pack.ts': "import { app } from '../infra/app';\nexport const pack = app;\n",
      'infra/app.ts': "import { engine } from '../workflows/twin/engine';\nexport const app = engine;\n",
      'infra/stack.ts': 'export const stack = 5;\n',
      'workflows/twin/engine.ts':
        "import { run } from '../tools/cli/run';\nimport { stack } from '../../infra/stack';\nexport const engine = " +
        'run + stack;\n',
      'workflows/tools/cli/run.ts':
        "import { fixture } from '../../../test/support/fixture';\nexport const run = fixture;\n",
      'test/support/fixture.ts': 'export const fixture = 6;\n',
      'workflows/tools/scenario/runner.ts': "import { sim } from '../simulation/sim';\nexport const runner = sim;\n",
      'workflows/tools/simulation/sim.ts': "import { run } from '../cli/run';\nexport const sim = run;\n",
      'workflows/definition/flow.ts': "import { stack } from '../../infra/stack';\nexport const flow = stack;\n",
      'functions/use-cases/send.ts':
        "import { SQSClient } from '@aws-sdk/client-sqs';\nexport const client = new SQSClient({});\n",
    };
    expect(await violationsIn(planted)).toEqual([
      'adapters-serve-ports: functions/adapters/store.ts → functions/use-cases/step.ts',
      'definition-below-infra: workflows/definition/flow.ts → infra/stack.ts',
      'domain-is-pure: functions/domain/money.ts → functions/adapters/store.ts',
      'functions-stand-alone: functions/api/app.ts → workflows/twin/stack.ts',
      'handlers-are-thin: functions/handlers/a/handler.ts → functions/composition/aws.ts',
      'handlers-are-thin: functions/handlers/a/handler.ts → functions/handlers/b/handler.ts',
      'infra-below-twin: infra/app.ts → workflows/twin/engine.ts',
      'no-cycles: functions/domain/loop.ts → functions/domain/money.ts',
      'only-aws-adapters-use-the-sdk: functions/use-cases/send.ts → node_modules/@aws-sdk/client-sqs/dist-cjs/index.js',
      'packs-stand-alone: policies/pack.ts → infra/app.ts',
      'ports-name-no-implementation: functions/ports.ts → functions/adapters/store.ts',
      'tool-rooms-one-way: workflows/tools/scenario/runner.ts → workflows/tools/simulation/sim.ts',
      'tool-rooms-one-way: workflows/tools/simulation/sim.ts → workflows/tools/cli/run.ts',
      'tools-serve-no-test: workflows/tools/cli/run.ts → test/support/fixture.ts',
      'twin-below-tools: workflows/twin/engine.ts → workflows/tools/cli/run.ts',
      'twin-through-synthesize: workflows/twin/engine.ts → infra/stack.ts',
    ]);
    expect(
      await violationsIn({
        'functions/ports.ts': 'export type Store = number;\n',
        'functions/domain/money.ts': "import { loop } from './loop';\nexport const money = loop;\n",
        'functions/domain/loop.ts': 'export const loop = 1;\n',
        'functions/handlers/b/handler.ts': "import { money } from '../../domain/money';\nexport const b = money;\n",
        'functions/handlers/b/lambda.ts':
          "import { root } from '../../composition/aws';\nimport { b } from './handler';\nexport const handler " +
          '= root + b;\n',
        'functions/composition/aws.ts': 'export const root = 3;\n',
        'policies/pack.ts': "import { money } from '../functions/domain/money';\nexport const pack = money;\n",
        'workflows/definition/flow.ts':
          "import { b } from '../../functions/handlers/b/handler';\nexport const flow = b;\n",
        'infra/stack.ts': "import { flow } from '../workflows/definition/flow';\nexport const stack = flow;\n",
        'infra/synthesize.ts': "import { stack } from './stack';\nexport const synthesize = () => stack;\n",
        'workflows/twin/engine.ts':
          "import { synthesize } from '../../infra/synthesize';\nimport { flow } from '../definition/flow';\n" +
          'export const engine = () => synthesize() + flow;\n',
        'workflows/tools/cli/run.ts':
          "import { engine } from '../../twin/engine';\nimport { sim } from '../simulation/sim';\n" +
          'export const run = () => engine() + sim;\n',
        'workflows/tools/simulation/sim.ts':
          "import { runner } from '../scenario/runner';\nexport const sim = runner;\n",
        'workflows/tools/scenario/runner.ts':
          "import { engine } from '../../twin/engine';\nexport const runner = engine;\n",
      }),
    ).toEqual([]);
  });
});
