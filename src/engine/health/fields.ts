import type { Health, KubeObject } from '../model/index.js';
import { HealthStatus } from '../model/index.js';

/** A plain JSON object, or undefined when the value is anything else. */
export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** A field of a plain JSON object as a record; `{}` when absent, so chains never fail. */
export function recordAt(value: unknown, key: string): Record<string, unknown> {
  return asRecord(asRecord(value)?.[key]) ?? {};
}

/** A finite number, or undefined. */
export function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** A non-empty string, or undefined. */
export function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The records of a JSON array (non-records dropped); `[]` when the value is not an array. */
export function records(value: unknown): Record<string, unknown>[] {
  if (!Array.isArray(value)) return [];
  const out: Record<string, unknown>[] = [];
  for (const item of value) {
    const rec = asRecord(item);
    if (rec) out.push(rec);
  }
  return out;
}

/** A Kubernetes status condition, as most controllers write it. */
export type Condition = {
  type: string;
  status?: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  observedGeneration?: number;
};

/** Parses a `conditions` array; entries without a `type` are dropped. */
export function parseConditions(value: unknown): Condition[] {
  const out: Condition[] = [];
  for (const rec of records(value)) {
    const type = str(rec.type);
    if (!type) continue;
    const cond: Condition = { type };
    const status = str(rec.status);
    if (status) cond.status = status;
    const reason = str(rec.reason);
    if (reason) cond.reason = reason;
    const message = str(rec.message);
    if (message) cond.message = message;
    const time = str(rec.lastTransitionTime);
    if (time) cond.lastTransitionTime = time;
    const generation = num(rec.observedGeneration);
    if (generation !== undefined) cond.observedGeneration = generation;
    out.push(cond);
  }
  return out;
}

/** The first condition of a type. */
export function findCondition(conditions: Condition[], type: string): Condition | undefined {
  return conditions.find((c) => c.type === type);
}

/** `reason: message`, or whichever of the two is present; undefined for neither. */
export function reasonAndMessage(cond: Condition | undefined): string | undefined {
  if (!cond) return undefined;
  if (cond.reason && cond.message) return `${cond.reason}: ${cond.message}`;
  return cond.reason ?? cond.message;
}

/** Text with a final full stop, so messages from controllers read as sentences. */
export function sentence(text: string): string {
  const t = text.trim();
  return /[.!?…]$/.test(t) ? t : `${t}.`;
}

/** A Healthy result. */
export function healthy(message: string, check?: string): Health {
  return check ? { status: HealthStatus.Healthy, message, check } : { status: HealthStatus.Healthy, message };
}

/** A Suspended result. */
export function suspended(message: string, check: string): Health {
  return { status: HealthStatus.Suspended, message, check };
}

/** A Progressing result: what is checked and which field it waits on. */
export function progressing(check: string, message: string, waitingOn: string): Health {
  return { status: HealthStatus.Progressing, message, check, waitingOn };
}

/** A Degraded result: what is checked and which field shows the failure. */
export function degraded(check: string, message: string, waitingOn: string): Health {
  return { status: HealthStatus.Degraded, message, check, waitingOn };
}

/** An Unknown result. */
export function unknown(check: string, message: string, waitingOn: string): Health {
  return { status: HealthStatus.Unknown, message, check, waitingOn };
}

/** `observed/desired` generation of a controller, for objects whose status reports one. */
export function generations(obj: KubeObject): { generation: number; observed: number } {
  return {
    generation: num(obj.metadata.generation) ?? 0,
    observed: num(recordAt(obj, 'status').observedGeneration) ?? 0,
  };
}

/** The addresses in a `status.loadBalancer.ingress` list (ip or hostname). */
export function loadBalancerAddresses(obj: KubeObject): string[] {
  const ingress = recordAt(recordAt(obj, 'status'), 'loadBalancer').ingress;
  return records(ingress)
    .map((i) => str(i.ip) ?? str(i.hostname))
    .filter((a): a is string => a !== undefined);
}

/** How many entries `status.loadBalancer.ingress` holds (Argo CD counts entries, with or without an address). */
export function loadBalancerEntries(obj: KubeObject): number {
  const ingress = recordAt(recordAt(obj, 'status'), 'loadBalancer').ingress;
  return Array.isArray(ingress) ? ingress.length : 0;
}
