import type { ResourceKey } from '../../engine/index.js';

// Local copies of the engine's key helpers (same `group/kind/namespace/name` format, DESIGN.md §1), so the
// TUI needs the engine only for types and its module graph stays light.

/** The canonical string form of a key: `group/kind/namespace/name`. */
export function keyId(key: ResourceKey): string {
  return `${key.group}/${key.kind}/${key.namespace}/${key.name}`;
}

/** Parses `group/kind/namespace/name`; undefined when malformed. */
export function parseKeyId(s: string): ResourceKey | undefined {
  const parts = s.split('/');
  if (parts.length !== 4) return undefined;
  const [group, kind, namespace, name] = parts as [string, string, string, string];
  return kind && name ? { group, kind, namespace, name } : undefined;
}

/** A short label: `Kind/name` or `Kind/namespace/name`. */
export function resourceLabel(key: ResourceKey): string {
  return key.namespace ? `${key.kind}/${key.namespace}/${key.name}` : `${key.kind}/${key.name}`;
}
