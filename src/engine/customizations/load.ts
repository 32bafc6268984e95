/**
 * Loads the Lua customizations the engine uses: directories named with `--customizations` first, then
 * bosun.yaml's `customizations:`, and per cluster the argocd-cm Argo CD runs with (highest of all). Every
 * script runs in one sandboxed Lua VM shared by every check and action.
 */
import type { Customizations } from '../health/customizations.js';
import { mergeCustomizations } from '../health/customizations.js';
import { type LuaVm, luaHealthRunner } from '../lua/index.js';
import type { ArgoCmCustomizations } from './argocd-cm.js';
import type { DirCustomizations } from './load-dir.js';

/** The customizations of one cluster: its argocd-cm (when it has scripts) above the directories. */
export function clusterCustomizations(
  vm: LuaVm,
  cm: ArgoCmCustomizations | undefined,
  dirs: DirCustomizations[],
): Customizations | undefined {
  const sources = cm && (cm.health.size > 0 || cm.actions.size > 0) ? [cm, ...dirs] : dirs;
  if (sources.length === 0) return undefined;
  return mergeCustomizations(luaHealthRunner(vm), sources);
}
