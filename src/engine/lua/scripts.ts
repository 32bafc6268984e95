/**
 * Argo CD's three kinds of customization script, run on a {@link LuaVm}:
 *
 * - `health.lua`: sees `obj`, returns `{status = "...", message = "..."}` → {@link runHealthScript}.
 * - `actions/discovery.lua`: sees `obj`, returns `{["name"] = {disabled = false, iconClass = "..."}, ...}`
 *   → {@link runActionDiscovery} (a list of actions; several discovery scripts merge, the first one wins).
 * - `actions/<name>/action.lua`: sees `obj` and `actionParams`, returns the patched object (old style) or a
 *   list of `{operation = "patch"|"create", resource = {...}}` (new style) → {@link runAction}.
 *
 * Errors are {@link LuaScriptError}s carrying the script's own message.
 */
import type { Health, KubeObject } from '../model/index.js';
import { HealthStatus } from '../model/index.js';
import { LuaScriptError, type LuaVm } from './vm.js';

/** One action a discovery script offers. */
export type LuaAction = {
  name: string;
  disabled: boolean;
  iconClass?: string;
  displayName?: string;
  /** Parameters the action takes, as the script declares them (`params = {{name = "..."}}`). */
  params?: { name: string; [k: string]: unknown }[];
};

/** What an action script changes: the patched object itself, or a resource it creates. */
export type LuaActionImpact = {
  operation: 'patch' | 'create';
  resource: KubeObject;
};

const STATUSES = new Set<string>(Object.values(HealthStatus));

/**
 * Runs a health script. A script that returns nothing or an empty table gives `undefined` (no opinion, as in
 * Argo CD); an unknown status gives Unknown "Lua returned an invalid health status". Throws
 * {@link LuaScriptError} when the script fails.
 */
export function runHealthScript(
  vm: LuaVm,
  script: string,
  obj: KubeObject,
  opts: { openLibs?: boolean } = {},
): Health | undefined {
  const out = vm.run({ script, globals: { obj }, chunkName: 'health.lua', openLibs: opts.openLibs ?? true });
  if (out === undefined || Array.isArray(out)) return undefined;
  if (typeof out !== 'object' || out === null)
    throw new LuaScriptError('runtime', `health.lua returned a ${typeof out}, not a table`);
  const table = out as Record<string, unknown>;
  const status = typeof table.status === 'string' ? table.status : '';
  const message = typeof table.message === 'string' ? table.message : '';
  if (!STATUSES.has(status))
    return { status: HealthStatus.Unknown, message: 'Lua returned an invalid health status' };
  return { status: status as HealthStatus, message };
}

/** Runs discovery scripts in order and merges the actions they offer; an earlier script's action wins. */
export function runActionDiscovery(
  vm: LuaVm,
  scripts: (string | { script: string; openLibs?: boolean })[],
  obj: KubeObject,
): LuaAction[] {
  const found = new Map<string, LuaAction>();
  for (const s of scripts) {
    const { script, openLibs = true } = typeof s === 'string' ? { script: s } : s;
    const out = vm.run({ script, globals: { obj }, chunkName: 'discovery.lua', openLibs });
    if (Array.isArray(out)) continue; // an empty table: no actions
    if (typeof out !== 'object' || out === null)
      throw new LuaScriptError('runtime', `discovery.lua returned a ${typeof out}, not a table`);
    for (const [name, value] of Object.entries(out as Record<string, unknown>)) {
      if (found.has(name)) continue;
      const v =
        value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
      const action: LuaAction = { name, disabled: v.disabled === true };
      if (typeof v.iconClass === 'string') action.iconClass = v.iconClass;
      if (typeof v.displayName === 'string') action.displayName = v.displayName;
      if (Array.isArray(v.params))
        action.params = v.params.filter(
          (p): p is { name: string } =>
            !!p && typeof p === 'object' && typeof (p as { name?: unknown }).name === 'string',
        );
      found.set(name, action);
    }
  }
  return [...found.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * Runs an action script on `obj` with its parameters (strings, as Argo CD passes them) and returns what it
 * changes. The old style (the script returns the object) gives one `patch` impact; empty objects the script
 * did not touch stay objects (Lua cannot tell `{}` from `[]`).
 */
export function runAction(
  vm: LuaVm,
  script: string,
  obj: KubeObject,
  params: Record<string, string> = {},
  opts: { openLibs?: boolean } = {},
): LuaActionImpact[] {
  const out = vm.run({
    script,
    globals: { obj, actionParams: params },
    chunkName: 'action.lua',
    openLibs: opts.openLibs ?? true,
  });
  if (out === undefined || typeof out !== 'object' || out === null)
    throw new LuaScriptError('runtime', 'action.lua returned no table');
  if (Array.isArray(out)) {
    return out.map((item, i) => {
      const it = (item ?? {}) as { operation?: unknown; resource?: unknown };
      const operation = it.operation === 'create' ? 'create' : it.operation === 'patch' ? 'patch' : undefined;
      if (!operation || !it.resource || typeof it.resource !== 'object')
        throw new LuaScriptError('runtime', `action.lua result ${i + 1} has no valid operation and resource`);
      const resource = it.resource as KubeObject;
      return {
        operation,
        resource: operation === 'patch' ? (restoreEmptyObjects(resource, obj) as KubeObject) : resource,
      };
    });
  }
  return [{ operation: 'patch', resource: restoreEmptyObjects(out, obj) as KubeObject }];
}

/** Where the original held an object and the result an empty array, the result gets an empty object back. */
function restoreEmptyObjects(next: unknown, prev: unknown): unknown {
  if (Array.isArray(next)) {
    if (next.length === 0 && prev && typeof prev === 'object' && !Array.isArray(prev)) return {};
    if (!Array.isArray(prev)) return next;
    return next.map((v, i) => (i < prev.length ? restoreEmptyObjects(v, prev[i]) : v));
  }
  if (next && typeof next === 'object' && prev && typeof prev === 'object' && !Array.isArray(prev)) {
    const p = prev as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(next as Record<string, unknown>))
      out[k] = k in p ? restoreEmptyObjects(v, p[k]) : v;
    return out;
  }
  return next;
}

/** A health-script runner backed by a VM, for {@link Customizations} (errors propagate to the caller). */
export function luaHealthRunner(
  vm: LuaVm,
): (script: string, obj: KubeObject, opts?: { openLibs?: boolean }) => Health | undefined {
  return (script, obj, opts) => runHealthScript(vm, script, obj, opts);
}
