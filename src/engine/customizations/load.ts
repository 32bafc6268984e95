/**
 * Loads the Lua health customizations the engine uses, once at start: directories named with `--customizations`
 * first, then bosun.yaml's `customizations:`. The scripts run in one sandboxed Lua VM shared by every check.
 */
import type { Customizations } from '../health/customizations.js';
import { mergeCustomizations } from '../health/customizations.js';
import { createLuaVm, luaHealthRunner } from '../lua/index.js';
import { loadCustomizationDirs } from './load-dir.js';

/** Merged customizations of the directories (the first highest), or undefined when none are named. */
export async function loadHealthCustomizations(dirs: string[]): Promise<Customizations | undefined> {
  const unique = [...new Set(dirs)];
  if (unique.length === 0) return undefined;
  const sources = loadCustomizationDirs(unique);
  return mergeCustomizations(luaHealthRunner(await createLuaVm()), sources);
}
