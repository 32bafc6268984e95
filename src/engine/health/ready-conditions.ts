/**
 * Built-in health for custom resources that follow the Ready/Synced condition conventions: Flux (kstatus:
 * `Ready`, `Reconciling`, `Stalled`, `spec.suspend`) and Crossplane (`Synced`, `Ready`, `LastAsyncOperation`;
 * packages report `Healthy`). Written from what those controllers set; pure.
 */
import type { Health, KubeObject } from '../model/index.js';
import {
  type Condition,
  degraded,
  findCondition,
  healthy,
  num,
  parseConditions,
  progressing,
  reasonAndMessage,
  recordAt,
  sentence,
  suspended,
} from './fields.js';

const what = (obj: KubeObject) => `${obj.kind} "${obj.metadata.name}"`;
const detail = (c: Condition | undefined) => {
  const d = reasonAndMessage(c);
  return d ? `: ${d.replace(/\.$/, '')}` : '';
};
const isTrue = (c: Condition | undefined) => c?.status === 'True';
const isFalse = (c: Condition | undefined) => c?.status === 'False';

/** True for the API groups of Flux's controllers (`*.toolkit.fluxcd.io`). */
export function isFluxGroup(group: string): boolean {
  return group.endsWith('.toolkit.fluxcd.io');
}

/** True for Crossplane's own groups and its providers' groups (`*.crossplane.io`, `*.upbound.io`). */
export function isCrossplaneGroup(group: string): boolean {
  return (
    group === 'crossplane.io' ||
    group.endsWith('.crossplane.io') ||
    group === 'upbound.io' ||
    group.endsWith('.upbound.io')
  );
}

/**
 * Flux objects: suspended → Suspended; a spec the controller has not observed yet, or `Reconciling` True →
 * Progressing; `Stalled` True or `Ready` False → Degraded with the reason; `Ready` True → Healthy.
 */
export function getFluxHealth(obj: KubeObject): Health | undefined {
  if (recordAt(obj, 'spec').suspend === true)
    return suspended(`${what(obj)} is suspended (spec.suspend).`, 'flux.suspend');
  const status = recordAt(obj, 'status');
  const conditions = parseConditions(status.conditions);
  const ready = findCondition(conditions, 'Ready');
  const reconciling = findCondition(conditions, 'Reconciling');
  const stalled = findCondition(conditions, 'Stalled');
  if (isTrue(stalled))
    return degraded(
      'flux.stalled',
      sentence(`${what(obj)} is stalled${detail(stalled)}`),
      `status.conditions[Stalled] (True${stalled?.reason ? `, ${stalled.reason}` : ''})`,
    );
  const generation = num(obj.metadata.generation);
  const observed = num(status.observedGeneration);
  if (generation !== undefined && observed !== undefined && observed < generation)
    return progressing(
      'flux.generation',
      `Waiting for Flux to reconcile the latest spec of ${what(obj)} (generation ${generation}).`,
      `status.observedGeneration (${observed}/${generation})`,
    );
  if (isTrue(reconciling) || (ready && ready.status !== 'True' && ready.status !== 'False'))
    return progressing(
      'flux.reconciling',
      sentence(`${what(obj)} is reconciling${detail(reconciling ?? ready)}`),
      isTrue(reconciling) ? 'status.conditions[Reconciling] (True)' : 'status.conditions[Ready] (Unknown)',
    );
  if (isFalse(ready))
    return degraded(
      'flux.ready',
      sentence(`${what(obj)} is not ready${detail(ready)}`),
      `status.conditions[Ready] (False${ready?.reason ? `, ${ready.reason}` : ''})`,
    );
  if (isTrue(ready)) return healthy(sentence(`${what(obj)} is ready${detail(ready)}`), 'flux.ready');
  return progressing(
    'flux.ready',
    `Waiting for Flux to report on ${what(obj)}.`,
    'status.conditions[Ready] (none)',
  );
}

const configKinds = new Set(['ProviderConfig', 'ClusterProviderConfig', 'ProviderConfigUsage']);

/**
 * Crossplane objects: `Synced` False or `LastAsyncOperation` False → Degraded with the message; `Ready`
 * (packages: `Healthy`) True → Healthy; otherwise Progressing. Provider configs without conditions are Healthy.
 */
export function getCrossplaneHealth(obj: KubeObject): Health | undefined {
  const status = recordAt(obj, 'status');
  const conditions = parseConditions(status.conditions);
  if (conditions.length === 0 && configKinds.has(obj.kind))
    return healthy(`${what(obj)} has no status to wait for.`, 'crossplane.config');
  for (const type of ['Synced', 'LastAsyncOperation']) {
    const c = findCondition(conditions, type);
    if (isFalse(c))
      return degraded(
        `crossplane.${type === 'Synced' ? 'synced' : 'async'}`,
        sentence(`${what(obj)} is not ${type === 'Synced' ? 'synced' : 'applied'}${detail(c)}`),
        `status.conditions[${type}] (False${c?.reason ? `, ${c.reason}` : ''})`,
      );
  }
  const ready = findCondition(conditions, 'Ready') ?? findCondition(conditions, 'Healthy');
  if (isTrue(ready))
    return healthy(
      sentence(`${what(obj)} is ${ready?.type.toLowerCase()}${detail(ready)}`),
      'crossplane.ready',
    );
  return progressing(
    'crossplane.ready',
    sentence(`Waiting for ${what(obj)} to become ready${detail(ready)}`),
    `status.conditions[${ready?.type ?? 'Ready'}] (${ready?.status ?? 'none'})`,
  );
}
