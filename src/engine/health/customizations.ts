/**
 * Health customizations in Argo CD's sense: Lua health scripts keyed by `<group>/<Kind>` (core group: just
 * `Kind`), with `*` wildcards (`*.crossplane.io/*`). Sources are merged highest first by whoever loads them
 * (argocd-cm, then directories); this module only picks the script for an object and runs it through the
 * runner it is given, so health stays a pure function of (object, customizations).
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

/** Loaded customizations: health and action scripts by key, and the runner for health scripts. */
export type Customizations = {
  /** Health scripts by `<group>/<Kind>` key, exact keys and wildcard keys; first match wins for wildcards. */
  health: Map<string, ScriptSource>;
  /** Action scripts by key. */
  actions: Map<string, ActionScripts>;
  run: HealthScriptRunner;
};

/** The key Argo CD uses for a group and kind: `group/Kind`, or just `Kind` for the core group. */
export function customizationKey(group: string, kind: string): string {
  return group ? `${group}/${kind}` : kind;
}

function globToRegExp(glob: string): RegExp {
  return new RegExp(
    `^${glob
      .split('*')
      .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
}

/** The script for a key: the exact key first, then the first wildcard key that matches. */
export function lookupScript<T>(map: Map<string, T>, key: string): T | undefined {
  const exact = map.get(key);
  if (exact !== undefined) return exact;
  for (const [pattern, value] of map)
    if (pattern.includes('*') && globToRegExp(pattern).test(key)) return value;
  return undefined;
}

/**
 * The health a customization gives an object: undefined when no script applies or the script has no opinion;
 * Unknown with the script's error when it fails. `check` names the script's origin.
 */
export function customizedHealth(obj: KubeObject, c: Customizations): Health | undefined {
  const key = customizationKey(splitApiVersion(obj.apiVersion).group, obj.kind);
  const source = lookupScript(c.health, key);
  if (!source) return undefined;
  try {
    const health = c.run(source.script, obj, { openLibs: source.openLibs ?? true });
    return health ? { ...health, check: source.origin } : undefined;
  } catch (err) {
    return { status: HealthStatus.Unknown, message: (err as Error).message, check: source.origin };
  }
}

/**
 * Merges sources, highest precedence first: a health key in an earlier source hides the same key in later
 * ones. For actions, as Argo CD: the highest source's discovery lists them (lower discoveries join only with
 * `mergeBuiltin`), and an action name not defined higher up is taken from lower sources.
 */
export function mergeCustomizations(
  run: HealthScriptRunner,
  sources: { health: Map<string, ScriptSource>; actions: Map<string, ActionScripts> }[],
): Customizations {
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
  return { health, actions, run };
}
