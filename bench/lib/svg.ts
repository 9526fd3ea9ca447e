// Horizontal bar charts as plain SVG (a few rect and text elements), so RESULTS.md shows
// the comparison at a glance without a charting dependency.
import type { Chart } from './report.js';

const escape = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const LABEL_WIDTH = 330;
const BAR_WIDTH = 380;
const ROW = 22;
const TOP = 40;

function formatValue(v: number): string {
  if (v >= 1000) return Math.round(v).toLocaleString('en-US');
  if (v >= 10) return v.toFixed(0);
  return v.toFixed(2);
}

/** The chart as an SVG document. */
export function barChart(chart: Chart): string {
  const max = Math.max(...chart.bars.map((b) => b.value), 1e-9);
  const width = LABEL_WIDTH + BAR_WIDTH + 110;
  const height = TOP + chart.bars.length * ROW + 16;
  const rows = chart.bars.map((b, i) => {
    const y = TOP + i * ROW;
    const w = Math.max(1, (b.value / max) * BAR_WIDTH);
    const fill = b.ours ? '#2b6cb0' : '#a0aec0';
    return [
      `<text x="${LABEL_WIDTH - 8}" y="${y + 15}" text-anchor="end">${escape(b.label)}</text>`,
      `<rect x="${LABEL_WIDTH}" y="${y + 3}" width="${w.toFixed(1)}" height="${ROW - 6}" fill="${fill}"/>`,
      `<text x="${(LABEL_WIDTH + w + 6).toFixed(1)}" y="${y + 15}">${formatValue(b.value)}</text>`,
    ].join('');
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="10" y="22" font-size="14" font-weight="bold">${escape(chart.title)} (${escape(chart.unit)})</text>`,
    ...rows,
    '</svg>',
    '',
  ].join('\n');
}
