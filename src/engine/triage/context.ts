/** What triage (logs, events, live YAML, actions, "why") needs from the engine: a narrow view of one app. */
import type { Env } from '../../config/paths.js';
import type { KubeCluster } from '../kube/cluster.js';
import { type KubeObject, keyLabel, type ResourceKey } from '../model/resource-key.js';
import type { Health } from '../model/status.js';
import type { EngineEvent } from '../types.js';

/** One resource of an app, as compared. */
export type TriageResource = { key: ResourceKey; live?: KubeObject; desired?: KubeObject; health?: Health };

/** One app as triage sees it. */
export type TriageApp = {
  name: string;
  context?: string;
  selfHeal: boolean;
  resources: TriageResource[];
};

/** The engine as triage sees it. */
export type TriageContext = {
  /** The app (throws a one-line Error for an unknown app). */
  app(name: string): TriageApp;
  /** The connected cluster of a context (undefined when unknown or unreachable). */
  cluster(context: string): KubeCluster | undefined;
  /** Cached objects owned by `uid` on a context (ReplicaSets, Pods…). */
  ownedBy(context: string, uid: string): KubeObject[];
  /** Why a mutation is refused on this app's cluster (read-only console or cluster), if it is. */
  readOnly(app: TriageApp): string | undefined;
  /** True when the app's cluster is production (typed confirmation needed). */
  production(app: TriageApp): boolean;
  /** `user@host`. */
  who: string;
  /** `user@host pid=N`. */
  holder: string;
  /** Where the audit journal goes. */
  journal?: { path?: string; env?: Env };
  /** The app's redaction step: its Secret values (desired and live) in text become `<redacted>`. */
  redact?(app: string): (text: string) => string;
  /** Publishes an engine event (operation progress, log lines). */
  emit(e: EngineEvent): void;
  /** Asks for a re-compare of the app after a change. */
  changed(app: string): void;
};

/** The live objects of an app: its resources and what they own (ReplicaSets, Pods, Jobs), two levels deep. */
export function appObjects(ctx: TriageContext, app: TriageApp): KubeObject[] {
  const out: KubeObject[] = [];
  const seen = new Set<string>();
  const add = (o: KubeObject, depth: number) => {
    const id = o.metadata.uid ?? `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`;
    if (seen.has(id)) return;
    seen.add(id);
    out.push(o);
    if (depth < 2 && o.metadata.uid && app.context)
      for (const c of ctx.ownedBy(app.context, o.metadata.uid)) add(c, depth + 1);
  };
  for (const r of app.resources) if (r.live) add(r.live, 0);
  return out;
}

/**
 * Finds one object of an app from what a person types: `Kind/name`, `Kind/namespace/name` or
 * `group/Kind/namespace/name` (kind case-insensitive). Throws a one-line Error naming the choices.
 */
export function findObject(objects: readonly KubeObject[], ref: string, app: string): KubeObject {
  const parts = ref.split('/');
  const [a, b, c, d] = parts;
  const match = (o: KubeObject) => {
    const kind = o.kind.toLowerCase();
    const group = o.apiVersion.includes('/') ? o.apiVersion.split('/')[0] : '';
    const ns = o.metadata.namespace ?? '';
    if (parts.length === 2) return kind === a?.toLowerCase() && o.metadata.name === b;
    if (parts.length === 3) return kind === a?.toLowerCase() && ns === b && o.metadata.name === c;
    if (parts.length === 4)
      return group === a && kind === b?.toLowerCase() && ns === c && o.metadata.name === d;
    return false;
  };
  const found = objects.filter(match);
  if (found.length === 1) return found[0] as KubeObject;
  if (found.length > 1)
    throw new Error(`"${ref}" matches ${found.length} objects of ${app}; give Kind/namespace/name`);
  const names = objects
    .slice(0, 12)
    .map((o) => keyLabel({ group: '', kind: o.kind, namespace: '', name: o.metadata.name }));
  throw new Error(
    `no live resource "${ref}" in ${app}${names.length ? ` (live: ${names.join(', ')}${objects.length > 12 ? ', …' : ''})` : ''}`,
  );
}
