/**
 * The sync lock: a coordination.k8s.io/v1 Lease `bosun-sync-<app>` in `bosun-system`, held while a sync
 * runs (holder `user@host pid=N`, 30 s, renewed every 10 s, released at the end). A second console is
 * refused with the holder's identity; an expired lease (the holder vanished) may be taken over. Every write
 * carries the resourceVersion it read, so two consoles racing for the lease cannot both win.
 */
import type { KubeObject, ResourceKey } from '../model/index.js';
import type { Clock } from '../sync/step.js';
import { apiFailureOf } from '../sync/step.js';
import { personOf } from './identity.js';
import type { LeaseView } from './records.js';
import { leaseExpired } from './records.js';
import { BOSUN_NAMESPACE, ensureSystemNamespace, HISTORY_FIELD_MANAGER, type HistoryPort } from './store.js';

/** Annotation naming the operation a lease covers. */
export const LEASE_OPERATION_ANNOTATION = 'bosun.dev/operation-id';
/** Lease duration. */
export const LEASE_DURATION_SECONDS = 30;
/** Renewal interval. */
export const LEASE_RENEW_MS = 10_000;

/** Name of an app's sync lease. */
export function leaseName(app: string): string {
  return `bosun-sync-${app}`;
}

/** Key of an app's sync lease. */
export function leaseKey(app: string): ResourceKey {
  return { group: 'coordination.k8s.io', kind: 'Lease', namespace: BOSUN_NAMESPACE, name: leaseName(app) };
}

/** Kubernetes MicroTime: RFC 3339 with exactly six fractional digits. */
export function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

function parseTime(v: unknown): number | undefined {
  if (typeof v !== 'string') return undefined;
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : t;
}

/** A Lease object read as bosun needs it. */
export type LeaseState = LeaseView & { acquiredAt?: number; resourceVersion?: string };

/** Reads a Lease object. */
export function readLease(obj: KubeObject | undefined): LeaseState | undefined {
  if (!obj) return undefined;
  const spec = (obj.spec ?? {}) as Record<string, unknown>;
  const out: LeaseState = {
    durationSeconds:
      typeof spec.leaseDurationSeconds === 'number' ? spec.leaseDurationSeconds : LEASE_DURATION_SECONDS,
  };
  if (typeof spec.holderIdentity === 'string' && spec.holderIdentity) out.holder = spec.holderIdentity;
  const renewed = parseTime(spec.renewTime) ?? parseTime(spec.acquireTime);
  if (renewed !== undefined) out.renewedAt = renewed;
  const acquired = parseTime(spec.acquireTime);
  if (acquired !== undefined) out.acquiredAt = acquired;
  const op = obj.metadata.annotations?.[LEASE_OPERATION_ANNOTATION];
  if (op) out.operationId = op;
  if (obj.metadata.resourceVersion) out.resourceVersion = obj.metadata.resourceVersion;
  return out;
}

/** HH:MM:SS of a time, in the console's time zone. */
export function clockTime(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** Another console holds the app's sync lease. */
export class LeaseHeldError extends Error {
  override readonly name = 'LeaseHeldError';
  constructor(
    readonly app: string,
    readonly holder: string,
    readonly since: number | undefined,
  ) {
    super(
      `sync of ${app} is held by ${personOf(holder)}${since === undefined ? '' : ` since ${clockTime(since)}`} (lease ${leaseName(app)})`,
    );
  }
}

/** Options of {@link acquireLease}. */
export type AcquireOptions = {
  app: string;
  /** `user@host pid=N`. */
  holder: string;
  operationId?: string;
  clock: Pick<Clock, 'now'>;
  durationSeconds?: number;
};

function leaseObject(
  app: string,
  spec: Record<string, unknown>,
  rv?: string,
  operationId?: string,
): KubeObject {
  const metadata: KubeObject['metadata'] = {
    name: leaseName(app),
    namespace: BOSUN_NAMESPACE,
    labels: { 'app.kubernetes.io/managed-by': 'bosun', 'bosun.dev/app': app },
  };
  if (operationId) metadata.annotations = { [LEASE_OPERATION_ANNOTATION]: operationId };
  if (rv) metadata.resourceVersion = rv;
  return { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata, spec };
}

const isConflict = (err: unknown) => apiFailureOf(err)?.status === 409;

/** Apply options of a lease write: conditional on the resourceVersion read (a race loses with 409). */
const applyOpts = (rv: string | undefined) => ({
  fieldManager: HISTORY_FIELD_MANAGER,
  force: true,
  ...(rv ? { resourceVersion: rv } : {}),
});

/** A held sync lease. */
export class SyncLease {
  private released = false;
  private renewing?: Promise<void>;
  private wake: () => void = () => {};
  private readonly stopped = new Promise<void>((resolve) => {
    this.wake = resolve;
  });

  constructor(
    private readonly port: HistoryPort,
    private readonly opts: AcquireOptions & { durationSeconds: number },
    private state: LeaseState & { acquiredAt: number },
  ) {}

  /** The holder identity and times as last written. */
  get info(): LeaseState {
    return { ...this.state };
  }

  private spec(now: number, holding: boolean): Record<string, unknown> {
    const spec: Record<string, unknown> = {
      leaseDurationSeconds: this.opts.durationSeconds,
      acquireTime: microTime(this.state.acquiredAt),
      renewTime: microTime(now),
    };
    if (holding) spec.holderIdentity = this.opts.holder;
    return spec;
  }

  /** Renews the lease; throws LeaseHeldError when another console took it over meanwhile. */
  async renew(attempt = 0): Promise<void> {
    if (this.released) return;
    const now = this.opts.clock.now();
    const obj = leaseObject(
      this.opts.app,
      this.spec(now, true),
      this.state.resourceVersion,
      this.opts.operationId,
    );
    try {
      const written = await this.port.apply(obj, applyOpts(this.state.resourceVersion));
      this.state = { ...this.state, renewedAt: now, resourceVersion: written.metadata.resourceVersion };
    } catch (err) {
      if (!isConflict(err)) throw err;
      const current = readLease(await this.port.get(leaseKey(this.opts.app), 'coordination.k8s.io/v1'));
      if (current?.holder !== this.opts.holder || attempt >= 3) {
        this.released = true;
        throw new LeaseHeldError(this.opts.app, current?.holder ?? 'nobody', current?.acquiredAt);
      }
      this.state = { ...this.state, resourceVersion: current.resourceVersion };
      await this.renew(attempt + 1);
    }
  }

  /**
   * Renews every `everyMs` (10 s) on `clock` until released; `onLost` hears when renewal fails (the caller
   * should stop the sync). Returns at once; the loop runs in the background.
   */
  startRenewing(clock: Clock, opts: { everyMs?: number; onLost?: (err: unknown) => void } = {}): void {
    if (this.renewing) return;
    const every = opts.everyMs ?? LEASE_RENEW_MS;
    this.renewing = (async () => {
      while (!this.released) {
        await Promise.race([clock.idle ? clock.idle(every) : clock.sleep(every), this.stopped]);
        if (this.released) break;
        try {
          await this.renew();
        } catch (err) {
          opts.onLost?.(err);
          break;
        }
      }
    })();
  }

  /** Releases the lease (clears the holder); a lease someone else took meanwhile is left alone. */
  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    this.wake();
    // Clear holderIdentity with a PUT of the current object (server-side apply cannot drop a field that
    // another manager set), only while we still hold it.
    for (let attempt = 0; attempt < 3; attempt++) {
      const current = await this.port.get(leaseKey(this.opts.app), 'coordination.k8s.io/v1');
      if (!current || readLease(current)?.holder !== this.opts.holder) return;
      const spec: Record<string, unknown> = {
        ...((current.spec ?? {}) as Record<string, unknown>),
        renewTime: microTime(this.opts.clock.now()),
      };
      delete spec.holderIdentity;
      try {
        await this.port.replace({ ...current, spec });
        return;
      } catch (err) {
        if (!isConflict(err))
          throw new Error(`cannot release lease ${leaseName(this.opts.app)}`, { cause: err });
      }
    }
  }
}

/**
 * Acquires the app's sync lease: creates it when absent, takes it over when released or expired, re-enters
 * it when this very holder has it; throws LeaseHeldError when another console holds it.
 */
export async function acquireLease(port: HistoryPort, opts: AcquireOptions): Promise<SyncLease> {
  const full = { ...opts, durationSeconds: opts.durationSeconds ?? LEASE_DURATION_SECONDS };
  await ensureSystemNamespace(port);
  for (let attempt = 0; attempt < 5; attempt++) {
    const now = opts.clock.now();
    const current = readLease(await port.get(leaseKey(opts.app), 'coordination.k8s.io/v1'));
    if (current?.holder && current.holder !== opts.holder && !leaseExpired(current, now)) {
      throw new LeaseHeldError(opts.app, current.holder, current.acquiredAt);
    }
    const acquiredAt = current?.holder === opts.holder ? (current.acquiredAt ?? now) : now;
    const spec = {
      holderIdentity: opts.holder,
      leaseDurationSeconds: full.durationSeconds,
      acquireTime: microTime(acquiredAt),
      renewTime: microTime(now),
    };
    try {
      const obj = leaseObject(opts.app, spec, current?.resourceVersion, opts.operationId);
      const written = current
        ? await port.apply(obj, applyOpts(current.resourceVersion))
        : await port.create(obj);
      const state = {
        holder: opts.holder,
        durationSeconds: full.durationSeconds,
        renewedAt: now,
        acquiredAt,
        resourceVersion: written.metadata.resourceVersion,
        ...(opts.operationId ? { operationId: opts.operationId } : {}),
      };
      return new SyncLease(port, full, state);
    } catch (err) {
      if (!isConflict(err)) throw new Error(`cannot acquire lease ${leaseName(opts.app)}`, { cause: err });
    }
  }
  throw new Error(`cannot acquire lease ${leaseName(opts.app)}: other consoles keep changing it`);
}

/** The app's lease as it stands (for history views and "who holds it?"). */
export async function readAppLease(
  port: Pick<HistoryPort, 'get'>,
  app: string,
): Promise<LeaseState | undefined> {
  return readLease(await port.get(leaseKey(app), 'coordination.k8s.io/v1'));
}
