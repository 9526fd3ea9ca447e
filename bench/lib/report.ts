// What a benchmark group hands the runner: tables (printed and written to RESULTS.md) and
// bar charts (drawn as SVG). A group prints its tables as Markdown when run alone, and with
// `--json=<file>` also writes them there for `bench/run.ts`.
import { writeFileSync } from 'node:fs';

/** One Markdown table. */
export interface Table {
  readonly title: string;
  readonly columns: readonly string[];
  readonly rows: readonly (readonly string[])[];
  /** Lines printed under the table: what the numbers mean, targets, limits. */
  readonly notes?: readonly string[];
}

/** One bar of a chart. */
export interface Bar {
  readonly label: string;
  readonly value: number;
  /** Bulwark's own bars are drawn in the accent colour. */
  readonly ours: boolean;
}

/** A horizontal bar chart, written as `bench/<file>.svg`. */
export interface Chart {
  readonly file: string;
  readonly title: string;
  /** What the bar length means, such as `requests/s` or `x bare`. */
  readonly unit: string;
  readonly bars: readonly Bar[];
}

/** One of the issue's targets: a ratio measured in this run and the least it should be. */
export interface Target {
  readonly label: string;
  readonly ratio: number;
  readonly goal: number;
}

/** Everything one group measured. */
export interface GroupReport {
  readonly group: string;
  readonly tables: readonly Table[];
  readonly charts: readonly Chart[];
  readonly targets: readonly Target[];
}

/** A Markdown table with a title and notes. */
export function markdownTable(t: Table): string {
  const widths = t.columns.map((h, i) =>
    Math.max(h.length, ...t.rows.map((r) => (r[i] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (i === 0 ? `:${'-'.repeat(w + 1)}` : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  const notes = (t.notes ?? []).map((n) => `\n${n}`).join('\n');
  return `### ${t.title}\n\n${[line(t.columns), rule, ...t.rows.map(line)].join('\n')}\n${notes}`;
}

/** Prints the group's tables; with `--json=<file>`, also writes the report there. */
export function emit(report: GroupReport, argv: readonly string[] = process.argv): void {
  process.stdout.write(
    `\n## ${report.group}\n\n${report.tables.map(markdownTable).join('\n\n')}\n`,
  );
  const json = argv.find((a) => a.startsWith('--json='))?.slice('--json='.length);
  if (json !== undefined) writeFileSync(json, JSON.stringify(report));
}
