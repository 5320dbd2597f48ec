// The simulation's worker threads run one prebuilt bundle (esbuild, as the Lambdas are built) instead of each loading
// the TypeScript through tsx (1.1–1.8 s of CPU a worker). It is kept in the cache beside the synthesized workflow,
// under a hash of every source that can shape it: built once after a change, then only looked up (about 50 ms).
import { createHash } from 'node:crypto';
import { access, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import { writeWholeFile } from '../../twin/write-whole-file';

const root = path.resolve(import.meta.dirname, '../../..');
const ENTRY = 'simulation-worker';
/** The Step Functions interpreter is bundled, so that its JSONPath can be the twin's (plain paths read directly). */
const INTERPRETER = 'aws-local-stepfunctions';
const JSON_PATH = path.join(root, 'workflows/twin/plain-json-path.ts');
/** What the bundle is built from: the sources, the lockfile and the compiler's settings. */
const SOURCES = ['functions', 'workflows', 'policies', 'infra'];
const SETTINGS = ['package-lock.json', 'tsconfig.json'];

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

const sourceHash = async (): Promise<string> => {
  const listed = await Promise.all(
    SOURCES.map(async (dir) =>
      (await readdir(path.join(root, dir), { recursive: true, withFileTypes: true }))
        .filter((d) => d.isFile())
        .map((d) => path.relative(root, path.join(d.parentPath, d.name))),
    ),
  );
  const hash = createHash('sha256').update(`esbuild ${esbuild.version}`);
  for (const file of [...listed.flat(), ...SETTINGS].sort())
    hash.update(file).update(await readFile(path.join(root, file)));
  return hash.digest('hex').slice(0, 16);
};

const build = async (): Promise<URL> => {
  // Under node_modules, so that the packages left out resolve from it as they do from the sources.
  const dir = path.join(root, 'node_modules/.cache/collections', `${ENTRY}-${await sourceHash()}`);
  const entry = path.join(dir, `${ENTRY}.mjs`);
  const built = await access(entry).then(
    () => true,
    () => false,
  );
  if (built) return pathToFileURL(entry);
  const { outputFiles } = await esbuild.build({
    entryPoints: { [ENTRY]: path.join(import.meta.dirname, `${ENTRY}.ts`) },
    absWorkingDir: root,
    bundle: true,
    platform: 'node',
    format: 'esm',
    // Chunks, so that what a worker imports only on demand (the CDK app, to synthesize) stays unloaded.
    splitting: true,
    outdir: '/',
    outExtension: { '.js': '.mjs' },
    write: false,
    plugins: [packages],
    logLevel: 'silent',
  });
  // The entry last: a bundle whose entry is there has all its chunks.
  const isEntry = (file: esbuild.OutputFile) => Number(path.basename(file.path) === `${ENTRY}.mjs`);
  for (const file of [...outputFiles].sort((a, b) => isEntry(a) - isEntry(b)))
    await writeWholeFile(path.join(dir, path.basename(file.path)), file.contents);
  return pathToFileURL(entry);
};

let bundle: Promise<URL> | undefined;

/** The worker's bundle, looked up (or built) on first use in this process. */
export const workerBundle = (): Promise<URL> =>
  (bundle ??= build().catch((error: unknown) => {
    bundle = undefined;
    throw error;
  }));
