// The page shell both pages share: language, large readable text, visible focus, no external resources.
import { randomBytes } from 'node:crypto';
import { html, raw } from 'hono/html';
import type { Locale } from '../../domain/money';

const STYLE = `
  :root { font-size: 112.5%; color-scheme: light; }
  body {
    font-family: system-ui, "Noto Sans", "PingFang SC", "Microsoft YaHei", sans-serif;
    line-height: 1.6; margin: 0; color: #1a1a1a; background: #fafafa;
  }
  main { max-width: 46rem; margin: 0 auto; padding: 1rem 1.25rem 3rem; }
  header.top { display: flex; justify-content: space-between; align-items: baseline; flex-wrap: wrap; gap: .5rem; }
  h1 { font-size: 1.6rem; margin: 1rem 0 .5rem; }
  h2 { font-size: 1.25rem; margin: 1.75rem 0 .5rem; }
  section {
    background: #fff; border: 1px solid #d0d0d0; border-radius: .5rem;
    padding: .25rem 1.25rem 1.25rem; margin-top: 1rem;
  }
  dl.figures { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; margin: .5rem 0; }
  dl.figures dt { font-weight: 600; }
  dl.figures dd { margin: 0; }
  label { display: block; font-weight: 600; margin-top: .75rem; }
  input, textarea, select, button { font: inherit; }
  input[type=text], input[type=number], input[type=date], textarea, select {
    padding: .4rem .5rem; border: 1px solid #555; border-radius: .25rem; max-width: 100%; box-sizing: border-box;
  }
  textarea { width: 100%; min-height: 5rem; }
  button, a.button {
    display: inline-block; text-decoration: none;
    margin-top: .75rem; padding: .5rem 1rem; border-radius: .25rem; border: 2px solid #0b4f9c; background: #0b5fb8;
    color: #fff; cursor: pointer;
  }
  button.secondary { background: #fff; color: #0b4f9c; }
  button:disabled { background: #ddd; color: #444; border-color: #999; cursor: not-allowed; }
  :focus-visible { outline: 3px solid #c45500; outline-offset: 2px; }
  a { color: #0b4f9c; }
  .notice { border-left: 4px solid #1b7a3a; background: #eef8f0; padding: .5rem 1rem; }
  .error { border-left: 4px solid #b00020; background: #fdecee; padding: .5rem 1rem; }
  fieldset { border: 1px solid #bbb; border-radius: .25rem; margin-top: .75rem; }
  legend { font-weight: 600; }
  table { border-collapse: collapse; width: 100%; }
  th, td { text-align: left; padding: .3rem .5rem; border-bottom: 1px solid #ddd; vertical-align: top; }
  .muted { color: #555; }
`;

/** `script`, if any, runs only under `nonce`: the page's policy allows no other inline script (pageHeaders). */
export const page = (
  locale: Locale,
  title: string,
  body: unknown,
  script?: { code: string; nonce: string },
) => html`<!doctype html>
<html lang="${locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${title}</title>
<style>${raw(STYLE)}</style>
</head>
<body>
<main id="main">
${body}
</main>
${script ? html`<script nonce="${script.nonce}">${raw(script.code)}</script>` : ''}
</body>
</html>`;

/** A fresh nonce for one page's script (128 random bits). */
export const scriptNonce = (): string => randomBytes(16).toString('base64');

/**
 * Security headers for every page: nothing loaded from elsewhere, no script but the one carrying this response's
 * `nonce` (none without one), no framing, no referrer leaking the link. The app adds the headers every response
 * carries (HSTS, nosniff, X-Frame-Options).
 */
export const pageHeaders = (connect: string[] = [], nonce?: string) => ({
  'content-security-policy':
    `default-src 'none'; style-src 'unsafe-inline'; script-src ${nonce ? `'nonce-${nonce}'` : "'none'"}; ` +
    `connect-src 'self'${connect.map((c) => ` ${c}`).join('')}; form-action 'self'; frame-ancestors 'none'; ` +
    `base-uri 'none'`,
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'cache-control': 'no-store',
});

export const PAGE_HEADERS = pageHeaders();
