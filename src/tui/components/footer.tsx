import { Box, Text } from 'ink';
import { type CommandSpec, keyLabel } from '../state/command-spec.js';
import type { Target } from '../state/selection.js';
import type { UiState } from '../state/types.js';
import { useTheme } from '../theme/theme-context.js';
import type { Theme } from '../theme/types.js';
import { contextBadge } from './header.js';
import { clip } from './text.js';

/** Footer hints generated from the commands of the active view (nav keys are left to the help screen). */
export function hintText(commands: readonly CommandSpec[], stage?: string): string {
  return commands
    .filter((c) => c.footer !== false && (!stage || !c.stages || c.stages.includes(stage)))
    .map((c) => `${keyLabel(c.keys[0] ?? '')} ${c.description}`)
    .join('  ');
}

function statusColour(theme: Theme, level: NonNullable<UiState['status']>['level']): string | undefined {
  return level === 'info' ? theme.tokens.status.info : theme.tokens.status[level];
}

/** Status line (message, or legend and counts) and the key hints or the open prompt, with the target context. */
export function Footer({
  status,
  prompt,
  commands,
  target,
  counts,
  loading,
  engineErrors,
  stage,
  width,
}: {
  status: UiState['status'];
  prompt: UiState['prompt'];
  commands: readonly CommandSpec[];
  target: Target;
  counts: string;
  loading: boolean;
  engineErrors: number;
  /** Stage of the open dialog, to offer only what applies. */
  stage?: string;
  width: number;
}) {
  const theme = useTheme();
  const g = theme.glyphs;
  const t = theme.tokens;
  const badge = contextBadge(theme, target);
  const label = `[${target.context ?? '-'}] `;
  const right = `${loading ? 'loading… · ' : ''}${engineErrors > 0 ? `${engineErrors} engine errors · ` : ''}${counts}`;
  const hints = clip(hintText(commands, stage), Math.max(10, width - label.length - 2));
  return (
    <Box flexDirection="column" height={2}>
      {status ? (
        <Text color={statusColour(theme, status.level)} bold={status.level === 'error'} wrap="truncate-end">
          {` ${status.level === 'error' ? `${g.warning} ` : ''}${status.text}`}
        </Text>
      ) : (
        <Box width={width}>
          <Box width={Math.max(0, width - right.length - 2)}>
            <Text wrap="truncate-end">
              <Text color={t.sync.synced}>{` ${g.sync.synced}`}</Text>
              <Text color={t.text.secondary}> synced </Text>
              <Text color={t.sync.outOfSync}>{g.sync.outOfSync}</Text>
              <Text color={t.text.secondary}> out of sync </Text>
              <Text color={t.sync.unknown}>{g.sync.syncing}</Text>
              <Text color={t.text.secondary}> syncing </Text>
              <Text color={t.health.healthy}>{` ${g.health.healthy}`}</Text>
              <Text color={t.text.secondary}> healthy </Text>
              <Text color={t.health.progressing}>{g.health.progressing}</Text>
              <Text color={t.text.secondary}> progressing </Text>
              <Text color={t.health.degraded}>{g.health.degraded}</Text>
              <Text color={t.text.secondary}> degraded</Text>
            </Text>
          </Box>
          <Text color={engineErrors > 0 ? t.status.warning : t.text.secondary} wrap="truncate-start">
            {` ${right} `}
          </Text>
        </Box>
      )}
      <Box justifyContent="space-between" width={width}>
        {prompt ? (
          <Text color={t.text.accent} wrap="truncate-start">
            {` ${prompt.kind === 'filter' ? '/' : ':'}${prompt.text}${theme.ascii ? '_' : '▏'}`}
            <Text color={t.text.secondary}>
              {prompt.kind === 'filter' ? '  enter keep · esc clear' : '  enter run · esc cancel'}
            </Text>
          </Text>
        ) : (
          <Text color={t.text.secondary} wrap="truncate-end">{` ${hints}`}</Text>
        )}
        <Text color={badge.colour} bold={badge.bold} wrap="truncate-end">
          {label}
        </Text>
      </Box>
    </Box>
  );
}
