import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import { useTheme } from '../theme/theme-context.js';

/** A bordered dialog in the colour of the target context (production in the danger colour). */
export function DialogFrame({
  title,
  production,
  height,
  message,
  messageColour,
  children,
}: {
  title: string;
  production: boolean;
  height: number;
  message: string;
  messageColour?: string;
  children: ReactNode;
}) {
  const theme = useTheme();
  const t = theme.tokens;
  const colour = production ? t.context.production : t.border.focused;
  return (
    <Box
      flexDirection="column"
      height={height}
      borderStyle={theme.ascii ? 'classic' : 'round'}
      borderColor={colour}
      overflow="hidden"
    >
      <Text color={colour} bold wrap="truncate-end">
        {` ${title}${production ? `  ${theme.glyphs.warning} PRODUCTION` : ''}`}
      </Text>
      <Box flexDirection="column" flexGrow={1} overflow="hidden" paddingLeft={1}>
        {children}
      </Box>
      <Text color={messageColour ?? t.text.secondary} wrap="truncate-end">
        {` ${message}`}
      </Text>
    </Box>
  );
}

/** The typed-confirmation line: what to type and what was typed so far. */
export function confirmPrompt(name: string, typed: string, ascii: boolean): string {
  return `type ${name} to confirm (esc to go back): ${typed}${ascii ? '_' : '▏'}`;
}
