/**
 * Small manifest repositories for the sync e2e tests (sync-waves and sync-failures): one plain-directory app
 * per case, each in its own namespace, built from object helpers. Not a test file.
 */
import { join } from 'node:path';
import { inject } from 'vitest';
import type { OperationResult, PlanTask } from '../../src/engine/index.js';
import { createFixtureRepo, type FixtureRepo, yamlDocs } from '../fixtures/repos/index.js';
import { bosun, e2eEnv, kubectl } from './helpers.js';

/** An object as written in a manifest. */
export type Manifest = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; annotations?: Record<string, string> };
  [k: string]: unknown;
};

/** Argo CD's wave annotation. */
export const wave = (n: number) => ({ 'argocd.argoproj.io/sync-wave': String(n) });

/** A hook annotation (and optional delete policy). */
export const hook = (phase: string, deletePolicy?: string) => ({
  'argocd.argoproj.io/hook': phase,
  ...(deletePolicy ? { 'argocd.argoproj.io/hook-delete-policy': deletePolicy } : {}),
});

/** A ConfigMap. */
export function configMap(
  name: string,
  data: Record<string, string> = { k: 'v' },
  annotations?: Record<string, string>,
): Manifest {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, ...(annotations ? { annotations } : {}) },
    data,
  };
}

/** A Deployment (kwok makes its pods Ready unless `nodeSelector` matches no node). */
export function deployment(
  name: string,
  opts: {
    replicas?: unknown;
    annotations?: Record<string, string>;
    nodeSelector?: Record<string, string>;
    progressDeadlineSeconds?: number;
  } = {},
): Manifest {
  const labels = { 'app.kubernetes.io/name': name };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, ...(opts.annotations ? { annotations: opts.annotations } : {}) },
    spec: {
      replicas: opts.replicas ?? 1,
      ...(opts.progressDeadlineSeconds ? { progressDeadlineSeconds: opts.progressDeadlineSeconds } : {}),
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          ...(opts.nodeSelector ? { nodeSelector: opts.nodeSelector } : {}),
          containers: [{ name: 'app', image: `registry.local/e2e/${name}:v1` }],
        },
      },
    },
  };
}

/** A Job (kwok completes its pod; a `nodeSelector` matching no node plus a deadline makes it fail). */
export function job(
  name: string,
  opts: {
    annotations?: Record<string, string>;
    nodeSelector?: Record<string, string>;
    deadlineSeconds?: number;
  } = {},
): Manifest {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, ...(opts.annotations ? { annotations: opts.annotations } : {}) },
    spec: {
      backoffLimit: 0,
      ...(opts.deadlineSeconds ? { activeDeadlineSeconds: opts.deadlineSeconds } : {}),
      template: {
        spec: {
          restartPolicy: 'Never',
          ...(opts.nodeSelector ? { nodeSelector: opts.nodeSelector } : {}),
          containers: [{ name: 'run', image: `registry.local/e2e/${name}:v1` }],
        },
      },
    },
  };
}

/** One app of a sync fixture repository. */
export type SyncApp = {
  namespace: string;
  cluster?: string;
  /** File name (under `apps/<app>/`) → objects. */
  files: Record<string, Manifest | Manifest[]>;
  syncPolicy?: Record<string, unknown>;
};

/** Files of one app's manifests (for commitFiles). */
export function appFiles(
  app: string,
  files: Record<string, Manifest | Manifest[] | null>,
): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const [file, objs] of Object.entries(files))
    out[`apps/${app}/${file}`] = objs === null ? null : yamlDocs(...(Array.isArray(objs) ? objs : [objs]));
  return out;
}

/** A repository with `argocd/<app>.yaml` Applications (project default, CreateNamespace=true) and their manifests. */
export function syncRepo(name: string, apps: Record<string, SyncApp>): Promise<FixtureRepo> {
  return createFixtureRepo({
    name,
    files: (repoURL) => {
      const files: Record<string, string> = {};
      for (const [app, spec] of Object.entries(apps)) {
        files[`argocd/${app}.yaml`] = yamlDocs({
          apiVersion: 'argoproj.io/v1alpha1',
          kind: 'Application',
          metadata: { name: app, namespace: 'argocd' },
          spec: {
            project: 'default',
            source: { repoURL, targetRevision: 'main', path: `apps/${app}` },
            destination: { name: spec.cluster ?? 'dev', namespace: spec.namespace },
            syncPolicy: { syncOptions: ['CreateNamespace=true'], ...spec.syncPolicy },
          },
        });
        Object.assign(files, appFiles(app, spec.files) as Record<string, string>);
      }
      return files;
    },
  });
}

/** Deletes the operation history and lease bosun keeps for apps in `bosun-system` of a context. */
export function deleteBosunRecords(context: string, apps: string[]): void {
  for (const app of apps) {
    kubectl(context, [
      '-n',
      'bosun-system',
      'delete',
      `configmap/bosun-history-${app}`,
      `lease/bosun-sync-${app}`,
      '--ignore-not-found',
    ]);
  }
}

/** Sets up this test process for in-process engines: kustomize/helm on PATH, identity, journal location. */
export function inProcessEnv(): { cacheDir: string; kubeconfig: string } {
  const cp = inject('controlPlane');
  if (!process.env.PATH?.startsWith(cp.binDir)) process.env.PATH = `${cp.binDir}:${process.env.PATH ?? ''}`;
  process.env.BOSUN_USER = 'e2e@test';
  process.env.XDG_STATE_HOME = join(cp.runDir, 'state');
  return { cacheDir: join(cp.runDir, 'cache'), kubeconfig: cp.kubeconfig };
}

/** A field of a live object read with kubectl jsonpath ('' when absent). */
export function field(context: string, ns: string, what: string, path: string): string {
  return kubectl(context, ['-n', ns, 'get', what, '--ignore-not-found', '-o', `jsonpath=${path}`]).trim();
}

/** Whether an object exists. */
export function exists(context: string, ns: string, what: string): boolean {
  return kubectl(context, ['-n', ns, 'get', what, '--ignore-not-found', '-o', 'name']).trim() !== '';
}

/** `bosun sync -o json`. */
export type SyncJson = OperationResult & { app: string };

/** Runs `bosun sync APP --yes -o json` and parses its result. */
export async function syncCli(repo: FixtureRepo, app: string, extra: string[] = [], env = e2eEnv()) {
  const r = await bosun(['sync', app, '--repo', repo.work, '--yes', '-o', 'json', ...extra], { env });
  const result = r.stdout.trim() ? (JSON.parse(r.stdout) as SyncJson) : undefined;
  return { ...r, result };
}

/** One task of a sync result, by kind and name. */
export const task = (r: { tasks: PlanTask[] } | undefined, kind: string, name: string) =>
  r?.tasks.find((t) => t.key.kind === kind && t.key.name === name);
/** An ISO time in seconds since the epoch. */
export const seconds = (iso: string) => Date.parse(iso) / 1000;
