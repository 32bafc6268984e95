/**
 * Reads Argo CD's resource customizations out of an `argocd-cm` ConfigMap's data, as Argo CD's settings
 * manager does: the legacy `resource.customizations` block (a YAML map of `<group>/<Kind>` to
 * `{health.lua, health.lua.useOpenLibs, actions}`), then the split keys
 * `resource.customizations.<health|actions|useOpenLibs>.<group>_<Kind>` (core kinds: just `<Kind>`; `all` is
 * `*\/*`), which win over the block. `actions` values are YAML: `discovery.lua`, `definitions: [{name,
 * action.lua}]` and `mergeBuiltinActions`. Scripts from argocd-cm run without the open libraries unless
 * `useOpenLibs` says so (health only: Argo CD runs every action without them). System-level diffing
 * customizations come the same two ways (`ignoreDifferences` in the block, as a YAML string, or the split
 * key `resource.customizations.ignoreDifferences.<group>_<Kind>`; `.all` is every kind) and become
 * ignoreDifferences rules for that group and kind. Pure: bad entries become warnings, never errors.
 */
import { parse } from 'yaml';
import type { ActionScripts, ScriptSource } from '../health/customizations.js';
import type { IgnoreDifference } from '../model/app.js';
import type { DirCustomizations } from './load-dir.js';

/** The customizations one argocd-cm holds, and what could not be read. */
export type ArgoCmCustomizations = DirCustomizations & {
  /** System-level ignoreDifferences rules, applied to every app on the cluster before the app's own. */
  ignoreDifferences: IgnoreDifference[];
  warnings: string[];
};

type Override = { health?: string; openLibs: boolean; actions?: string; ignore?: string };

const PREFIX = 'resource.customizations';
const TRUE = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const FALSE = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);

/** `cert-manager.io_Certificate` → `cert-manager.io/Certificate`, `Pod` → `Pod`; undefined when malformed. */
export function overrideKey(groupKind: string): string | undefined {
  const parts = groupKind.split('_');
  if (parts.length === 2) return groupKind === 'all' ? '*/*' : `${parts[0]}/${parts[1]}`;
  if (parts.length === 1 && groupKind !== '') return groupKind === 'all' ? '*/*' : groupKind;
  return undefined;
}

function legacyBlock(text: string, out: Map<string, Override>, warnings: string[]): void {
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (err) {
    warnings.push(`${PREFIX} is not valid YAML (${(err as Error).message.split('\n')[0]}); ignored`);
    return;
  }
  if (raw === null || raw === undefined) return;
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    warnings.push(`${PREFIX} is not a map of group/Kind to customizations; ignored`);
    return;
  }
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    const v = value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
    const o: Override = { openLibs: v['health.lua.useOpenLibs'] === true };
    if (typeof v['health.lua'] === 'string') o.health = v['health.lua'];
    if (typeof v.actions === 'string') o.actions = v.actions;
    if (typeof v.ignoreDifferences === 'string') o.ignore = v.ignoreDifferences;
    out.set(key === 'all' ? '*/*' : key, o);
  }
}

function actionScripts(
  text: string,
  key: string,
  where: string,
  warnings: string[],
): ActionScripts | undefined {
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (err) {
    warnings.push(`actions of ${key} are not valid YAML (${(err as Error).message.split('\n')[0]}); ignored`);
    return undefined;
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    warnings.push(`actions of ${key} are not a map with discovery.lua and definitions; ignored`);
    return undefined;
  }
  const r = raw as Record<string, unknown>;
  const scripts: ActionScripts = {
    discovery: [],
    actions: new Map(),
    mergeBuiltin: r.mergeBuiltinActions === true,
  };
  if (typeof r['discovery.lua'] === 'string' && r['discovery.lua'] !== '')
    scripts.discovery.push({
      script: r['discovery.lua'],
      origin: `discovery.lua of ${key} from argocd-cm in ${where}`,
      openLibs: false,
    });
  for (const d of Array.isArray(r.definitions) ? r.definitions : []) {
    const def = d && typeof d === 'object' ? (d as Record<string, unknown>) : {};
    if (typeof def.name !== 'string' || typeof def['action.lua'] !== 'string') {
      warnings.push(`an action of ${key} has no name or action.lua; ignored`);
      continue;
    }
    if (!scripts.actions.has(def.name))
      scripts.actions.set(def.name, {
        script: def['action.lua'],
        origin: `action.lua ${def.name} of ${key} from argocd-cm in ${where}`,
        openLibs: false,
      });
  }
  return scripts;
}

const stringList = (v: unknown): string[] | undefined =>
  Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : undefined;

/**
 * One system-level rule: `<group>/<Kind>` (or `Kind`, or `*\/*` for all) with the YAML value's
 * jsonPointers, jqPathExpressions and managedFieldsManagers.
 */
function ignoreRule(text: string, key: string, warnings: string[]): IgnoreDifference | undefined {
  const what = `ignoreDifferences of ${key === '*/*' ? 'all' : key}`;
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (err) {
    warnings.push(`${what} is not valid YAML (${(err as Error).message.split('\n')[0]}); ignored`);
    return undefined;
  }
  if (raw === null || raw === undefined) return undefined;
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    warnings.push(
      `${what} is not a map of jsonPointers, jqPathExpressions and managedFieldsManagers; ignored`,
    );
    return undefined;
  }
  const r = raw as Record<string, unknown>;
  const slash = key.indexOf('/');
  const rule: IgnoreDifference =
    slash < 0 ? { group: '', kind: key } : { group: key.slice(0, slash), kind: key.slice(slash + 1) };
  for (const field of ['jsonPointers', 'jqPathExpressions', 'managedFieldsManagers'] as const) {
    if (r[field] == null) continue;
    const list = stringList(r[field]);
    if (list) rule[field] = list;
    else warnings.push(`${what}: ${field} is not a list of strings; ignored`);
  }
  return rule.jsonPointers || rule.jqPathExpressions || rule.managedFieldsManagers ? rule : undefined;
}

/** The customizations in an argocd-cm's data; `where` names the cluster in every origin. */
export function parseArgoCm(
  data: Record<string, string> | undefined,
  o: { where: string },
): ArgoCmCustomizations {
  const warnings: string[] = [];
  const overrides = new Map<string, Override>();
  const legacy = data?.[PREFIX];
  if (legacy) legacyBlock(legacy, overrides, warnings);
  for (const [k, v] of Object.entries(data ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
    if (!k.startsWith(`${PREFIX}.`)) continue;
    const rest = k.slice(PREFIX.length + 1);
    const dot = rest.indexOf('.');
    if (dot < 0) continue;
    const type = rest.slice(0, dot);
    if (type !== 'health' && type !== 'actions' && type !== 'useOpenLibs' && type !== 'ignoreDifferences')
      continue;
    const key = overrideKey(rest.slice(dot + 1));
    if (!key) {
      warnings.push(`${k}: the key must end in <group>_<Kind> or <Kind>; ignored`);
      continue;
    }
    const ov = overrides.get(key) ?? { openLibs: false };
    if (type === 'health') ov.health = v;
    else if (type === 'actions') ov.actions = v;
    else if (type === 'ignoreDifferences') ov.ignore = v;
    else if (TRUE.has(v.trim())) ov.openLibs = true;
    else if (FALSE.has(v.trim())) ov.openLibs = false;
    else warnings.push(`${k}: "${v}" is not true or false; ignored`);
    overrides.set(key, ov);
  }
  const out: ArgoCmCustomizations = {
    health: new Map(),
    actions: new Map(),
    ignoreDifferences: [],
    warnings,
  };
  for (const [key, ov] of overrides) {
    if (ov.ignore) {
      const rule = ignoreRule(ov.ignore, key, warnings);
      if (rule) out.ignoreDifferences.push(rule);
    }
    if (ov.health) {
      const source: ScriptSource = {
        script: ov.health,
        origin: `health.lua from argocd-cm in ${o.where}`,
        openLibs: ov.openLibs,
      };
      out.health.set(key, source);
    }
    if (ov.actions) {
      const scripts = actionScripts(ov.actions, key, o.where, warnings);
      if (scripts) out.actions.set(key, scripts);
    }
  }
  return out;
}
