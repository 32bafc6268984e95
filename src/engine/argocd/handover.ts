/**
 * Hand-over between bosun's embedded engine and an existing Argo CD. `adopt` applies the repository's
 * Application, AppProject and ApplicationSet manifests to Argo CD's namespace (a server-side dry-run preview
 * first); `release` removes Applications from Argo CD without touching a single object they deployed. Neither
 * path deletes or prunes a workload object.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { discoverApps } from '../apps/discover.js';
import { isArgoObject } from '../apps/parse.js';
import { RepoFs } from '../apps/repo-fs.js';
import { parseYamlDocs } from '../apps/yaml.js';
import { GitRepo } from '../git/repo.js';
import type { KubeObject } from '../model/resource-key.js';
import type { ArgoCdConnection } from './open.js';

const group = 'argoproj.io';
const argoTracking = 'argocd.argoproj.io/tracking-id';
const finalizerPrefix = 'resources-finalizer.argocd.argoproj.io';

/** One Argo CD object adopt would write, and what the dry-run predicts. */
export type AdoptItem = {
  kind: 'Application' | 'AppProject' | 'ApplicationSet';
  name: string;
  file: string;
  action: 'create' | 'update' | 'unchanged';
  /** Top-level fields of `spec` that change (update only). */
  changed: string[];
  object: KubeObject;
};

/** What adopt would do: the repository revision, the objects, warnings, and refusals (nothing is written). */
export type AdoptPlan = { revision: string; items: AdoptItem[]; warnings: string[]; refusals: string[] };

type Found = { kind: AdoptItem['kind']; name: string; file: string; object: KubeObject };

/** Reads every Argo CD object in the files under the roots of a snapshot. */
async function argoObjectsIn(dir: string, roots: string[], maxBytes: number): Promise<Found[]> {
  const fs = await RepoFs.open(dir, maxBytes);
  const out: Found[] = [];
  for (const root of roots) {
    for (const rel of await fs.listManifestFiles(root, { recurse: true, skipCharts: true })) {
      const r = await fs.readManifest(rel, { requireMarker: true });
      if (!r.ok) continue;
      const docs = parseYamlDocs(r.text);
      if (!docs.ok) continue;
      for (const d of docs.docs) {
        if (!isArgoObject(d)) continue;
        const o = d as KubeObject;
        out.push({ kind: o.kind as AdoptItem['kind'], name: o.metadata.name, file: rel, object: o });
      }
    }
  }
  return out;
}

/** True when every field `desired` sets has the same value in `live` (the API server adds defaults). */
function isSubset(desired: unknown, live: unknown): boolean {
  if (Array.isArray(desired))
    return (
      Array.isArray(live) && live.length === desired.length && desired.every((d, i) => isSubset(d, live[i]))
    );
  if (desired !== null && typeof desired === 'object') {
    if (live === null || typeof live !== 'object' || Array.isArray(live)) return false;
    const l = live as Record<string, unknown>;
    return Object.entries(desired as Record<string, unknown>).every(([k, v]) => isSubset(v, l[k]));
  }
  return desired === live;
}

function specChanges(live: unknown, desired: unknown): string[] {
  const l = (live ?? {}) as Record<string, unknown>;
  const d = (desired ?? {}) as Record<string, unknown>;
  return Object.keys(d)
    .filter((k) => !isSubset(d[k], l[k]))
    .sort();
}

/** Plans the adoption of the named apps (all when none): which Argo CD objects would be created or updated. */
export async function planAdopt(
  conn: ArgoCdConnection,
  opts: { repoPath: string; apps: string[]; readOnly: boolean; cacheDir?: string },
): Promise<AdoptPlan> {
  const cacheDir = opts.cacheDir ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'bosun');
  const repo = await GitRepo.open({ path: opts.repoPath, cacheDir });
  const revision = await repo.resolve(conn.config.repo.branch).catch(() => repo.resolve('HEAD'));
  const dir = await repo.snapshot(revision);
  const discovery = await discoverApps({ dir, config: conn.config });
  const roots = conn.config.roots.length ? conn.config.roots : ['.'];
  const found = await argoObjectsIn(dir, roots, conn.config.limits.maxManifestBytes);
  const refusals: string[] = [];
  const warnings: string[] = [];
  if (opts.readOnly) refusals.push('adopt writes to Argo CD and bosun runs --read-only');
  const wanted = opts.apps.length ? opts.apps : discovery.apps.map((a) => a.name);
  const picked = new Map<string, Found>();
  const pick = (kind: Found['kind'], name: string) => {
    const f = found.find((x) => x.kind === kind && x.name === name);
    if (f) picked.set(`${kind}/${name}`, f);
    return f;
  };
  for (const name of wanted) {
    const app = discovery.apps.find((a) => a.name === name);
    if (!app) {
      refusals.push(`no application ${name} in the repository at ${revision.slice(0, 7)}`);
      continue;
    }
    const ok = app.origin.applicationSet
      ? pick('ApplicationSet', app.origin.applicationSet)
      : pick('Application', name);
    if (!ok)
      refusals.push(
        `${name}: its manifest was not found in the repository (generated by ${app.origin.parentApp ?? 'a render'}; adopt its parent)`,
      );
    if (app.project !== 'default') {
      if (!pick('AppProject', app.project) && !conn.source.projects().some((p) => p.name === app.project))
        refusals.push(`${name}: project ${app.project} is neither in the repository nor in Argo CD`);
    }
    // The project may arrive with this adoption; the destination's read-only status may not change.
    for (const r of conn.source.refusals(app, { projectMayBeNew: true })) refusals.push(r);
  }
  if (conn.config.tracking.annotation !== argoTracking)
    warnings.push(
      `bosun tracks objects with ${conn.config.tracking.annotation}; Argo CD recognises only ${argoTracking}, so it will show objects bosun deployed as OutOfSync until it syncs them (set tracking.annotation: ${argoTracking} and sync with bosun first for a hand-over with no diff)`,
    );
  const items: AdoptItem[] = [];
  for (const f of picked.values()) {
    const object: KubeObject = {
      ...f.object,
      metadata: { ...f.object.metadata, namespace: conn.namespace },
    };
    const key = { group, kind: f.kind, namespace: conn.namespace, name: f.name };
    const live = await conn.cluster.get(key, object.apiVersion);
    // The API server validates the object against Argo CD's CRDs without storing it.
    await conn.cluster.apply(object, { dryRun: true });
    const changed = live ? specChanges(live.spec, object.spec) : [];
    items.push({
      kind: f.kind,
      name: f.name,
      file: f.file,
      action: !live ? 'create' : changed.length ? 'update' : 'unchanged',
      changed,
      object,
    });
  }
  items.sort((a, b) => `${a.kind}/${a.name}`.localeCompare(`${b.kind}/${b.name}`));
  return { revision, items, warnings, refusals };
}

/** Applies an adopt plan (server-side apply, field manager bosun). Refuses a plan with refusals. */
export async function applyAdopt(conn: ArgoCdConnection, plan: AdoptPlan): Promise<void> {
  if (plan.refusals.length) throw new Error(`adopt refused: ${plan.refusals[0]}`);
  // Projects first, so Argo CD never sees an app of an unknown project.
  const order = { AppProject: 0, Application: 1, ApplicationSet: 2 } as const;
  for (const i of [...plan.items].sort((a, b) => order[a.kind] - order[b.kind])) {
    if (i.action !== 'unchanged') await conn.cluster.apply(i.object);
  }
}

/** What release would do for each app: remove it from Argo CD, keeping every object it deployed. */
export type ReleasePlan = { apps: { name: string; finalizers: string[] }[]; refusals: string[] };

/** Plans the release of the named apps (all when none) from Argo CD. */
export function planRelease(
  conn: ArgoCdConnection,
  opts: { apps: string[]; readOnly: boolean },
): ReleasePlan {
  const refusals: string[] = [];
  if (opts.readOnly) refusals.push('release writes to Argo CD and bosun runs --read-only');
  const all = conn.source.apps();
  const names = opts.apps.length ? opts.apps : all.map((a) => a.spec.name);
  const apps: ReleasePlan['apps'] = [];
  for (const name of names) {
    const a = all.find((x) => x.spec.name === name);
    if (!a) {
      refusals.push(`no Application ${name} in Argo CD`);
      continue;
    }
    if (a.status.operationPending || a.status.operation?.phase === 'Running')
      refusals.push(`${name}: an operation is running in Argo CD; wait for it or terminate it`);
    const finalizers = ((a.object.metadata as { finalizers?: string[] }).finalizers ?? []).filter((f) =>
      f.startsWith(finalizerPrefix),
    );
    apps.push({ name, finalizers });
  }
  return { apps, refusals };
}

/**
 * Releases apps: drops Argo CD's resources finalizer (which would delete the deployed objects), then deletes the
 * Application. The objects stay, with their tracking annotation, for bosun's embedded engine to take over.
 */
export async function applyRelease(conn: ArgoCdConnection, plan: ReleasePlan): Promise<void> {
  if (plan.refusals.length) throw new Error(`release refused: ${plan.refusals[0]}`);
  for (const a of plan.apps) {
    const key = { group, kind: 'Application', namespace: conn.namespace, name: a.name };
    const live = await conn.cluster.get(key, `${group}/v1alpha1`);
    if (!live) continue;
    const keep = ((live.metadata as { finalizers?: string[] }).finalizers ?? []).filter(
      (f) => !f.startsWith(finalizerPrefix),
    );
    await conn.cluster.mergePatch(
      key,
      { metadata: { finalizers: keep.length ? keep : null } },
      {
        apiVersion: `${group}/v1alpha1`,
      },
    );
    await conn.cluster.delete(key, { propagationPolicy: 'Orphan' });
  }
}
