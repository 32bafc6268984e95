import { Box, Text } from 'ink';
import { memo, type ReactNode, useMemo } from 'react';
import { useWindow } from '../hooks/use-window.js';
import { useTheme } from '../theme/theme-context.js';
import type { Colour, Theme } from '../theme/types.js';
import { fixed } from './text.js';

/** A table column: title, width in cells, and how to read and colour a cell. */
export type Column<T> = {
  title: string;
  width: number;
  align?: 'left' | 'right';
  text: (row: T) => string;
  colour?: (row: T, theme: Theme) => Colour;
};

/** Narrows the widest columns until the table fits `width` (each column keeps at least 4 cells). */
export function fitColumns<T>(columns: Column<T>[], width: number): Column<T>[] {
  const widths = columns.map((c) => c.width);
  const total = () => widths.reduce((a, w) => a + w + 1, 2);
  while (total() > width) {
    const widest = widths.indexOf(Math.max(...widths));
    if ((widths[widest] ?? 0) <= 4) break;
    widths[widest] = (widths[widest] ?? 0) - 1;
  }
  return columns.map((c, i) => (widths[i] === c.width ? c : { ...c, width: widths[i] ?? c.width }));
}

type RowProps<T> = { row: T; columns: Column<T>[]; selected: boolean; theme: Theme; marker: string };

function RowView<T>({ row, columns, selected, theme, marker }: RowProps<T>) {
  return (
    <Text wrap="truncate-end">
      <Text color={theme.tokens.table.selected}>{selected ? marker : ' '.repeat(marker.length)}</Text>
      {columns.map((c) => (
        <Text
          key={c.title}
          color={
            selected ? theme.tokens.table.selected : (c.colour?.(row, theme) ?? theme.tokens.text.primary)
          }
          inverse={selected}
        >
          {fixed(c.text(row), c.width, c.align)}{' '}
        </Text>
      ))}
    </Text>
  );
}

const MemoRow = memo(RowView) as typeof RowView;

/**
 * A windowed table: a header and only the visible rows; rows are memoized so moving the cursor
 * re-renders two rows. `section` (optional) inserts a label line whenever it changes.
 */
export function Table<T>({
  columns,
  rows,
  cursor,
  height,
  rowKey,
  empty,
  width,
}: {
  columns: Column<T>[];
  /** When given, columns are narrowed to fit. */
  width?: number;
  rows: readonly T[];
  cursor: number;
  height: number;
  rowKey: (row: T, index: number) => string;
  empty?: ReactNode;
}) {
  const theme = useTheme();
  const cols = useMemo(() => (width ? fitColumns(columns, width) : columns), [columns, width]);
  const bodyHeight = Math.max(1, height - 1);
  const start = useWindow(cursor, bodyHeight, rows.length);
  const marker = `${theme.glyphs.cursor} `;
  const visible = rows.slice(start, start + bodyHeight);
  return (
    <Box flexDirection="column" height={height}>
      <Text color={theme.tokens.table.header} bold wrap="truncate-end">
        {' '.repeat(marker.length)}
        {cols.map((c) => `${fixed(c.title, c.width, c.align)} `).join('')}
      </Text>
      {rows.length === 0 && empty}
      {visible.map((row, i) => (
        <MemoRow
          key={rowKey(row, start + i)}
          row={row}
          columns={cols}
          selected={start + i === cursor}
          theme={theme}
          marker={marker}
        />
      ))}
    </Box>
  );
}
