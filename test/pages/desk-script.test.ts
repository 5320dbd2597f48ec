// The desk's browser script is a TypeScript module (functions/api/pages/browser/desk.ts) that esbuild bundles into the
// classic script the page serves: bundled on first use when run from source, carried ready made by the Lambda bundle,
// which holds no esbuild and needs none.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { describe, expect, it } from 'vitest';
import { deskScript } from '../../functions/api/pages/desk-script';
import { bundleDeskScript } from '../../functions/api/pages/desk-script-bundle';
import { BUNDLE } from '../../infra/collection-function';
import { buildBundle } from '../../workflows/tools/bench/build-bundle';

const tmp = (prefix: string) => mkdtempSync(path.join(tmpdir(), prefix));

describe('the desk script', () => {
  it('is the browser module bundled into one classic script, its types and imports gone', () => {
    const script = deskScript();
    expect(script).toBe(bundleDeskScript(esbuild));
    expect(script.startsWith('"use strict";\n(() => {\n')).toBe(true);
    expect(script).toContain('sessionStorage.getItem("desk-token")');
    expect(script).not.toMatch(/^\s*(import|export)\s/m);
    expect(script).not.toContain('as DeskConfig');
  });

  it('is what the Lambda bundling defines, the same script as from source', () => {
    const defined = JSON.parse(BUNDLE.define.DESK_SCRIPT_BASE64) as string;
    expect(Buffer.from(defined, 'base64').toString('utf8')).toBe(deskScript());
  });

  it('runs from a Lambda bundle where no esbuild can be found, serving the script it carries', async () => {
    // Under the system's temporary folder: no node_modules above it, so a bundle that reached for esbuild would fail.
    const bundle = path.join(tmp('desk-script-'), 'index.mjs');
    await buildBundle(
      { contents: `import { deskScript } from './functions/api/pages/desk-script.ts'; export { deskScript };` },
      bundle,
    );
    expect(readFileSync(bundle, 'utf8')).not.toContain('buildSync');
    const load = `const { deskScript } = await import(${JSON.stringify(bundle)});`;
    const run = spawnSync(
      process.execPath,
      ['--input-type=module', '-e', `${load} process.stdout.write(deskScript());`],
      {
        env: { PATH: process.env.PATH },
        cwd: path.dirname(bundle),
        encoding: 'utf8',
        timeout: 30_000,
      },
    );
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe(deskScript());
  });

  it("leaves esbuild out of the API function's bundle, which carries the script", async () => {
    const bundle = path.join(tmp('api-bundle-'), 'index.mjs');
    await buildBundle('api', bundle);
    const text = readFileSync(bundle, 'utf8');
    expect(text).toContain(JSON.parse(BUNDLE.define.DESK_SCRIPT_BASE64) as string);
    expect(text).not.toContain('buildSync');
    expect(text).not.toContain('ESBUILD_BINARY_PATH');
  });
});
