// How the desk's browser module (browser/desk.ts) becomes the script its page serves: one esbuild bundle, a classic
// script for the page's inline <script>. Made at synth time for the Lambda bundle (infra/collection-function.ts), and
// on first use when the API runs from source (desk-script.ts). esbuild is handed in, so nothing here loads it.
import { fileURLToPath } from 'node:url';
import type { buildSync } from 'esbuild';

export const bundleDeskScript = (esbuild: { buildSync: typeof buildSync }): string => {
  const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));
  const { outputFiles } = esbuild.buildSync({
    entryPoints: [here('./browser/desk.ts')],
    tsconfig: here('./browser/tsconfig.json'),
    // From the repository's root, wherever it runs: the bundle names its source the same way every time.
    absWorkingDir: here('../../..'),
    bundle: true,
    write: false,
    format: 'iife',
    target: 'es2022',
    logLevel: 'silent',
  });
  return outputFiles[0]!.text;
};
