// The desk's script as its page serves it: browser/desk.ts bundled by esbuild (desk-script-bundle.ts). A Lambda bundle
// carries it ready made, defined at bundling as DESK_SCRIPT_BASE64 (infra/collection-function.ts), so the deployed
// function needs no esbuild; run from source (tsx, vitest) it is bundled here on first use, so it is always current.
import { createRequire } from 'node:module';
import { bundleDeskScript } from './desk-script-bundle';

/** Defined by the Lambda bundling; absent from source. Base64, so that no shell or command line can alter it. */
declare const DESK_SCRIPT_BASE64: string | undefined;

let script: string | undefined;

export const deskScript = (): string =>
  (script ??=
    typeof DESK_SCRIPT_BASE64 === 'string'
      ? Buffer.from(DESK_SCRIPT_BASE64, 'base64').toString('utf8')
      : bundleDeskScript(createRequire(import.meta.url)('esbuild')));
