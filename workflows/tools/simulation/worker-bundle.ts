// The simulation's worker threads run one prebuilt bundle (esbuild, as the Lambdas are built) instead of each loading
// the TypeScript through tsx (1.1–1.8 s of CPU a worker). It is built once per process and kept in the cache beside
// the synthesized workflow, named for its contents: never stale, and written once however many runs share it.
import { createHash } from 'node:crypto';
import { access } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import { writeWholeFile } from '../../twin/write-whole-file';

const root = path.resolve(import.meta.dirname, '../../..');
const ENTRY = 'simulation-worker';
/** The Step Functions interpreter is bundled, so that its JSONPath can be the twin's (plain paths read directly). */
const INTERPRETER = 'aws-local-stepfunctions';
const JSON_PATH = path.join(root, 'workflows/twin/plain-json-path.ts');

/** Every other package stays a package, loaded by Node from node_modules as under tsx. */
const packages: esbuild.Plugin = {
  name: 'packages',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, ({ path: name, importer }) => {
      if (name === 'jsonpath-plus' && importer.includes(`${path.sep}node_modules${path.sep}${INTERPRETER}${path.sep}`))
        return { path: JSON_PATH };
      return name === INTERPRETER ? undefined : { path: name, external: true };
    });
  },
};

const build = async (): Promise<URL> => {
  const { outputFiles } = await esbuild.build({
    entryPoints: { [ENTRY]: path.join(import.meta.dirname, `${ENTRY}.ts`) },
    absWorkingDir: root,
    bundle: true,
    platform: 'node',
    format: 'esm',
    // Chunks, so that what a worker imports only on demand (the CDK app, to synthesize) stays unloaded.
    splitting: true,
    keepNames: true,
    outdir: '/',
    outExtension: { '.js': '.mjs' },
    write: false,
    plugins: [packages],
    logLevel: 'silent',
  });
  const hash = createHash('sha256');
  for (const file of outputFiles) hash.update(file.path).update(file.contents);
  // Under node_modules, so that the packages left out resolve from it as they do from the sources.
  const dir = path.join(root, 'node_modules/.cache/collections', `${ENTRY}-${hash.digest('hex').slice(0, 16)}`);
  const entry = path.join(dir, `${ENTRY}.mjs`);
  const written = await access(entry).then(
    () => true,
    () => false,
  );
  // The entry last: once it is there, its chunks are.
  if (!written)
    for (const file of [...outputFiles].sort(
      (a, b) => Number(a.path.endsWith(`${ENTRY}.mjs`)) - Number(b.path.endsWith(`${ENTRY}.mjs`)),
    ))
      await writeWholeFile(path.join(dir, path.basename(file.path)), file.contents);
  return pathToFileURL(entry);
};

let built: Promise<URL> | undefined;

/** The worker's bundle, built on first use in this process. */
export const workerBundle = (): Promise<URL> =>
  (built ??= build().catch((error: unknown) => {
    built = undefined;
    throw error;
  }));
