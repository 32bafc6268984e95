import { Box, Text } from 'ink';
import { memo } from 'react';
import type { BackendState, ClusterState, RepoState } from '../../engine/index.js';
import type { Target } from '../state/selection.js';
import { useTheme } from '../theme/theme-context.js';
import type { Theme } from '../theme/types.js';
import { age, clip } from './text.js';

/** The context badge text and colour of a target (production is marked in words too, for no-color). */
export function contextBadge(
  theme: Theme,
  target: Target,
): { text: string; colour: string | undefined; bold: boolean } {
  const prod = target.production ? ` ${theme.glyphs.warning} PRODUCTION` : '';
  const many = target.contexts && target.contexts.length > 0 ? target.contexts : undefined;
  if (!target.context && !many)
    return { text: 'no target', colour: theme.tokens.text.secondary, bold: false };
  return {
    text: many
      ? `context${many.length > 1 ? 's' : ''} ${many.join(', ')}${prod}`
      : `context ${target.context}${prod}`,
    colour: target.production ? theme.tokens.context.production : theme.tokens.context.default,
    bold: target.production,
  };
}

function clusterColour(theme: Theme, c: ClusterState): string | undefined {
  if (c.status === 'Connected') return theme.tokens.status.success;
  if (c.status === 'Connecting') return theme.tokens.status.warning;
  return theme.tokens.status.error;
}

function clusterGlyph(theme: Theme, c: ClusterState): string {
  if (c.status === 'Connected') return theme.glyphs.cluster.connected;
  if (c.status === 'Connecting') return theme.glyphs.cluster.connecting;
  return theme.glyphs.cluster.unreachable;
}

/** The header's automation badge: `auto on, 1 lease` or `auto OFF`. */
export function automationText(a: { enabled: boolean; leases: number }): string {
  return a.enabled ? `auto on, ${a.leases} lease${a.leases === 1 ? '' : 's'}` : 'auto OFF';
}

/** The header's backend badge: who automates, or the hint that an Argo CD manages these apps. */
export function backendText(
  backend: BackendState | undefined,
  automation: { enabled: boolean; leases: number },
): { text: string; warn: boolean; hint?: string } {
  if (backend?.type === 'argocd')
    return { text: `Argo CD ${backend.context ?? ''}/${backend.namespace ?? ''} automates`, warn: false };
  const d = backend?.detected;
  const hint = d
    ? `Argo CD in ${d.context} manages ${d.apps.length} of these apps: set backend: argocd`
    : undefined;
  return { text: automationText(automation), warn: !automation.enabled, ...(hint ? { hint } : {}) };
}

const spinDots = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const spinAscii = ['|', '/', '-', '\\'];

/** How long each spinner frame shows. */
export const SPINNER_STEP_MS = 500;

/** The spinner frame at a time (one step per {@link SPINNER_STEP_MS}), Braille dots or ASCII. */
export function spinnerFrame(now: number, ascii: boolean): string {
  const frames = ascii ? spinAscii : spinDots;
  return frames[Math.floor(now / SPINNER_STEP_MS) % frames.length] ?? '*';
}

/** Header: title, repository, cluster reachability, read-only badge; then breadcrumbs and the target context. */
export const Header = memo(function Header({
  repo,
  clusters,
  crumbs,
  target,
  readOnly,
  automation,
  backend,
  loading,
  width,
  now,
}: {
  repo: RepoState;
  clusters: ClusterState[];
  crumbs: string[];
  target: Target;
  readOnly: boolean;
  /** Whether this console automates, and how many app sync leases it holds. */
  automation: { enabled: boolean; leases: number };
  /** The backend in use (Argo CD, or the hint that one manages these apps). */
  backend?: BackendState;
  /** While the first snapshot loads: what the start is doing (a spinner runs before it). */
  loading?: { progress?: string };
  width: number;
  now: number;
}) {
  const theme = useTheme();
  const g = theme.glyphs;
  const problems = repo.problems ?? [];
  const clusterWarnings = clusters.flatMap((c) => c.warnings ?? []);
  const head = repo.head ? `@${repo.head.slice(0, 7)}` : '';
  const fetched = repo.fetchedAt ? `, ${age(repo.fetchedAt, now)} ago` : '';
  const badge = contextBadge(theme, target);
  const auto = backendText(backend, automation);
  const crumbText = clip(crumbs.join(` ${g.crumb} `), Math.max(10, width - badge.text.length - 10));
  const fill = Math.max(1, width - [...crumbText].length - [...badge.text].length - 9);
  return (
    <Box flexDirection="column" height={2}>
      <Text wrap="truncate-end">
        <Text color={theme.tokens.text.accent} bold>
          {' bosun '}
        </Text>
        {/* A safety badge comes first: a long line is cut at its end, never here. */}
        {readOnly && (
          <Text color={theme.tokens.status.warning} bold>
            {'READ-ONLY '}
          </Text>
        )}
        {loading && (
          <Text color={theme.tokens.status.warning}>
            {`${spinnerFrame(now, theme.ascii)} ${clip(loading.progress ?? 'loading', 32)} `}
          </Text>
        )}
        <Text color={theme.tokens.text.secondary}> repo </Text>
        <Text color={theme.tokens.text.primary}>
          {repo.name}
          {head}
        </Text>
        <Text color={repo.error ? theme.tokens.status.error : theme.tokens.text.secondary}>
          {` (${repo.remote ? `${repo.remote}/` : ''}${repo.branch}${fetched})`}
          {repo.error ? ` ${g.warning} ${clip(repo.error, 40)}` : ''}
        </Text>
        {problems.length > 0 && (
          <Text color={theme.tokens.status.warning}>
            {`  ${g.warning} ${problems.length} repo problem${problems.length === 1 ? '' : 's'}: ${clip(problems[0]?.message ?? '', 50)}`}
          </Text>
        )}
        {auto.hint && <Text color={theme.tokens.status.warning}>{`  ${g.warning} ${auto.hint}`}</Text>}
        {clusterWarnings.length > 0 && (
          <Text color={theme.tokens.status.warning}>
            {`  ${g.warning} ${clip(clusterWarnings[0] ?? '', 70)}${clusterWarnings.length > 1 ? ` (+${clusterWarnings.length - 1})` : ''}`}
          </Text>
        )}
        <Text color={theme.tokens.text.secondary}>{'  clusters'}</Text>
        {clusters.map((c) => (
          <Text key={c.name}>
            <Text color={c.production ? theme.tokens.context.production : theme.tokens.text.primary}>
              {' '}
              {c.name}{' '}
            </Text>
            <Text color={clusterColour(theme, c)}>{clusterGlyph(theme, c)}</Text>
          </Text>
        ))}
        <Text color={auto.warn ? theme.tokens.status.warning : theme.tokens.text.secondary}>
          {`  ${auto.text}`}
        </Text>
        <Text color={theme.tokens.text.secondary}>{'  ? help'}</Text>
      </Text>
      <Text wrap="truncate-end">
        <Text color={theme.tokens.border.default}>{`${g.rule} `}</Text>
        <Text color={theme.tokens.text.primary} bold>
          {crumbText}
        </Text>
        <Text color={theme.tokens.border.default}>{` ${g.rule.repeat(fill)} `}</Text>
        <Text color={badge.colour} bold={badge.bold} inverse={target.production}>
          {` ${badge.text} `}
        </Text>
        <Text color={theme.tokens.border.default}>{` ${g.rule}`}</Text>
      </Text>
    </Box>
  );
});
