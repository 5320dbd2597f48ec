// Small, dependency-free SVG charts for the self-contained report: bars, stacked bars and lines.
import { esc } from './page';
export const COLORS = ['#2563eb', '#f97316', '#16a34a', '#dc2626', '#7c3aed', '#0891b2', '#ca8a04', '#64748b'];

const W = 640;
const H = 260;
const PAD = { left: 56, right: 16, top: 16, bottom: 40 };
const plotW = W - PAD.left - PAD.right;
const plotH = H - PAD.top - PAD.bottom;

const frame = (
  title: string,
  body: string,
  legend: string[] = [],
) => `<figure class="chart"><figcaption>${esc(title)}</figcaption>
<svg class="chart" role="img" aria-label="${esc(title)}" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}"
  xmlns="http://www.w3.org/2000/svg">
<line x1="${PAD.left}" y1="${PAD.top + plotH}" x2="${PAD.left + plotW}" y2="${PAD.top + plotH}" stroke="#334155"/>
<line x1="${PAD.left}" y1="${PAD.top}" x2="${PAD.left}" y2="${PAD.top + plotH}" stroke="#334155"/>
${body}</svg>${
  legend.length
    ? `<div class="legend">${legend
        .map((l, i) => `<span><i style="background:${COLORS[i % COLORS.length]}"></i>${esc(l)}</span>`)
        .join('')}</div>`
    : ''
}</figure>`;

const yAxis = (max: number, format: (v: number) => string) =>
  [0, 0.5, 1]
    .map((f) => {
      const y = PAD.top + plotH - f * plotH;
      return (
        `<text x="${PAD.left - 6}" y="${y + 4}" text-anchor="end" ` +
        `font-size="11">${esc(format(max * f))}</text><line x1="${PAD.left}" x2="${PAD.left + plotW}" y1="${y}" ` +
        `y2="${y}" stroke="#e2e8f0"/>`
      );
    })
    .join('');

/** Grouped bars: one group per label, one bar per series. `highlight` shades some labels' background. */
export const barChart = (
  title: string,
  labels: string[],
  series: { name: string; values: number[] }[],
  options: { highlight?: (label: string) => boolean } = {},
) => {
  const max = Math.max(1, ...series.flatMap((s) => s.values));
  const group = plotW / labels.length;
  const bar = (group * 0.8) / series.length;
  const shading = options.highlight
    ? labels
        .map((l, i) =>
          options.highlight!(l)
            ? `<rect x="${PAD.left + i * group}" y="${PAD.top}" width="${group}" height="${plotH}" fill="#f0fdf4"/>`
            : '',
        )
        .join('')
    : '';
  const bars = series
    .flatMap((s, si) =>
      s.values.map((v, i) => {
        const h = (v / max) * plotH;
        return (
          `<rect class="bar" x="${(PAD.left + i * group + group * 0.1 + si * bar).toFixed(1)}" ` +
          `y="${(PAD.top + plotH - h).toFixed(1)}" width="${bar.toFixed(1)}" height="${h.toFixed(1)}" ` +
          `fill="${COLORS[si % COLORS.length]}"><title>${esc(`${s.name} ${labels[i]}: ${v}`)}</title></rect>`
        );
      }),
    )
    .join('');
  const xLabels = labels
    .map(
      (l, i) =>
        `<text x="${(PAD.left + i * group + group / 2).toFixed(1)}" y="${H - PAD.bottom + 16}" ` +
        `text-anchor="middle" font-size="11">${esc(l)}</text>`,
    )
    .join('');
  return frame(
    title,
    shading + yAxis(max, (v) => String(Math.round(v))) + bars + xLabels,
    series.length > 1 ? series.map((s) => s.name) : [],
  );
};

/** Lines over an x index (days). */
export const lineChart = (
  title: string,
  series: { name: string; values: number[] }[],
  format: (v: number) => string,
) => {
  const max = Math.max(1, ...series.flatMap((s) => s.values));
  const n = Math.max(...series.map((s) => s.values.length)) - 1 || 1;
  const lines = series
    .map((s, si) => {
      const points = s.values
        .map((v, i) => `${(PAD.left + (i / n) * plotW).toFixed(1)},${(PAD.top + plotH - (v / max) * plotH).toFixed(1)}`)
        .join(' ');
      return (
        `<polyline class="line" fill="none" stroke="${COLORS[si % COLORS.length]}" stroke-width="2" ` +
        `points="${points}"/>`
      );
    })
    .join('');
  // The last label ends at the plot's edge: centred there, "day 180" would run past the picture.
  const xLabels = [0, 0.5, 1]
    .map(
      (f) =>
        `<text x="${PAD.left + f * plotW}" y="${H - PAD.bottom + 16}" ` +
        `text-anchor="${f === 1 ? 'end' : 'middle'}" font-size="11">day ${Math.round(f * n)}</text>`,
    )
    .join('');
  return frame(
    title,
    yAxis(max, format) + lines + xLabels,
    series.map((s) => s.name),
  );
};

/** Horizontal 100% stacked bars: one row per label, one segment per category. */
export const stackedBars = (
  title: string,
  rows: { label: string; parts: Record<string, number> }[],
  categories: string[],
) => {
  const rowH = plotH / Math.max(1, rows.length);
  const body = rows
    .map((row, ri) => {
      const total = Object.values(row.parts).reduce((a, b) => a + b, 0) || 1;
      let x = PAD.left + 70;
      const width = plotW - 70;
      const y = PAD.top + ri * rowH + rowH * 0.15;
      const segments = categories
        .map((c, ci) => {
          const w = ((row.parts[c] ?? 0) / total) * width;
          const rect =
            w > 0
              ? `<rect class="bar" x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${w.toFixed(1)}" ` +
                `height="${(rowH * 0.7).toFixed(1)}" fill="${COLORS[ci % COLORS.length]}"><title>${esc(
                  `${row.label} ${c}: ${row.parts[c] ?? 0}`,
                )}</title></rect>`
              : '';
          x += w;
          return rect;
        })
        .join('');
      return (
        `<text x="${PAD.left + 64}" y="${(y + rowH * 0.45).toFixed(1)}" text-anchor="end" ` +
        `font-size="11">${esc(row.label)}</text>${segments}`
      );
    })
    .join('');
  return frame(title, body, categories);
};
