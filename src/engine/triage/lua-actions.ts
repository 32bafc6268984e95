/**
 * Lua resource actions from the customizations bosun loads (argocd-cm `resource.customizations.actions.*`,
 * directories in Argo CD's layout: `<group>/<Kind>/actions/discovery.lua`, `…/actions/<name>/action.lua`),
 * run in the sandboxed Lua VM.
 * `discovery.lua` lists the actions; `action.lua` returns the patched object (applied as a merge patch of
 * what it changed, status through the status subresource) or new-style impacts (patch / create).
 */
import type { ActionInfo, ActionStep } from '../actions/builtin.js';
import { createMergePatch } from '../actions/merge-patch.js';
import {
  type ActionScripts,
  actionScriptsFor,
  type Customizations,
  customizationKey,
} from '../health/customizations.js';
import { type LuaVm, runAction, runActionDiscovery } from '../lua/index.js';
import { type KubeObject, splitApiVersion } from '../model/resource-key.js';
import type { LuaActions } from './actions.js';

function scriptsFor(c: Pick<Customizations, 'layers'>, obj: KubeObject): ActionScripts | undefined {
  return actionScriptsFor(c, customizationKey(splitApiVersion(obj.apiVersion).group, obj.kind));
}

/** The steps that turn `obj` into `next`: a merge patch of the object, and one of its status when that changed. */
export function patchSteps(obj: KubeObject, next: KubeObject): ActionStep[] {
  const { status: before, ...restBefore } = obj as KubeObject & { status?: unknown };
  const { status: after, ...restAfter } = next as KubeObject & { status?: unknown };
  const steps: ActionStep[] = [];
  const main = createMergePatch(restBefore, restAfter);
  if (main !== undefined) steps.push({ op: 'patch', patchType: 'merge', patch: main });
  const status = createMergePatch(before ?? {}, after ?? {});
  if (status !== undefined)
    steps.push({ op: 'patch', patchType: 'merge', subresource: 'status', patch: { status } });
  return steps;
}

/**
 * The Lua actions of customizations (argocd-cm of the app's cluster, then the directories; in each, the
 * exact `<group>/<Kind>` key before wildcard keys), run on `vm`. Scripts keep their own library set
 * (argocd-cm actions run without the open libraries, as in Argo CD).
 */
export function luaActionsOf(c: Pick<Customizations, 'layers'>, vm: LuaVm): LuaActions | undefined {
  if (!c.layers.some((l) => l.actions.size > 0)) return undefined;
  return {
    list(obj): ActionInfo[] {
      const s = scriptsFor(c, obj);
      if (!s || s.discovery.length === 0) return [];
      return runActionDiscovery(vm, s.discovery, obj).map((a) => ({
        name: a.name,
        source: 'lua' as const,
        ...(a.disabled ? { disabled: 'its discovery.lua says it is disabled now' } : {}),
        ...(a.params?.length ? { params: a.params.map((p) => p.name) } : {}),
      }));
    },
    run(obj, action, params): ActionStep[] {
      const script = scriptsFor(c, obj)?.actions.get(action);
      if (!script) throw new Error(`no action.lua for ${action} of ${obj.kind}`);
      return runAction(vm, script.script, obj, params, { openLibs: script.openLibs ?? true }).flatMap(
        (impact) =>
          impact.operation === 'create'
            ? [{ op: 'create' as const, object: impact.resource }]
            : patchSteps(obj, impact.resource),
      );
    },
  };
}
