// The one page every report is rendered in (the simulation's report.html and the live portfolio report):
// a self-contained HTML document, its styles inline, charts as inline SVG.

export const esc = (text: string) =>
  text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

const STYLE = `
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,sans-serif;margin:24px auto;max-width:1340px;
  color:#0f172a;padding:0 16px}
h1{font-size:22px;margin:0 0 4px}p.meta{color:#475569;margin:0 0 16px}
table{border-collapse:collapse;margin:8px 0 24px}
th,td{padding:4px 12px;border-bottom:1px solid #e2e8f0;text-align:left}
td{font-variant-numeric:tabular-nums}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(640px,1fr));gap:16px}
figure.chart{margin:0;border:1px solid #e2e8f0;border-radius:8px;padding:12px}
figcaption{font-weight:600;margin-bottom:6px}
.legend span{margin-right:14px;font-size:12px}
.legend i{display:inline-block;width:10px;height:10px;margin-right:4px;border-radius:2px}
`;

/** `meta` and `body` are HTML the caller has escaped. */
export const reportPage = (title: string, meta: string, body: string): string => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>${STYLE}</style></head><body>
<h1>${esc(title)}</h1>
<p class="meta">${meta}</p>
${body}
</body></html>
`;
