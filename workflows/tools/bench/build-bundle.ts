// Builds handler bundles exactly as the stack does (infra/collection-function.ts BUNDLE), for the
// benchmark that measures them and the tests that run them.
import { statSync } from 'node:fs';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { BUNDLE } from '../../../infra/collection-function';

const root = path.resolve(import.meta.dirname, '../../..');

/** Every Lambda handler, by its folder under functions/handlers/. */
export const HANDLERS = [
  'diagnose',
  'remind',
  'offer-plan',
  'escalate',
  'letter',
  'close',
  'await-event',
  'intake',
  'erase',
  'api',
  'report',
] as const;

/**
 * Bundles a handler (by name) or source text (resolved from the repository) to `outfile` and returns
 * its size in bytes. `sdkAsIs` leaves the SDK's own credential chain in, for a baseline.
 */
export const buildBundle = async (
  entry: string | { contents: string },
  outfile: string,
  { sdkAsIs = false } = {},
): Promise<number> => {
  const input =
    typeof entry === 'string'
      ? { entryPoints: [path.join(root, 'functions/handlers', entry, 'lambda.ts')] }
      : { stdin: { contents: entry.contents, resolveDir: root, loader: 'js' as const } };
  const { alias, banner, mainFields, ...options } = BUNDLE;
  await esbuild.build({
    ...options,
    ...input,
    mainFields: [...mainFields],
    banner: { js: banner },
    alias: sdkAsIs ? {} : { ...alias },
    absWorkingDir: root,
    bundle: true,
    outfile,
    logLevel: 'silent',
  });
  return statSync(outfile).size;
};
