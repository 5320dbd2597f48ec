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
      'functions/api/app.ts': "import { x } from '../../workflows/local/stack';\nexport const app = x;\n",
      'workflows/local/stack.ts': 'export const x = 4;\n',
      'functions/use-cases/send.ts':
        "import { SQSClient } from '@aws-sdk/client-sqs';\nexport const client = new SQSClient({});\n",
    };
    expect(await violationsIn(planted)).toEqual([
      'adapters-serve-ports: functions/adapters/store.ts → functions/use-cases/step.ts',
      'domain-is-pure: functions/domain/money.ts → functions/adapters/store.ts',
      'functions-stand-alone: functions/api/app.ts → workflows/local/stack.ts',
      'handlers-are-thin: functions/handlers/a/handler.ts → functions/composition/aws.ts',
      'handlers-are-thin: functions/handlers/a/handler.ts → functions/handlers/b/handler.ts',
      'no-cycles: functions/domain/loop.ts → functions/domain/money.ts',
      'only-aws-adapters-use-the-sdk: functions/use-cases/send.ts → node_modules/@aws-sdk/client-sqs/dist-cjs/index.js',
      'ports-name-no-implementation: functions/ports.ts → functions/adapters/store.ts',
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
      }),
    ).toEqual([]);
  });
});
