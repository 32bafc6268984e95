import type { BosunConfig } from '../../config/types.js';
import type { AppSpec } from '../model/index.js';
import { globMatch } from './glob.js';

/** The default environment chain when the config names none (aliases share a rank). */
export const defaultEnvironmentRanks: Readonly<Record<string, number>> = Object.freeze({
  local: 0,
  dev: 1,
  development: 1,
  int: 2,
  integration: 2,
  test: 3,
  testing: 3,
  qa: 4,
  uat: 5,
  stage: 6,
  staging: 6,
  stg: 6,
  preprod: 7,
  'pre-prod': 7,
  prod: 9,
  production: 9,
  prd: 9,
  live: 9,
});

/** Folder names whose next path segment is an environment (`apps/x/overlays/staging`). */
const markerDirs = new Set(['overlays', 'overlay', 'envs', 'environments', 'environment', 'env', 'stages']);
const notEnvironments = new Set(['base', 'bases', 'common', 'shared', 'default', 'components']);
const aliasGroups = [
  ['prod', 'production', 'prd'],
  ['dev', 'development'],
  ['stage', 'staging', 'stg'],
  ['test', 'testing'],
];

type EnvConfig = Pick<BosunConfig, 'environments' | 'clusters'>;

/**
 * The environment chain, first to last: the config's order, else dev < test < qa < staging <
 * prod/production. Environments not in the config come after it; unknown names without config
 * sort alphabetically just before production.
 */
export function environmentOrder(
  config: Pick<BosunConfig, 'environments'>,
  envs: Iterable<string>,
): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  const push = (e: string) => {
    if (seen.has(e)) return;
    seen.add(e);
    out.push(e);
  };
  if (config.environments.length > 0) {
    for (const e of config.environments) push(e.name);
    for (const e of [...envs].sort()) push(e);
    return out;
  }
  const rank = (e: string) => defaultEnvironmentRanks[e.toLowerCase()] ?? 8;
  for (const e of [...new Set(envs)].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b))) push(e);
  return out;
}

/** Names recognised as environments in paths: the configured ones, else the defaults. */
export function knownEnvironments(config: Pick<BosunConfig, 'environments'>): Set<string> {
  if (config.environments.length > 0) return new Set(config.environments.map((e) => e.name));
  return new Set(Object.keys(defaultEnvironmentRanks));
}

/**
 * An app's environment: config rules (environments[].apps / paths / clusters) → label `environment`
 * or `env` → the ApplicationSet parameter `env`/`environment` → an overlay, environment or values
 * folder (or values file) name in a source path → the destination cluster's registry label. Pure.
 */
export function resolveEnvironment(
  app: AppSpec,
  opts: { config: EnvConfig; appSetEnv?: string },
): string | undefined {
  const { config } = opts;
  const paths = sourcePaths(app);
  const cluster = destinationCluster(app, config);
  const clusterName = cluster?.name ?? app.destination.name;
  for (const env of config.environments) {
    if (env.apps.some((g) => globMatch(g, app.name))) return env.name;
    if (env.paths.some((g) => paths.some((p) => globMatch(g, p)))) return env.name;
    if (clusterName && env.clusters.includes(clusterName)) return env.name;
  }
  const label = app.labels.environment || app.labels.env;
  if (label) return label;
  if (opts.appSetEnv) return opts.appSetEnv;
  const fromPath = environmentFromPaths(paths, knownEnvironments(config));
  if (fromPath) return fromPath;
  return cluster?.labels.environment || cluster?.labels.env || undefined;
}

/** The environment a set of repo paths names, if any (marker folders first, then value files, then any segment). */
export function environmentFromPaths(paths: string[], known: Set<string>): string | undefined {
  for (const p of paths) {
    const segs = p.split('/');
    for (let i = 0; i < segs.length - 1; i++) {
      if (!markerDirs.has((segs[i] as string).toLowerCase())) continue;
      const seg = segs[i + 1] as string;
      const next = /\.ya?ml$/i.test(seg) ? valuesFileEnv(seg) : seg;
      if (next && !notEnvironments.has(next.toLowerCase())) return next;
    }
  }
  for (const p of paths) {
    const candidate = valuesFileEnv(p.split('/').pop() ?? '');
    if (candidate && isKnown(candidate, known)) return candidate;
  }
  for (const p of paths) {
    for (const seg of p.split('/')) if (isKnown(stripExt(seg), known)) return stripExt(seg);
  }
  return undefined;
}

/**
 * An app's service: label `app.kubernetes.io/name` or `service`, else the app name without its
 * environment prefix/suffix, else the path segment next to the environment folder, else the name.
 */
export function resolveService(app: AppSpec, environment: string | undefined): string {
  const label = app.labels['app.kubernetes.io/name'] || app.labels.service;
  if (label) return label;
  if (environment) {
    for (const e of aliasesOf(environment)) {
      const lower = app.name.toLowerCase();
      if (lower.endsWith(`-${e}`) && lower.length > e.length + 1) return app.name.slice(0, -(e.length + 1));
      if (lower.startsWith(`${e}-`) && lower.length > e.length + 1) return app.name.slice(e.length + 1);
    }
  }
  const fromPath = serviceFromPath(app.sources.find((s) => s.path)?.path, environment);
  return fromPath ?? app.name;
}

function serviceFromPath(path: string | undefined, environment: string | undefined): string | undefined {
  if (!path) return undefined;
  const segs = path.split('/').filter((s) => s !== '' && s !== '.');
  const envs = new Set(environment ? aliasesOf(environment) : []);
  for (let i = 0; i < segs.length; i++) {
    const s = (segs[i] as string).toLowerCase();
    if (markerDirs.has(s) && i > 0) return segs[i - 1];
    if (envs.has(s)) {
      const after = segs[i + 1];
      if (after && !markerDirs.has(after.toLowerCase())) return after;
      if (i > 0 && !markerDirs.has((segs[i - 1] as string).toLowerCase())) return segs[i - 1];
    }
  }
  const last = segs[segs.length - 1];
  return last && !envs.has(last.toLowerCase()) ? last : undefined;
}

function aliasesOf(env: string): string[] {
  const e = env.toLowerCase();
  const group = aliasGroups.find((g) => g.includes(e));
  return group ? [e, ...group.filter((x) => x !== e)] : [e];
}

function isKnown(name: string, known: Set<string>): boolean {
  return known.has(name) || known.has(name.toLowerCase());
}

/** `values-prod.yaml`, `prod-values.yaml`, `values.prod.yaml`, `prod.yaml` → prod. */
function valuesFileEnv(file: string): string | undefined {
  const m = /^(?:values[-._](.+)|(.+)[-._]values|(.+))\.ya?ml$/i.exec(file);
  return m?.[1] ?? m?.[2] ?? m?.[3];
}

function stripExt(s: string): string {
  return s.replace(/\.ya?ml$/i, '');
}

function sourcePaths(app: AppSpec): string[] {
  const out: string[] = [];
  for (const s of app.sources) {
    if (s.path) out.push(s.path.replace(/^\.\//, ''));
    for (const vf of s.helm?.valueFiles ?? []) {
      const rel = vf.startsWith('$') ? vf.slice(vf.indexOf('/') + 1) : s.path ? `${s.path}/${vf}` : vf;
      out.push(rel.replace(/^\.\//, ''));
    }
  }
  return out;
}

function destinationCluster(app: AppSpec, config: Pick<BosunConfig, 'clusters'>) {
  const d = app.destination;
  if (d.name) return config.clusters.find((c) => c.name === d.name);
  if (d.server) return config.clusters.find((c) => c.server === d.server);
  return undefined;
}
