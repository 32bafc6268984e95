import { posix } from 'node:path';
import { isProductionName } from './production.js';
import {
  BackendType,
  type BosunConfig,
  type ClusterConfig,
  ConfigError,
  cloneDefaultConfig,
  type EnvironmentConfig,
  type NotificationsConfig,
  NotificationTrigger,
  TrackingAnnotation,
} from './types.js';

type Obj = Record<string, unknown>;

/** Checks values read from a config file; failures are one-line ConfigErrors naming file and key. */
class Checker {
  constructor(
    readonly source: string,
    readonly warnings: string[],
  ) {}

  fail(key: string, problem: string): never {
    throw new ConfigError(`${this.source}: ${key} ${problem}`, { file: this.source, key });
  }

  isObject(v: unknown): v is Obj {
    return typeof v === 'object' && v !== null && !Array.isArray(v);
  }

  object(v: unknown, key: string): Obj {
    if (!this.isObject(v)) this.fail(key, 'must be a mapping');
    return v;
  }

  /** Warns about keys not in `allowed`. */
  known(obj: Obj, key: string, allowed: readonly string[]): void {
    for (const k of Object.keys(obj)) {
      if (!allowed.includes(k)) this.warnings.push(`${this.source}: unknown key ${join(key, k)} (ignored)`);
    }
  }

  string(v: unknown, key: string): string {
    if (typeof v !== 'string') this.fail(key, 'must be a string');
    if (v.trim() === '') this.fail(key, 'must not be empty');
    return v;
  }

  optString(v: unknown, key: string): string | undefined {
    return v === undefined || v === null ? undefined : this.string(v, key);
  }

  bool(v: unknown, key: string, dflt: boolean): boolean {
    if (v === undefined || v === null) return dflt;
    if (typeof v !== 'boolean') this.fail(key, 'must be true or false');
    return v;
  }

  positive(v: unknown, key: string, dflt: number, opts: { integer: boolean }): number {
    if (v === undefined || v === null) return dflt;
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) this.fail(key, 'must be a positive number');
    if (opts.integer && !Number.isInteger(v)) this.fail(key, 'must be a whole number');
    return v;
  }

  list(v: unknown, key: string): unknown[] {
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) this.fail(key, 'must be a list');
    return v;
  }

  stringList(v: unknown, key: string): string[] {
    if (typeof v === 'string') return [this.string(v, key)];
    return this.list(v, key).map((x, i) => this.string(x, `${key}[${i}]`));
  }

  stringMap(v: unknown, key: string): Record<string, string> {
    if (v === undefined || v === null) return {};
    const o = this.object(v, key);
    const out: Record<string, string> = {};
    for (const [k, x] of Object.entries(o)) {
      if (typeof x !== 'string') this.fail(join(key, k), 'must be a string');
      out[k] = x;
    }
    return out;
  }
}

function join(parent: string, k: string): string {
  return parent === '' ? k : `${parent}.${k}`;
}

const topKeys = [
  'repo',
  'backend',
  'roots',
  'clusters',
  'inClusterContext',
  'environments',
  'tracking',
  'promote',
  'limits',
  'binaries',
  'theme',
  'automation',
  'customizations',
  'argocdNamespace',
  'notifications',
] as const;

/** Validates the parsed YAML of a config file and fills in defaults. Throws ConfigError. */
export function validateConfig(raw: unknown, source: string): BosunConfig {
  const config = cloneDefaultConfig();
  const c = new Checker(source, config.warnings);
  if (raw === undefined || raw === null) return config;
  if (!c.isObject(raw)) {
    throw new ConfigError(`${source}: the top level must be a mapping`, { file: source });
  }
  c.known(raw, '', topKeys);

  if (raw.repo !== undefined && raw.repo !== null) {
    const r = c.object(raw.repo, 'repo');
    c.known(r, 'repo', ['path', 'remote', 'branch']);
    config.repo = {
      path: c.optString(r.path, 'repo.path') ?? config.repo.path,
      remote: c.optString(r.remote, 'repo.remote') ?? config.repo.remote,
      branch: c.optString(r.branch, 'repo.branch') ?? config.repo.branch,
    };
  }

  if (raw.backend !== undefined && raw.backend !== null) {
    const b = c.object(raw.backend, 'backend');
    c.known(b, 'backend', ['type', 'context', 'namespace']);
    const type = c.optString(b.type, 'backend.type') ?? config.backend.type;
    const allowed = Object.values(BackendType) as string[];
    if (!allowed.includes(type)) c.fail('backend.type', `must be one of ${allowed.join(', ')}`);
    const namespace = c.optString(b.namespace, 'backend.namespace') ?? config.backend.namespace;
    checkNamespace(c, namespace, 'backend.namespace');
    const context = c.optString(b.context, 'backend.context');
    config.backend = { type: type as BackendType, namespace, ...(context === undefined ? {} : { context }) };
  }

  if (raw.roots !== undefined && raw.roots !== null) {
    const roots = c.stringList(raw.roots, 'roots');
    if (roots.length === 0) c.fail('roots', 'must name at least one directory (omit it to scan argocd/)');
    config.roots = roots.map((r, i) => checkRepoPath(c, r, `roots[${i}]`));
  }

  if (raw.customizations !== undefined && raw.customizations !== null) {
    config.customizations = c.stringList(raw.customizations, 'customizations');
  }
  const argocdNamespace = c.optString(raw.argocdNamespace, 'argocdNamespace');
  if (argocdNamespace !== undefined)
    config.argocdNamespace = checkNamespace(c, argocdNamespace, 'argocdNamespace');

  config.clusters = c.list(raw.clusters, 'clusters').map((x, i) => cluster(c, x, `clusters[${i}]`));
  uniqueBy(c, config.clusters, 'clusters', (x) => x.name, 'name');
  uniqueBy(c, config.clusters, 'clusters', (x) => x.server, 'server');

  if (raw.notifications !== undefined && raw.notifications !== null)
    config.notifications = notifications(c, raw.notifications);

  config.inClusterContext = c.optString(raw.inClusterContext, 'inClusterContext');
  config.automation = c.bool(raw.automation, 'automation', true);

  config.environments = c
    .list(raw.environments, 'environments')
    .map((x, i) => environment(c, x, `environments[${i}]`));
  uniqueBy(c, config.environments, 'environments', (x) => x.name, 'name');

  if (raw.tracking !== undefined && raw.tracking !== null) {
    const t = c.object(raw.tracking, 'tracking');
    c.known(t, 'tracking', ['annotation']);
    const a = c.optString(t.annotation, 'tracking.annotation');
    if (a !== undefined) {
      const allowed = Object.values(TrackingAnnotation) as string[];
      if (!allowed.includes(a)) c.fail('tracking.annotation', `must be one of ${allowed.join(', ')}`);
      config.tracking = { annotation: a as TrackingAnnotation };
    }
  }

  if (raw.promote !== undefined && raw.promote !== null) {
    const p = c.object(raw.promote, 'promote');
    c.known(p, 'promote', ['helmValueKey']);
    config.promote = {
      helmValueKey: c.optString(p.helmValueKey, 'promote.helmValueKey') ?? config.promote.helmValueKey,
    };
  }

  if (raw.limits !== undefined && raw.limits !== null) {
    const l = c.object(raw.limits, 'limits');
    c.known(l, 'limits', ['renderTimeoutSeconds', 'maxManifestBytes']);
    config.limits = {
      renderTimeoutSeconds: c.positive(
        l.renderTimeoutSeconds,
        'limits.renderTimeoutSeconds',
        config.limits.renderTimeoutSeconds,
        { integer: false },
      ),
      maxManifestBytes: c.positive(
        l.maxManifestBytes,
        'limits.maxManifestBytes',
        config.limits.maxManifestBytes,
        {
          integer: true,
        },
      ),
    };
  }

  if (raw.binaries !== undefined && raw.binaries !== null) {
    const b = c.object(raw.binaries, 'binaries');
    c.known(b, 'binaries', ['kustomize', 'helm']);
    const kustomize = c.optString(b.kustomize, 'binaries.kustomize');
    const helm = c.optString(b.helm, 'binaries.helm');
    config.binaries = {
      ...(kustomize === undefined ? {} : { kustomize }),
      ...(helm === undefined ? {} : { helm }),
    };
  }

  config.theme = c.optString(raw.theme, 'theme') ?? config.theme;
  return config;
}

function cluster(c: Checker, raw: unknown, key: string): ClusterConfig {
  const o = c.object(raw, key);
  c.known(o, key, [
    'name',
    'context',
    'server',
    'labels',
    'annotations',
    'readOnly',
    'theme',
    'argocdNamespace',
  ]);
  if (o.name === undefined) c.fail(`${key}.name`, 'is required');
  const name = c.string(o.name, `${key}.name`);
  const server = c.optString(o.server, `${key}.server`);
  if (server !== undefined && !/^https?:\/\/[^\s]+$/.test(server)) {
    c.fail(`${key}.server`, 'must be an https:// or http:// URL');
  }
  const theme = c.optString(o.theme, `${key}.theme`);
  const argocdNamespace = c.optString(o.argocdNamespace, `${key}.argocdNamespace`);
  if (argocdNamespace !== undefined) checkNamespace(c, argocdNamespace, `${key}.argocdNamespace`);
  return {
    name,
    context: c.optString(o.context, `${key}.context`) ?? name,
    ...(server === undefined ? {} : { server: server.replace(/\/+$/, '') }),
    labels: c.stringMap(o.labels, `${key}.labels`),
    annotations: c.stringMap(o.annotations, `${key}.annotations`),
    readOnly: c.bool(o.readOnly, `${key}.readOnly`, false),
    ...(theme === undefined ? {} : { theme }),
    ...(argocdNamespace === undefined ? {} : { argocdNamespace }),
  };
}

function checkNamespace(c: Checker, ns: string, key: string): string {
  if (!/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(ns)) c.fail(key, 'must be a Kubernetes namespace name');
  return ns;
}

function notifications(c: Checker, raw: unknown): NotificationsConfig {
  const n = c.object(raw, 'notifications');
  c.known(n, 'notifications', ['targets', 'subscriptions']);
  const targets = c.list(n.targets, 'notifications.targets').map((x, i) => {
    const key = `notifications.targets[${i}]`;
    const o = c.object(x, key);
    c.known(o, key, ['name', 'url', 'headers', 'body']);
    if (o.name === undefined) c.fail(`${key}.name`, 'is required');
    if (o.url === undefined) c.fail(`${key}.url`, 'is required');
    const url = c.string(o.url, `${key}.url`);
    if (!/^https?:\/\/[^\s]+$/.test(url)) c.fail(`${key}.url`, 'must be an https:// or http:// URL');
    const body = c.optString(o.body, `${key}.body`);
    return {
      name: c.string(o.name, `${key}.name`),
      url,
      headers: c.stringMap(o.headers, `${key}.headers`),
      ...(body === undefined ? {} : { body }),
    };
  });
  uniqueBy(c, targets, 'notifications.targets', (x) => x.name, 'name');
  const known = Object.values(NotificationTrigger) as string[];
  const subscriptions = c.list(n.subscriptions, 'notifications.subscriptions').map((x, i) => {
    const key = `notifications.subscriptions[${i}]`;
    const o = c.object(x, key);
    c.known(o, key, ['triggers', 'targets', 'apps', 'projects']);
    const triggers = c.stringList(o.triggers, `${key}.triggers`);
    if (triggers.length === 0) c.fail(`${key}.triggers`, `must name at least one of ${known.join(', ')}`);
    for (const t of triggers)
      if (!known.includes(t)) c.fail(`${key}.triggers`, `has "${t}"; use one of ${known.join(', ')}`);
    const to = c.stringList(o.targets, `${key}.targets`);
    if (to.length === 0) c.fail(`${key}.targets`, 'must name at least one target');
    for (const t of to)
      if (!targets.some((x) => x.name === t)) c.fail(`${key}.targets`, `names "${t}", which is not a target`);
    return {
      triggers: triggers as NotificationTrigger[],
      targets: to,
      apps: c.stringList(o.apps, `${key}.apps`),
      projects: c.stringList(o.projects, `${key}.projects`),
    };
  });
  return { targets, subscriptions };
}

function environment(c: Checker, raw: unknown, key: string): EnvironmentConfig {
  const o: Obj = typeof raw === 'string' ? { name: raw } : c.object(raw, key);
  c.known(o, key, ['name', 'production', 'requireReview', 'apps', 'clusters', 'paths']);
  if (o.name === undefined) c.fail(`${key}.name`, 'is required');
  const name = c.string(o.name, `${key}.name`);
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) {
    c.fail(`${key}.name`, 'must be letters, digits, ".", "_" or "-"');
  }
  return {
    name,
    production: c.bool(o.production, `${key}.production`, isProductionName(name)),
    requireReview: c.bool(o.requireReview, `${key}.requireReview`, false),
    apps: c.stringList(o.apps, `${key}.apps`),
    clusters: c.stringList(o.clusters, `${key}.clusters`),
    paths: c.stringList(o.paths, `${key}.paths`),
  };
}

/** A repo-relative path that stays inside the repository, normalised (no trailing slash). */
function checkRepoPath(c: Checker, p: string, key: string): string {
  if (p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p)) c.fail(key, 'must be relative to the repository root');
  const n = posix.normalize(p.replace(/\\/g, '/')).replace(/\/+$/, '');
  if (n === '..' || n.startsWith('../')) c.fail(key, 'must stay inside the repository');
  return n === '' ? '.' : n;
}

function uniqueBy<T>(
  c: Checker,
  items: T[],
  listKey: string,
  get: (x: T) => string | undefined,
  field: string,
): void {
  const seen = new Map<string, number>();
  items.forEach((item, i) => {
    const v = get(item);
    if (v === undefined) return;
    const prev = seen.get(v);
    if (prev !== undefined)
      c.fail(`${listKey}[${i}].${field}`, `"${v}" is already used by ${listKey}[${prev}]`);
    seen.set(v, i);
  });
}
