/**
 * Which Lua customizations apply where: each cluster's argocd-cm (read by a watch) above the directories of
 * `--customizations` and bosun.yaml. Health, sync gates, explain and resource actions ask
 * {@link customizationsFor} with the app's kubeconfig context.
 */
import { resolve } from 'node:path';
import type { ArgoCmCustomizations } from '../customizations/argocd-cm.js';
import { clusterCustomizations } from '../customizations/load.js';
import { loadCustomizationDirs } from '../customizations/load-dir.js';
import type { Customizations } from '../health/customizations.js';
import { createLuaVm, type LuaVm } from '../lua/index.js';
import type { EngineContext } from './context.js';

/** The customizations for apps on this context (its argocd-cm over the directories), if any. */
export function customizationsFor(
  ctx: EngineContext,
  context: string | undefined,
): Customizations | undefined {
  return (context ? ctx.clusterCustomizations.get(context) : undefined) ?? ctx.customizations;
}

/** The shared Lua VM, created on first need. */
export function luaVmOf(ctx: EngineContext): Promise<LuaVm> {
  ctx.luaVm ??= createLuaVm();
  return ctx.luaVm;
}

/** Loads the directories (`--customizations` first, then bosun.yaml's); throws a one-line error. */
export async function loadDirCustomizations(ctx: EngineContext): Promise<void> {
  const dirs = [
    ...new Set([...(ctx.opts.customizations ?? []).map((d) => resolve(d)), ...ctx.config.customizations]),
  ];
  try {
    ctx.customizationDirs = loadCustomizationDirs(dirs);
  } catch (err) {
    throw new Error(`cannot load health customizations: ${(err as Error).message}`, { cause: err });
  }
  if (ctx.customizationDirs.length > 0)
    ctx.customizations = clusterCustomizations(await luaVmOf(ctx), undefined, ctx.customizationDirs);
}

/**
 * Records a context's argocd-cm (undefined when it has none) and rebuilds that context's customizations.
 * Returns whether anything a script sees changed.
 */
export async function setArgoCm(
  ctx: EngineContext,
  context: string,
  cm: ArgoCmCustomizations | undefined,
): Promise<boolean> {
  const had = ctx.clusterCustomizations.has(context);
  const scripts = cm && (cm.health.size > 0 || cm.actions.size > 0) ? cm : undefined;
  if (!scripts) {
    ctx.clusterCustomizations.delete(context);
    return had;
  }
  const merged = clusterCustomizations(await luaVmOf(ctx), scripts, ctx.customizationDirs);
  if (merged) ctx.clusterCustomizations.set(context, merged);
  return true;
}
