/**
 * An existing Argo CD as bosun's backend: a list+watch (never polling) of the Application, AppProject and
 * ApplicationSet CRs in Argo CD's namespace, and the writes Argo CD's API makes (sync operation, refresh,
 * terminate), each checked against read-only and the AppProject before anything is sent.
 */

import { parseApplication, parseAppProject } from '../apps/parse.js';
import { checkProject } from '../apps/project.js';
import type { KubeCluster, WatchEvent } from '../kube/cluster.js';
import type { ApiResource } from '../kube/discovery.js';
import { KindWatch } from '../live/kind-watch.js';
import type { AppProject, AppSpec } from '../model/app.js';
import type { KubeObject } from '../model/resource-key.js';
import { type ArgoSyncRequest, refreshPatch, syncOperationPatch, terminatePatch } from './requests.js';
import { type ArgoApplicationObject, type ArgoAppStatus, argoAppStatus } from './status.js';

const group = 'argoproj.io';
/** The Argo CD kinds bosun watches. */
export const argoKinds = ['Application', 'AppProject', 'ApplicationSet'] as const;
type ArgoKindName = (typeof argoKinds)[number];

/** A one-line refusal: nothing was written. */
export class ArgoCdRefusal extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ArgoCdRefusal';
  }
}

/** An ApplicationSet as Argo CD reports it: the Applications it generated, and its error. */
export type ArgoAppSetState = { name: string; generated: string[]; error?: string };

/** The ApplicationSet that generated an Application (its controller owner reference), if any. */
export function generatorOf(o: KubeObject): string | undefined {
  return o.metadata.ownerReferences?.find(
    (r) => r.kind === 'ApplicationSet' && r.apiVersion.startsWith(`${group}/`),
  )?.name;
}

/** An ApplicationSet's state from its CR: generated apps (status and owned), and an ErrorOccurred condition. */
export function appSetState(o: KubeObject, owned: readonly string[]): ArgoAppSetState {
  const status = (o.status ?? {}) as { resources?: unknown; conditions?: unknown };
  const fromStatus = (Array.isArray(status.resources) ? status.resources : []).flatMap((r) => {
    const x = r as { kind?: unknown; name?: unknown };
    return x.kind === 'Application' && typeof x.name === 'string' ? [x.name] : [];
  });
  const error = (Array.isArray(status.conditions) ? status.conditions : []).find((c) => {
    const x = c as { type?: unknown; status?: unknown };
    return x.type === 'ErrorOccurred' && x.status === 'True';
  }) as { message?: unknown } | undefined;
  return {
    name: o.metadata.name,
    generated: [...new Set([...fromStatus, ...owned])].sort(),
    ...(error && typeof error.message === 'string' && error.message ? { error: error.message } : {}),
  };
}

/** One Application as Argo CD sees it: the spec in bosun's terms plus Argo CD's status. */
export type ArgoApp = { spec: AppSpec; status: ArgoAppStatus; object: ArgoApplicationObject };

/** Options of an ArgoCdSource. */
export type ArgoCdSourceOptions = {
  /** The cluster Argo CD runs in. */
  cluster: KubeCluster;
  /** Argo CD's namespace. */
  namespace: string;
  /** Called after every change of a watched CR, with the Application's name when one changed (coalesce downstream). */
  onChange?: (application?: string) => void;
  /** Called on a watch failure (the watch retries by itself). */
  onError?: (err: unknown) => void;
  /** True when a destination (by name or server) must never receive a mutating action. */
  isReadOnly?: (destination: { name?: string; server?: string }) => boolean;
};

/** Argo CD's Applications, AppProjects and ApplicationSets, kept current by watches. */
export class ArgoCdSource {
  private readonly objects: Record<ArgoKindName, Map<string, KubeObject>> = {
    Application: new Map(),
    AppProject: new Map(),
    ApplicationSet: new Map(),
  };
  private readonly watches: KindWatch[] = [];
  /** Parsed Applications by name, reused while their resourceVersion stays (1,000 apps parse once). */
  private readonly parsed = new Map<string, { rv: string | undefined; app: ArgoApp }>();
  private stopped = false;

  constructor(private readonly o: ArgoCdSourceOptions) {}

  /** Starts the watches; resolves once each kind has been listed (rejects when Argo CD's CRDs are missing). */
  async start(timeoutMs = 30_000): Promise<void> {
    const resources: ApiResource[] = [];
    for (const kind of argoKinds) {
      const r = await this.o.cluster.resolve(group, kind);
      if (!r)
        throw new ArgoCdRefusal(
          `the cluster ${this.o.cluster.context} has no Argo CD ${kind} kind (is Argo CD installed there?)`,
        );
      resources.push(r);
    }
    for (const r of resources) {
      const kind = r.kind as ArgoKindName;
      const w = new KindWatch(
        this.o.cluster,
        r,
        {
          onReset: (items) => {
            this.objects[kind] = new Map(items.map((i) => [i.metadata.name, i]));
            this.o.onChange?.();
          },
          onEvent: (e: WatchEvent) => {
            if (e.type === 'DELETED') this.objects[kind].delete(e.object.metadata.name);
            else this.objects[kind].set(e.object.metadata.name, e.object);
            this.o.onChange?.(kind === 'Application' ? e.object.metadata.name : undefined);
          },
          onFailure: (err) => this.o.onError?.(err),
          waitReachable: () => this.waitReachable(),
        },
        { namespace: this.o.namespace },
      );
      this.watches.push(w);
      w.start();
    }
    const deadline = Date.now() + timeoutMs;
    while (!this.watches.every((w) => w.listed)) {
      if (Date.now() > deadline)
        throw new ArgoCdRefusal(
          `Argo CD in ${this.o.cluster.context}/${this.o.namespace}: no answer in ${timeoutMs} ms`,
        );
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Stops the watches. */
  stop(): void {
    this.stopped = true;
    for (const w of this.watches) w.stop();
  }

  private async waitReachable(): Promise<void> {
    while (!this.stopped) {
      try {
        await this.o.cluster.version(3000);
        return;
      } catch {
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  }

  /** Every Application with Argo CD's view of it, by name. */
  apps(): ArgoApp[] {
    return [...this.objects.Application.values()]
      .map((o) => this.appOf(o))
      .sort((a, b) => a.spec.name.localeCompare(b.spec.name));
  }

  /** One Application, or undefined. */
  app(name: string): ArgoApp | undefined {
    const o = this.objects.Application.get(name);
    return o ? this.appOf(o) : undefined;
  }

  /** The AppProjects, parsed. */
  projects(): AppProject[] {
    return [...this.objects.AppProject.values()].map((p) =>
      parseAppProject(p as unknown as Record<string, unknown>),
    );
  }

  /** One AppProject, parsed, or undefined when Argo CD has none of that name. */
  project(name: string): AppProject | undefined {
    const p = this.objects.AppProject.get(name);
    return p ? parseAppProject(p as unknown as Record<string, unknown>) : undefined;
  }

  /** Names of the ApplicationSets. */
  applicationSets(): string[] {
    return [...this.objects.ApplicationSet.keys()].sort();
  }

  /**
   * Argo CD's ApplicationSets with the Applications each generated (its `status.resources` and the
   * Applications it owns) and its error condition, if any.
   */
  applicationSetStates(): ArgoAppSetState[] {
    const owned = new Map<string, string[]>();
    for (const a of this.objects.Application.values()) {
      const set = generatorOf(a);
      if (set) owned.set(set, [...(owned.get(set) ?? []), a.metadata.name]);
    }
    return [...this.objects.ApplicationSet.values()]
      .map((o) => appSetState(o, owned.get(o.metadata.name) ?? []))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  private appOf(o: KubeObject): ArgoApp {
    const name = o.metadata.name;
    const rv = o.metadata.resourceVersion;
    const hit = this.parsed.get(name);
    if (hit && hit.rv === rv && hit.app.object === (o as unknown)) return hit.app;
    const object = o as unknown as ArgoApplicationObject;
    const status = argoAppStatus(object);
    let spec: AppSpec;
    try {
      spec = parseApplication(o as unknown as Record<string, unknown>, {});
    } catch (err) {
      // A malformed spec is still Argo CD's app: listed, with the reason, never acted on by its spec.
      spec = {
        name,
        project: 'default',
        sources: [],
        destination: {},
        labels: o.metadata.labels ?? {},
        annotations: o.metadata.annotations ?? {},
        origin: {},
        service: name,
      };
      status.conditions.unshift({ type: 'InvalidSpec', message: `${name}: ${(err as Error).message}` });
    }
    const set = generatorOf(o);
    if (set) spec = { ...spec, origin: { ...spec.origin, applicationSet: set } };
    const app = { spec, status, object };
    if (this.parsed.size > this.objects.Application.size + 64)
      for (const k of this.parsed.keys()) if (!this.objects.Application.has(k)) this.parsed.delete(k);
    this.parsed.set(name, { rv, app });
    return app;
  }

  /** Refusals for writing to an app: read-only destination, AppProject rules (empty = permitted). */
  refusals(spec: AppSpec, opts: { projectMayBeNew?: boolean } = {}): string[] {
    const dest = spec.destination;
    const out: string[] = [];
    if (
      this.o.isReadOnly?.({
        ...(dest.name ? { name: dest.name } : {}),
        ...(dest.server ? { server: dest.server } : {}),
      })
    )
      out.push(`app ${spec.name}: its destination ${dest.name ?? dest.server ?? ''} is read-only`);
    const projectObj = this.objects.AppProject.get(spec.project);
    if (projectObj)
      out.push(
        ...checkProject(parseAppProject(projectObj as unknown as Record<string, unknown>), { app: spec }),
      );
    else if (!opts.projectMayBeNew)
      out.push(`app ${spec.name}: project ${spec.project} does not exist in Argo CD`);
    return out;
  }

  private mustApp(name: string): ArgoApp {
    const app = this.app(name);
    if (!app)
      throw new ArgoCdRefusal(
        `no Application ${name} in Argo CD (${this.o.cluster.context}/${this.o.namespace})`,
      );
    return app;
  }

  private async patch(name: string, body: Record<string, unknown>): Promise<void> {
    await this.o.cluster.mergePatch({ group, kind: 'Application', namespace: this.o.namespace, name }, body, {
      apiVersion: `${group}/v1alpha1`,
    });
  }

  /** Asks Argo CD to sync: sets `operation.sync` after the read-only and AppProject checks. */
  async sync(name: string, req: ArgoSyncRequest): Promise<void> {
    const app = this.mustApp(name);
    const refused = this.refusals(app.spec);
    if (refused.length) throw new ArgoCdRefusal(refused[0] ?? 'refused');
    const p = syncOperationPatch(app.object, req);
    if (!p.ok) throw new ArgoCdRefusal(p.reason);
    await this.patch(name, p.patch);
  }

  /** Asks Argo CD to refresh (hard: also regenerate manifests). Allowed in read-only: it changes no cluster object. */
  async refresh(name: string, opts: { hard: boolean }): Promise<void> {
    this.mustApp(name);
    await this.patch(name, refreshPatch(opts));
  }

  /** Asks Argo CD to terminate the running operation. */
  async terminate(name: string): Promise<void> {
    const app = this.mustApp(name);
    const refused = this.refusals(app.spec);
    if (refused.length) throw new ArgoCdRefusal(refused[0] ?? 'refused');
    const p = terminatePatch(app.object);
    if (!p.ok) throw new ArgoCdRefusal(p.reason);
    await this.patch(name, p.patch);
  }
}
