/**
 * Reads customization directories in Argo CD's layout: `<group>/<Kind>/health.lua`,
 * `<group>/<Kind>/actions/discovery.lua` and `<group>/<Kind>/actions/<name>/action.lua` (a core kind sits at
 * `<Kind>/` directly). A `_` in a group or kind directory name is Argo CD's spelling of the `*` wildcard
 * (`_.crossplane.io/_`); as in Argo CD, such a `*` stays within the group or the kind, and an exact directory
 * wins over wildcard ones. Test data (`testdata/`, `*_test.yaml`) is ignored.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ActionScripts, ScriptSource } from '../health/customizations.js';

/** Scripts found in one directory (`pathGlobs`: wildcard keys match as Argo CD matches directory names). */
export type DirCustomizations = {
  health: Map<string, ScriptSource>;
  actions: Map<string, ActionScripts>;
  pathGlobs?: boolean;
};

const isDir = (p: string) => {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
};

const wildcard = (name: string) => name.replaceAll('_', '*');

function readKind(dir: string, key: string, out: DirCustomizations): void {
  const health = join(dir, 'health.lua');
  if (existsSync(health))
    out.health.set(key, { script: readFileSync(health, 'utf8'), origin: `health.lua from ${dir}` });
  const actionsDir = join(dir, 'actions');
  if (!isDir(actionsDir)) return;
  const scripts: ActionScripts = { discovery: [], actions: new Map() };
  const discovery = join(actionsDir, 'discovery.lua');
  if (existsSync(discovery))
    scripts.discovery.push({
      script: readFileSync(discovery, 'utf8'),
      origin: `discovery.lua from ${actionsDir}`,
    });
  for (const name of readdirSync(actionsDir).sort()) {
    const file = join(actionsDir, name, 'action.lua');
    if (existsSync(file))
      scripts.actions.set(name, { script: readFileSync(file, 'utf8'), origin: `action.lua from ${file}` });
  }
  if (scripts.discovery.length > 0 || scripts.actions.size > 0) out.actions.set(key, scripts);
}

/** Loads one directory; throws a one-line error when it does not exist. */
export function loadCustomizationDir(root: string): DirCustomizations {
  if (!isDir(root)) throw new Error(`customizations directory ${root} does not exist`);
  const out: DirCustomizations = { health: new Map(), actions: new Map(), pathGlobs: true };
  for (const first of readdirSync(root).sort()) {
    const firstDir = join(root, first);
    if (!isDir(firstDir) || first === 'testdata') continue;
    // a core kind: <Kind>/health.lua
    if (existsSync(join(firstDir, 'health.lua')) || isDir(join(firstDir, 'actions'))) {
      readKind(firstDir, wildcard(first), out);
      continue;
    }
    for (const second of readdirSync(firstDir).sort()) {
      const kindDir = join(firstDir, second);
      if (second === 'testdata' || !isDir(kindDir)) continue;
      readKind(kindDir, `${wildcard(first)}/${wildcard(second)}`, out);
    }
  }
  return out;
}

/** Loads several directories, the first one highest. */
export function loadCustomizationDirs(dirs: string[]): DirCustomizations[] {
  return dirs.map((d) => loadCustomizationDir(d));
}
