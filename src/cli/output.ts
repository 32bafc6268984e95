import { stringify } from 'yaml';

/** Output formats of read commands. */
export const OutputFormat = { table: 'table', json: 'json', yaml: 'yaml' } as const;
/** One of the output formats. */
export type OutputFormat = (typeof OutputFormat)[keyof typeof OutputFormat];

/** Renders rows as an aligned text table (no borders, k9s/kubectl style). */
export function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(headers), ...rows.map(line)].join('\n') + '\n';
}

/** Prints data in the chosen format; `toTable` is used for the table format. */
export function emit(format: OutputFormat, data: unknown, toTable: () => string): string {
  if (format === 'json') return JSON.stringify(data, null, 2) + '\n';
  if (format === 'yaml') return stringify(data);
  return toTable();
}
