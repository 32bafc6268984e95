import { Text } from 'ink';
import type { Theme } from '../theme/types.js';

type HealthKey = keyof Theme['tokens']['health'];
const healthKeys: Record<string, HealthKey> = {
  Healthy: 'healthy',
  Progressing: 'progressing',
  Degraded: 'degraded',
  Suspended: 'suspended',
  Missing: 'missing',
  Unknown: 'unknown',
};

/** The theme key of a health state (unknown for anything else). */
export function healthKey(health: string | undefined): HealthKey {
  return (health && healthKeys[health]) || 'unknown';
}

/** The theme key of a sync state: app states and per-resource states (Missing/Extra/Foreign are out of sync). */
export function syncKey(sync: string | undefined): 'synced' | 'outOfSync' | 'unknown' {
  if (sync === 'Synced') return 'synced';
  if (sync === undefined || sync === 'Unknown') return 'unknown';
  return 'outOfSync';
}

/** A coloured sync glyph; `syncing` shows the running-operation glyph instead. */
export function SyncGlyph({
  theme,
  sync,
  syncing,
}: {
  theme: Theme;
  sync: string | undefined;
  syncing?: boolean;
}) {
  const k = syncKey(sync);
  return (
    <Text color={theme.tokens.sync[k]}>{syncing ? theme.glyphs.sync.syncing : theme.glyphs.sync[k]}</Text>
  );
}

/** A coloured health glyph. */
export function HealthGlyph({ theme, health }: { theme: Theme; health: string | undefined }) {
  const k = healthKey(health);
  return <Text color={theme.tokens.health[k]}>{theme.glyphs.health[k]}</Text>;
}
