/**
 * Test doubles for sync and history: an in-memory ClusterPort that can reject given objects, lag or never
 * reach health, fail hooks, forget kinds and lose its connection; a fake clock; object builders.
 */
import type { AppSpec, KubeObject, ResourceKey } from '../../../src/engine/model/index.js';
import { keyOf, keyString } from '../../../src/engine/model/index.js';
import type { ApiFailure, ApplyOptions, ClusterPort, DeleteOptions } from '../../../src/engine/sync/port.js';
import type { Clock } from '../../../src/engine/sync/step.js';

/** One recorded call. */
export type Call = {
  method: 'apply' | 'create' | 'replace' | 'delete' | 'get' | 'hasKind';
  key: string;
  dryRun?: boolean;
  at: number;
};

/** An Error carrying an ApiFailure cause, as the real adapter throws. */
export function apiError(status: number, reason: string, message: string): Error {
  const cause: ApiFailure = { status, reason, message };
  return new Error(message, { cause });
}

/** A fake clock: sleeping advances time and yields to other tasks. */
export class FakeClock implements Clock {
  t = Date.UTC(2025, 0, 2, 12, 0, 0);
  sleeps: number[] = [];
  now(): number {
    return this.t;
  }
  sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    this.t += ms;
    return new Promise((r) => setImmediate(r));
  }
}

/** An in-memory cluster. */
export class FakePort implements ClusterPort {
  readonly context = 'fake';
  readonly objects = new Map<string, KubeObject>();
  readonly calls: Call[] = [];
  /** Apply of these keys (keyString) is rejected with this failure. */
  readonly reject = new Map<string, ApiFailure>();
  /** `group/kind` the cluster does not serve. */
  readonly unknownKinds = new Set<string>();
  /** Gets of an object (by name) before it is healthy / complete. */
  readonly lag = new Map<string, number>();
  /** Objects (by name) that never get healthy. */
  readonly neverReady = new Set<string>();
  /** Hook objects (by name) that fail. */
  readonly failHooks = new Set<string>();
  /** After this many calls every call fails as if the connection dropped. */
  disconnectAfter = Number.POSITIVE_INFINITY;
  /** Called on every mutating call (tests use it to terminate or observe). */
  onMutate?: (call: Call) => void;
  private rv = 100;
  private gets = new Map<string, number>();
  private uid = 0;

  constructor(readonly clock: FakeClock = new FakeClock()) {}

  private record(method: Call['method'], key: string, dryRun?: boolean): void {
    const call: Call = { method, key, at: this.clock.now() };
    if (dryRun !== undefined) call.dryRun = dryRun;
    this.calls.push(call);
    if (this.calls.length > this.disconnectAfter) throw new Error('connect ECONNREFUSED 127.0.0.1:6443');
    if (method !== 'get' && method !== 'hasKind' && !dryRun) this.onMutate?.(call);
  }

  /** Mutating calls (not dry-run). */
  mutations(): Call[] {
    return this.calls.filter((c) => c.method !== 'get' && c.method !== 'hasKind' && !c.dryRun);
  }

  /** Keys applied for real, in order. */
  applied(): string[] {
    return this.mutations()
      .filter((c) => c.method === 'apply' || c.method === 'create' || c.method === 'replace')
      .map((c) => c.key);
  }

  /** Puts an object into the cluster as is. */
  seed(obj: KubeObject): void {
    this.objects.set(keyString(keyOf(obj)), this.stamp(structuredClone(obj)));
  }

  private stamp(obj: KubeObject): KubeObject {
    obj.metadata.resourceVersion = String(++this.rv);
    obj.metadata.uid ??= `uid-${++this.uid}`;
    obj.metadata.generation = (obj.metadata.generation ?? 0) + 1;
    return obj;
  }

  private write(
    obj: KubeObject,
    key: string,
    dryRun: boolean | undefined,
    rvPrecondition?: string,
  ): KubeObject {
    const { group, kind } = keyOf(obj);
    if (this.unknownKinds.has(`${group}/${kind}`))
      throw apiError(404, 'NotFound', 'the server could not find the requested resource');
    const failure = this.reject.get(key);
    if (failure) throw apiError(failure.status, failure.reason, failure.message);
    const existing = this.objects.get(key);
    const rv = rvPrecondition;
    if (rv && existing && existing.metadata.resourceVersion !== rv)
      throw apiError(
        409,
        'Conflict',
        'the object has been modified; please apply your changes to the latest version',
      );
    const next = structuredClone(obj);
    if (existing) {
      next.metadata.uid = existing.metadata.uid;
      next.metadata.generation = existing.metadata.generation;
      next.metadata.creationTimestamp = existing.metadata.creationTimestamp;
    } else next.metadata.creationTimestamp = new Date(this.clock.now()).toISOString();
    const stamped = this.stamp(next);
    if (!dryRun) {
      this.objects.set(key, stamped);
      this.gets.set(key, 0);
    }
    return structuredClone(stamped);
  }

  async apply(obj: KubeObject, opts: ApplyOptions = {}): Promise<KubeObject> {
    const key = keyString(keyOf(obj));
    this.record('apply', key, opts.dryRun);
    // Like the real cluster: a manifest's own resourceVersion is ignored, only the option is a precondition.
    return this.write(obj, key, opts.dryRun, opts.resourceVersion);
  }

  async create(obj: KubeObject, opts: { dryRun?: boolean } = {}): Promise<KubeObject> {
    const key = keyString(keyOf(obj));
    this.record('create', key, opts.dryRun);
    if (this.objects.has(key))
      throw apiError(409, 'AlreadyExists', `${obj.kind} "${obj.metadata.name}" already exists`);
    return this.write(obj, key, opts.dryRun);
  }

  async replace(obj: KubeObject, opts: { dryRun?: boolean } = {}): Promise<KubeObject> {
    const key = keyString(keyOf(obj));
    this.record('replace', key, opts.dryRun);
    return this.write(obj, key, opts.dryRun, obj.metadata.resourceVersion);
  }

  async delete(key: ResourceKey, opts: DeleteOptions = {}): Promise<void> {
    const k = keyString(key);
    this.record('delete', k, opts.dryRun);
    const existing = this.objects.get(k);
    if (!existing) throw apiError(404, 'NotFound', `${key.kind} "${key.name}" not found`);
    const pre = opts.preconditions;
    if (pre?.uid && pre.uid !== existing.metadata.uid)
      throw apiError(409, 'Conflict', `Precondition failed: UID in precondition: ${pre.uid}`);
    if (pre?.resourceVersion && pre.resourceVersion !== existing.metadata.resourceVersion)
      throw apiError(
        409,
        'Conflict',
        `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}`,
      );
    if (!opts.dryRun) this.objects.delete(k);
  }

  async get(key: ResourceKey): Promise<KubeObject | undefined> {
    const k = keyString(key);
    this.record('get', k);
    const obj = this.objects.get(k);
    if (!obj) return undefined;
    const n = (this.gets.get(k) ?? 0) + 1;
    this.gets.set(k, n);
    return this.withStatus(structuredClone(obj), n);
  }

  async hasKind(group: string, kind: string): Promise<boolean> {
    this.record('hasKind', `${group}/${kind}`);
    return !this.unknownKinds.has(`${group}/${kind}`);
  }

  /** A controller in one function: status depending on how often the object was read since it was written. */
  private withStatus(obj: KubeObject, reads: number): KubeObject {
    const name = obj.metadata.name;
    const ready = !this.neverReady.has(name) && reads > (this.lag.get(name) ?? 0);
    const gen = obj.metadata.generation;
    if (obj.kind === 'Deployment') {
      const r = ready ? 1 : 0;
      obj.status = { observedGeneration: gen, replicas: 1, updatedReplicas: r, availableReplicas: r };
    } else if (obj.kind === 'Job') {
      if (!ready) obj.status = { active: 1 };
      else if (this.failHooks.has(name))
        obj.status = {
          failed: 1,
          conditions: [
            {
              type: 'Failed',
              status: 'True',
              reason: 'BackoffLimitExceeded',
              message: 'Job has reached the specified backoff limit',
            },
          ],
        };
      else obj.status = { succeeded: 1, conditions: [{ type: 'Complete', status: 'True' }] };
    } else if (obj.kind === 'Pod') {
      obj.status = { phase: !ready ? 'Running' : this.failHooks.has(name) ? 'Failed' : 'Succeeded' };
    }
    return obj;
  }
}

/** A minimal app. */
export function app(name = 'shop', over: Partial<AppSpec> = {}): AppSpec {
  return {
    name,
    project: 'default',
    sources: [{ repoURL: 'https://git.example/repo.git', path: name }],
    destination: { namespace: 'shop', name: 'fake' },
    labels: {},
    annotations: {},
    origin: {},
    service: name,
    ...over,
  };
}

/** An object of a kind with optional annotations and extra fields. */
export function obj(
  apiVersion: string,
  kind: string,
  name: string,
  opts: {
    ns?: string | null;
    annotations?: Record<string, string>;
    labels?: Record<string, string>;
    extra?: Record<string, unknown>;
  } = {},
): KubeObject {
  const metadata: KubeObject['metadata'] = { name };
  if (opts.ns !== null) metadata.namespace = opts.ns ?? 'shop';
  if (opts.annotations) metadata.annotations = opts.annotations;
  if (opts.labels) metadata.labels = opts.labels;
  return { apiVersion, kind, metadata, ...(opts.extra ?? {}) };
}

/** Shorthands. */
export const deploy = (name: string, annotations?: Record<string, string>) =>
  obj('apps/v1', 'Deployment', name, { annotations, extra: { spec: { replicas: 1 } } });
export const cm = (name: string, annotations?: Record<string, string>) =>
  obj('v1', 'ConfigMap', name, { annotations });
export const svc = (name: string, annotations?: Record<string, string>) =>
  obj('v1', 'Service', name, { annotations });
export const ns = (name: string) => obj('v1', 'Namespace', name, { ns: null });
export const job = (name: string, annotations?: Record<string, string>) =>
  obj('batch/v1', 'Job', name, { annotations, extra: { spec: { template: {} } } });

/** The tracking annotation key used by the tests. */
export const TRACK = 'bosun.dev/tracking-id';

/** A live copy of `o` carrying app `owner`'s tracking id. */
export function tracked(o: KubeObject, owner: string, key = TRACK): KubeObject {
  const k = keyOf(o);
  return {
    ...o,
    metadata: {
      ...o.metadata,
      annotations: {
        ...(o.metadata.annotations ?? {}),
        [key]: `${owner}:${k.group}/${k.kind}:${k.namespace}/${k.name}`,
      },
    },
  };
}

/** A live map from objects. */
export function liveMap(...objs: KubeObject[]): Map<string, KubeObject> {
  return new Map(objs.map((o) => [keyString(keyOf(o)), o]));
}
