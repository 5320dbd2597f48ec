// Headless Chromium (through playwright-core) with axe-core, for the page tests.
// The browser is CHROMIUM_PATH if set, else the system's Chromium, else the one shipped inside the
// @sparticuz/chromium npm package, so a bare clone on a machine with no browser still runs every page test.
// Either way the browser is given a CJK font from npm (Noto Sans SC, the letters' font) through fontconfig:
// zh-CN pages are checked for real glyphs, not the boxes a machine without CJK fonts draws.
import { createRequire } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { woffToSfnt } from '../../functions/adapters/woff-to-sfnt';
import { LATIN_FONT_FILE, LETTER_FONT_FILE } from '../../functions/adapters/letter-fonts';
import { writeWholeFile } from '../../workflows/twin/write-whole-file';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

const SYSTEM_CHROMIUMS = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];
/** Flags for a closed network: without them Chromium keeps dialling Google's hosts. */
const QUIET_FLAGS = [
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

interface BrowserBinary {
  executablePath: string;
  args: string[];
  fontDirs: string[];
}

const npmChromium = async (): Promise<BrowserBinary> => {
  const { default: packaged } = await import('@sparticuz/chromium');
  const executablePath = await packaged.executablePath();
  // The package unpacks its own fonts (Latin only) beside the binary.
  // One process per page, not the package's Lambda-minded --single-process: there, closing a tab ends the browser.
  const args = packaged.args.filter((arg) => arg !== '--single-process' && arg !== '--no-zygote');
  return { executablePath, args, fontDirs: [path.join(path.dirname(executablePath), 'fonts')] };
};

const findBrowser = async (): Promise<BrowserBinary> => {
  const own = process.env.CHROMIUM_PATH ?? SYSTEM_CHROMIUMS.find((file) => existsSync(file));
  if (own) return { executablePath: own, args: ['--no-sandbox', '--disable-gpu'], fontDirs: [] };
  return npmChromium();
};

/** A font of the letters' family (from npm), converted once from WOFF to the OpenType fontconfig reads. */
const fontDir = async (woffFile: string): Promise<string> => {
  const dir = path.join(os.tmpdir(), 'collections-test-fonts', path.basename(woffFile, '.woff'));
  const font = path.join(dir, `${path.basename(woffFile, '.woff')}.otf`);
  if (!existsSync(font)) {
    await writeWholeFile(font, woffToSfnt(readFileSync(require.resolve(`@fontsource/noto-sans-sc/files/${woffFile}`))));
  }
  return dir;
};

/**
 * The browser's fonts: the system's (where there are any) and the package's, plus Noto Sans SC. `hanFont: false`
 * gives it only that family's Latin subset, as on a machine without CJK fonts: how the glyph check is proven.
 */
const fontConfig = async (systemDirs: string[], hanFont: boolean): Promise<string> => {
  const dirs = hanFont ? [await fontDir(LETTER_FONT_FILE), ...systemDirs] : [await fontDir(LATIN_FONT_FILE)];
  const system = hanFont ? '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n' : '';
  const file = path.join(os.tmpdir(), 'collections-test-fonts', hanFont ? 'fonts.conf' : 'latin-only.conf');
  await writeWholeFile(
    file,
    `<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
${system}${dirs.map((dir) => `  <dir>${dir}</dir>`).join('\n')}
  <cachedir>${path.join(os.tmpdir(), 'collections-test-fonts', 'cache')}</cachedir>
</fontconfig>
`,
  );
  return file;
};

let binary: Promise<BrowserBinary> | undefined;

export const launchBrowser = async ({ hanFont = true } = {}): Promise<Browser> => {
  binary ??= findBrowser();
  const { executablePath, args, fontDirs } = await binary;
  return chromium.launch({
    executablePath,
    args: [...new Set([...args, ...QUIET_FLAGS])],
    env: { ...process.env, FONTCONFIG_FILE: await fontConfig(fontDirs, hanFont) },
  });
};

/** Console errors and uncaught page errors, collected for the whole test. */
export const watchErrors = (page: Page): string[] => {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
};

export interface AxeFinding {
  id: string;
  impact: string;
  help: string;
  nodes: number;
}

/** Serious and critical WCAG findings on the page as it stands. */
export const seriousA11yFindings = async (page: Page): Promise<AxeFinding[]> => {
  await page.evaluate(AXE_SOURCE);
  const results = await page.evaluate(async () =>
    (
      globalThis as unknown as {
        axe: { run(): Promise<{ violations: { id: string; impact: string; help: string; nodes: unknown[] }[] }> };
      }
    ).axe.run(),
  );
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length }));
};

/**
 * The Han characters in the page's text that the browser draws as a missing-glyph box: each is drawn on a canvas
 * in the body's font and compared, pixel for pixel, with a private-use character no font has.
 */
export const boxedHanCharacters = async (page: Page): Promise<string[]> =>
  page.evaluate(() => {
    const doc = (
      globalThis as unknown as { document: { body: { innerText: string }; createElement(tag: string): unknown } }
    ).document;
    const body = doc.body;
    const view = globalThis as unknown as { getComputedStyle(e: unknown): { fontFamily: string } };
    const font = `32px ${view.getComputedStyle(body).fontFamily}`;
    type Ctx = {
      font: string;
      fillStyle: string;
      fillRect(...n: number[]): void;
      fillText(t: string, x: number, y: number): void;
      getImageData(...n: number[]): { data: Uint8ClampedArray };
    };
    const draw = (text: string): string => {
      const canvas = doc.createElement('canvas') as { width: number; height: number; getContext(kind: string): Ctx };
      canvas.width = 48;
      canvas.height = 48;
      const ctx = canvas.getContext('2d');
      ctx.fillStyle = '#fff';
      ctx.fillRect(0, 0, 48, 48);
      ctx.fillStyle = '#000';
      ctx.font = font;
      ctx.fillText(text, 4, 36);
      return Array.from(ctx.getImageData(0, 0, 48, 48).data).join(',');
    };
    const box = draw('\uE000');
    const han = [...new Set(body.innerText.match(/\p{Script=Han}/gu) ?? [])];
    return han.filter((ch) => draw(ch) === box);
  });
