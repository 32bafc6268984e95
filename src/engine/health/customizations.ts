/**
 * Health customizations in Argo CD's sense: Lua health scripts keyed by `<group>/<Kind>` (core group: just
 * `Kind`), with `*` wildcards (`*.crossplane.io/*`). Sources come highest first from whoever loads them
 * (argocd-cm, then directories); a lookup goes source by source, the exact key before the wildcards in each,
 * as Argo CD looks in argocd-cm (exact, wildcard) before its built-in library (exact, wildcard). This module
 * only picks the script for an object and runs it through the runner it is given, so health stays a pure
 * function of (object, customizations).
 */
import type { Health, KubeObject } from '../model/index.js';
import { HealthStatus, splitApiVersion } from '../model/index.js';

/**
 * One script and where it came from ("health.lua from argocd-cm in production"). `openLibs: false` runs it
 * without the open libraries (`string`, `math`…), as Argo CD runs argocd-cm scripts unless `useOpenLibs`.
 */
export type ScriptSource = { script: string; origin: string; openLibs?: boolean };

/**
 * Action scripts of one kind: discovery scripts (highest first) and the action scripts by name.
 * `mergeBuiltin` (argocd-cm's `mergeBuiltinActions`) also lists the actions of lower sources.
 */
export type ActionScripts = {
  discovery: ScriptSource[];
  actions: Map<string, ScriptSource>;
  mergeBuiltin?: boolean;
};

/** Runs a health script; throws when the script fails. */
export type HealthScriptRunner = (
  script: string,
  obj: KubeObject,
  opts?: { openLibs?: boolean },
) => Health | undefined;

/** The scripts of one source (an argocd-cm, a directory), keys exact or with wildcards. */
export type CustomizationSource = {
  health: Map<string, ScriptSource>;
  actions: Map<string, ActionScripts>;
  /**
   * Wildcards as Argo CD matches directory names (`_` for `*`, doublestar path globs): a `*` stays within
   * the group or the kind. Without it (argocd-cm keys), a `*` matches any run of characters.
   */
  pathGlobs?: boolean;
};

/** Loaded customizations: the sources highest first, and the runner for health scripts. */
export type Customizations = {
  /** Health scripts by exact `<group>/<Kind>` key, the highest source's for each key (wildcard keys kept as such). */
  health: Map<string, ScriptSource>;
  /** Action scripts by exact key, merged across sources. */
  actions: Map<string, ActionScripts>;
  /** The sources, highest first: lookups go source by source, the exact key before wildcards in each. */
  layers: CustomizationSource[];
  run: HealthScriptRunner;
};

/** The key Argo CD uses for a group and kind: `group/Kind`, or just `Kind` for the core group. */
export function customizationKey(group: string, kind: string): string {
  return group ? `${group}/${kind}` : kind;
}

const globs = new Map<string, RegExp>();

/** A customization key as a pattern: `*` (within one path segment when `path`), `?` one character. */
function globToRegExp(glob: string, path: boolean): RegExp {
  const id = `${path ? 'p' : 'a'}:${glob}`;
  let re = globs.get(id);
  if (!re) {
    const any = path ? '[^/]*' : '.*';
    const one = path ? '[^/]' : '.';
    const body = [...glob]
      .map((ch) => (ch === '*' ? any : ch === '?' ? one : ch.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
      .join('');
    re = new RegExp(`^${body}$`);
    globs.set(id, re);
  }
  return re;
}

const isPattern = (key: string) => key.includes('*') || key.includes('?');

/**
 * The script for a key in one source: the exact key first, then the first wildcard key that matches (in the
 * source's order: argocd-cm as written, directories sorted), as Argo CD looks up its resource overrides.
 */
export function lookupScript<T>(
  map: Map<string, T>,
  key: string,
  opts: { pathGlobs?: boolean } = {},
): T | undefined {
  const exact = map.get(key);
  if (exact !== undefined) return exact;
  for (const [pattern, value] of map)
    if (isPattern(pattern) && globToRegExp(pattern, opts.pathGlobs ?? false).test(key)) return value;
  return undefined;
}

/**
 * The health script for a key: source by source, highest first, each source's exact key before its
 * wildcards (Argo CD: argocd-cm exact, argocd-cm wildcard, then its built-in library exact, then wildcard).
 */
export function healthScriptFor(c: Pick<Customizations, 'layers'>, key: string): ScriptSource | undefined {
  for (const layer of c.layers) {
    const s = lookupScript(layer.health, key, layer);
    if (s) return s;
  }
  return undefined;
}

/**
 * The action scripts for a key, merged over the sources that have an entry for it (exact key, else a
 * matching wildcard, in each source): the highest source's discovery lists the actions (lower discoveries
 * join only with `mergeBuiltin`), and an action not defined higher up is taken from lower sources.
 */
export function actionScriptsFor(c: Pick<Customizations, 'layers'>, key: string): ActionScripts | undefined {
  let out: ActionScripts | undefined;
  for (const layer of c.layers) {
    const v = lookupScript(layer.actions, key, layer);
    if (!v) continue;
    if (!out) {
      out = { ...v, discovery: [...v.discovery], actions: new Map(v.actions) };
      continue;
    }
    if (out.mergeBuiltin) {
      out.discovery.push(...v.discovery);
      out.mergeBuiltin = v.mergeBuiltin ?? false;
    }
    for (const [name, script] of v.actions) if (!out.actions.has(name)) out.actions.set(name, script);
  }
  return out;
}

/**
 * The health a customization gives an object: undefined when no script applies or the script has no opinion;
 * Unknown with the script's error when it fails. `check` names the script's origin.
 */
export function customizedHealth(obj: KubeObject, c: Customizations): Health | undefined {
  const key = customizationKey(splitApiVersion(obj.apiVersion).group, obj.kind);
  const source = healthScriptFor(c, key);
  if (!source) return undefined;
  try {
    const health = c.run(source.script, obj, { openLibs: source.openLibs ?? true });
    return health ? { ...health, check: source.origin } : undefined;
  } catch (err) {
    return { status: HealthStatus.Unknown, message: (err as Error).message, check: source.origin };
  }
}

/**
 * Stacks sources, highest precedence first. Lookups ({@link customizedHealth}, {@link actionScriptsFor}) go
 * through the layers; the `health` and `actions` maps are the merged view by key, for listings: a health key
 * in an earlier source hides the same key in later ones, and for actions, as Argo CD, the highest source's
 * discovery lists them (lower discoveries join only with `mergeBuiltin`) and an action name not defined
 * higher up is taken from lower sources.
 */
export function mergeCustomizations(run: HealthScriptRunner, sources: CustomizationSource[]): Customizations {
  const health = new Map<string, ScriptSource>();
  const actions = new Map<string, ActionScripts>();
  for (const s of sources) {
    for (const [k, v] of s.health) if (!health.has(k)) health.set(k, v);
    for (const [k, v] of s.actions) {
      const higher = actions.get(k);
      if (!higher) {
        actions.set(k, { ...v, discovery: [...v.discovery], actions: new Map(v.actions) });
        continue;
      }
      if (higher.mergeBuiltin) {
        higher.discovery.push(...v.discovery);
        higher.mergeBuiltin = v.mergeBuiltin ?? false;
      }
      for (const [name, script] of v.actions) if (!higher.actions.has(name)) higher.actions.set(name, script);
    }
  }
  return { health, actions, layers: sources, run };
}
