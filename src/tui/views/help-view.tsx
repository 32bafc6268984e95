import { useMemo } from 'react';
import { TextLines } from '../components/text-lines.js';
import { bodyHeight } from '../layout.js';
import type { CommandSpec } from '../state/command-spec.js';
import { helpLines } from '../state/view-models.js';
import { useTheme } from '../theme/theme-context.js';

/** The help screen, generated from the command registry (read-only hides mutating commands). */
export function HelpView({
  commands,
  readOnly,
  scroll,
  height,
}: {
  commands: readonly CommandSpec[];
  readOnly: boolean;
  scroll: number;
  height: number;
}) {
  const theme = useTheme();
  const lines = useMemo(() => helpLines(commands, readOnly), [commands, readOnly]);
  return <TextLines lines={lines} scroll={scroll} height={bodyHeight.help(height)} theme={theme} />;
}
