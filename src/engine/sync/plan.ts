/**
 * The sync plan: what a sync will do, before it runs, as data the TUI and CLI show. Tasks are ordered
 * phase (PreSync, Sync, PostSync) → wave → kind (Namespaces and CRDs first) → name; prune tasks follow the
 * Sync waves in reverse wave order (PruneLast ones at the end of the Sync phase); SyncFail hooks are kept
 * aside and run only when the sync fails. Skipped tasks stay in the plan with their reason, and anything that
 * must stop the sync before a request reaches the cluster is a refusal. Pure: no I/O, no clock.
 */
import { ownerOf, setTracking } from '../diff/tracking.js';
import type { KubeObject, ResourceKey } from '../model/index.js';
import { keyLabel, keyOf, keyString, splitApiVersion } from '../model/index.js';
import { crdDefines, groupKind, isArgoCdKind, isWellKnownClusterScoped, kindOrder } from './kinds.js';
import {
  mergeSyncOptions,
  parseSyncOptions,
  type ResolvedSyncOptions,
  resourceSyncOptions,
} from './options.js';
import type { PlanInput, SyncPlan, SyncTask } from './plan-types.js';
import { hookInfo, isHookObject, PHASE_ORDER, type SyncPhase, waveOf } from './waves.js';

export {
  type PlanInput,
  type PlanOptions,
  type SyncPlan,
  type SyncTask,
  toPlanTask,
  toPlanView,
} from './plan-types.js';

type Section = 0 | 1 | 2; // apply, prune, prune-last

type Draft = SyncTask & { section: Section };

const phaseIndex = (p: SyncPhase) => PHASE_ORDER.indexOf(p);

function compareDrafts(a: Draft, b: Draft): number {
  const byPhase = phaseIndex(a.phase) - phaseIndex(b.phase);
  if (byPhase) return byPhase;
  if (a.section !== b.section) return a.section - b.section;
  const dir = a.section === 0 ? 1 : -1;
  if (a.wave !== b.wave) return dir * (a.wave - b.wave);
  if (a.kindOrder !== b.kindOrder) return dir * (a.kindOrder - b.kindOrder);
  return (
    a.key.name.localeCompare(b.key.name) ||
    a.key.namespace.localeCompare(b.key.namespace) ||
    a.key.group.localeCompare(b.key.group) ||
    a.id.localeCompare(b.id)
  );
}

function keySet(keys: ResourceKey[] | undefined): Set<string> | undefined {
  return keys ? new Set(keys.map(keyString)) : undefined;
}

function ownerSentence(kind: string, app: string | undefined): string {
  if (kind === 'other-app') return `bosun app "${app}"`;
  return app ? `Argo CD app "${app}"` : 'Argo CD';
}

/** `generateName` plus a tail, within the 63 characters a Job name may have. */
function generatedName(prefix: string, tail: string): string {
  return prefix.slice(0, Math.max(1, 63 - tail.length)) + tail;
}

/** Fills the destination namespace of namespaced objects that have none, and names generateName hooks. */
function normalize(
  obj: KubeObject,
  input: PlanInput,
  crdScopes: Map<string, boolean>,
  hookName?: string,
): KubeObject {
  const metadata = { ...obj.metadata };
  const { group } = splitApiVersion(obj.apiVersion);
  const ns = input.app.destination.namespace;
  if (!metadata.namespace && ns) {
    const scoped = input.namespaced?.(group, obj.kind) ?? crdScopes.get(groupKind(group, obj.kind));
    const namespaced = scoped ?? !isWellKnownClusterScoped(group, obj.kind);
    if (namespaced) metadata.namespace = ns;
  }
  if (hookName) metadata.name = hookName;
  return { ...obj, metadata };
}

function taskBase(
  obj: KubeObject,
  phase: SyncPhase,
  opts: ResolvedSyncOptions,
): Omit<Draft, 'id' | 'action'> {
  const key = keyOf(obj);
  return {
    key,
    phase,
    wave: waveOf(obj),
    step: 0,
    section: 0,
    kindOrder: kindOrder(key.kind),
    apiVersion: obj.apiVersion,
    validate: opts.validate !== false,
    status: 'Pending',
    skipDryRunOnMissingResource: opts.skipDryRunOnMissingResource,
  };
}

/**
 * As Argo CD orders tasks (gitops-engine `syncTasks.Sort`): a Namespace, or a CRD, that sorts after the first
 * task needing it takes that task's phase and wave, so it is created first (e.g. a PreSync hook in a namespace
 * the Sync phase creates). Returns whether anything moved.
 */
function pullUpDependencies(drafts: Draft[]): boolean {
  const rules: [(d: Draft) => string | undefined, (d: Draft) => string | undefined][] = [
    [
      (d) => (d.key.group === '' && d.key.kind === 'Namespace' ? `ns:${d.key.name}` : undefined),
      (d) => (d.key.namespace ? `ns:${d.key.namespace}` : undefined),
    ],
    [
      (d) => {
        const def = d.obj && crdDefines(d.obj);
        return def ? `crd:${groupKind(def.group, def.kind)}` : undefined;
      },
      (d) => `crd:${groupKind(d.key.group, d.key.kind)}`,
    ],
  ];
  let moved = false;
  for (const [isDep, needs] of rules) {
    const firstUser = new Map<string, Draft>();
    for (const d of drafts) {
      if (!d.obj) continue; // prunes and skipped tasks create nothing
      const dep = isDep(d);
      if (dep !== undefined) {
        const user = firstUser.get(dep);
        if (user && (user.phase !== d.phase || user.wave !== d.wave)) {
          d.phase = user.phase;
          d.wave = user.wave;
          moved = true;
        }
        continue;
      }
      const need = needs(d);
      if (need !== undefined && !firstUser.has(need)) firstUser.set(need, d);
    }
  }
  return moved;
}

/** Computes the ordered plan of one sync. */
export function planSync(input: PlanInput): SyncPlan {
  const { app, options } = input;
  const appName = app.name;
  const annotationKey = input.trackingAnnotation;
  const appOpts = parseSyncOptions(app.syncPolicy?.syncOptions ?? []);
  const refusals: string[] = [];
  const warnings: string[] = [];
  const drafts: Draft[] = [];
  const selected = keySet(options.resources);
  const adopt = keySet(options.adopt) ?? new Set<string>();
  const confirmed =
    options.confirmPrune === true
      ? 'all'
      : (keySet(Array.isArray(options.confirmPrune) ? options.confirmPrune : undefined) ?? new Set<string>());
  const states = new Map((input.resourceStates ?? []).map((s) => [keyString(s.key), s]));
  const pruneEnabled = options.automated ? app.syncPolicy?.automated?.prune === true : options.prune === true;
  const allowEmpty = options.allowEmpty ?? app.syncPolicy?.automated?.allowEmpty === true;
  const unsupported = new Set(appOpts.unsupported ?? []);
  if (appOpts.serverSideApply === false)
    warnings.push('ServerSideApply=false is ignored: bosun always uses server-side apply.');

  const crdScopes = new Map<string, boolean>();
  for (const obj of input.desired) {
    const def = crdDefines(obj);
    if (def) crdScopes.set(groupKind(def.group, def.kind), def.namespaced);
  }

  const ourLive = [...input.live.values()].filter(
    (o) => ownerOf(o, { app: appName, annotationKey }).kind === 'ours' && !isHookObject(o),
  );
  if (input.desired.length === 0 && !allowEmpty) {
    if (ourLive.length > 0)
      refusals.push(`render produced no objects; refusing to prune ${ourLive.length} live objects`);
    else if ((input.previousDesiredCount ?? 0) > 0)
      refusals.push(
        `render produced no objects (the last render had ${input.previousDesiredCount}); refusing to sync an empty app without allowEmpty`,
      );
  }

  const desiredKeys = new Set<string>();
  const seen = new Map<string, Draft[]>();
  const suffix = (options.operationId ?? input.revision?.slice(0, 7) ?? 'sync')
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, '-');
  let counter = 0;
  const push = (d: Omit<Draft, 'id'>) => {
    const draft = { ...d, id: `${counter++}:${d.phase}:${keyString(d.key)}` } as Draft;
    drafts.push(draft);
    return draft;
  };

  for (const raw of input.desired) {
    if (!raw?.kind || !raw.apiVersion || !raw.metadata) {
      refusals.push('a rendered object has no apiVersion, kind or metadata; fix the manifests');
      continue;
    }
    const hook = hookInfo(raw);
    const resOpts = resourceSyncOptions(raw);
    for (const u of resOpts.unsupported ?? []) unsupported.add(u);
    const opts = mergeSyncOptions(appOpts, resOpts);
    const phases: SyncPhase[] = hook.kind === 'hook' ? hook.phases : ['Sync'];
    if (hook.kind === 'hook' && selected) continue; // selective sync: hooks don't run
    const generate = raw.metadata.generateName;
    for (const phase of phases.length ? phases : (['Sync'] as SyncPhase[])) {
      const hookName =
        hook.kind === 'hook' && !raw.metadata.name && typeof generate === 'string' && generate
          ? generatedName(generate, `${suffix}-${phase.toLowerCase()}`)
          : undefined;
      const obj = normalize(raw, input, crdScopes, hookName);
      const key = keyOf(obj);
      const ks = keyString(key);
      if (!key.name) {
        refusals.push(`a rendered ${key.kind} has neither metadata.name nor generateName; fix the manifests`);
        continue;
      }
      if (selected && !selected.has(ks)) continue;
      const base = taskBase(obj, phase, opts);
      if (hook.kind !== 'hook') desiredKeys.add(ks);
      const live = input.live.get(ks);
      if (isArgoCdKind(key.group, key.kind)) {
        push({
          ...base,
          action: 'skip',
          status: 'Skipped',
          reason: `Argo CD ${key.kind}: read by bosun, never applied`,
        });
        continue;
      }
      if (hook.kind === 'skip') {
        push({ ...base, action: 'skip', status: 'Skipped', reason: hook.reason });
        continue;
      }
      if (hook.kind === 'hook' && hook.phases.length === 0) {
        const what = hook.ignored.join(', ') || 'none';
        push({ ...base, action: 'skip', status: 'Skipped', reason: `hook type ${what} is not run by sync` });
        continue;
      }
      const refusal = input.policy?.(obj);
      if (refusal) {
        refusals.push(refusal);
        push({ ...base, action: 'skip', status: 'Skipped', reason: refusal });
        continue;
      }
      let reason: string | undefined;
      if (live) {
        const owner = ownerOf(live, { app: appName, annotationKey });
        if (owner.kind === 'other-app' || owner.kind === 'argocd') {
          const who = ownerSentence(owner.kind, owner.app);
          if (!adopt.has(ks)) {
            const msg = `${keyLabel(key)} is owned by ${who}; refusing to overwrite it (adopt it explicitly to take it over)`;
            refusals.push(msg);
            push({ ...base, live, action: 'skip', status: 'Skipped', reason: msg });
            continue;
          }
          reason = `adopting it from ${who}`;
        } else if (owner.kind === 'none' && hook.kind !== 'hook') {
          reason = 'takes over an untracked live object';
        }
      }
      const sent = setTracking(obj, appName, { annotationKey });
      if (hook.kind === 'hook') {
        const draft = push({
          ...base,
          obj: sent,
          live,
          action: 'hook',
          reason: `${phase} hook (${hook.deletePolicies.join(', ')})`,
          hook: { deletePolicies: hook.deletePolicies },
        });
        if (hookName === undefined)
          seen.set(`hook:${phase}/${ks}`, [...(seen.get(`hook:${phase}/${ks}`) ?? []), draft]);
        continue;
      }
      const state = states.get(ks);
      if (opts.applyOutOfSyncOnly && live && state?.sync === 'Synced') {
        push({
          ...base,
          live,
          action: 'skip',
          status: 'Skipped',
          reason: 'ApplyOutOfSyncOnly: already in sync',
        });
        continue;
      }
      const action = opts.replace ? 'replace' : live ? 'apply' : 'create';
      const draft = push({ ...base, obj: sent, live, action, reason });
      seen.set(`Sync/${ks}`, [...(seen.get(`Sync/${ks}`) ?? []), draft]);
    }
  }

  // The same object twice in a render: the last one wins, as with Argo CD.
  for (const dups of seen.values()) {
    if (dups.length < 2) continue;
    warnings.push(`${keyLabel(dups[0]!.key)} appears ${dups.length} times in the render; the last one wins`);
    for (const d of dups.slice(0, -1)) drafts.splice(drafts.indexOf(d), 1);
  }

  // CreateNamespace=true: the destination namespace, first of all, created only when absent, never tracked.
  const destNs = app.destination.namespace;
  if (
    appOpts.createNamespace &&
    destNs &&
    !desiredKeys.has(keyString({ group: '', kind: 'Namespace', namespace: '', name: destNs }))
  ) {
    const minWave = Math.min(0, ...drafts.filter((d) => d.phase === 'PreSync').map((d) => d.wave));
    const obj: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: destNs } };
    push({
      ...taskBase(obj, 'PreSync', {}),
      wave: minWave,
      kindOrder: -1,
      obj,
      action: 'create',
      reason: 'CreateNamespace=true: created when absent',
      createOnly: true,
    });
  }

  // Prune: live objects whose tracking id names this app and that the render no longer has.
  let needConfirm = 0;
  for (const live of ourLive) {
    const key = keyOf(live);
    const ks = keyString(key);
    if (desiredKeys.has(ks)) continue;
    if (selected && !selected.has(ks)) continue;
    if (input.desired.length === 0 && !allowEmpty) continue;
    const opts = mergeSyncOptions(appOpts, resourceSyncOptions(live));
    const last = opts.pruneLast === true;
    const base = {
      ...taskBase(live, 'Sync', opts),
      section: (last ? 2 : 1) as Section,
      live,
      prune: { last, propagation: opts.prunePropagationPolicy ?? 'Foreground' },
    };
    if (!pruneEnabled) {
      push({
        ...base,
        action: 'skip',
        status: 'Skipped',
        reason: 'not in Git; not pruned because prune is off for this sync',
      });
    } else if (opts.prune === 'false') {
      push({
        ...base,
        action: 'skip',
        status: 'Skipped',
        reason: 'Prune=false: kept although it is not in Git',
      });
    } else if (opts.prune === 'confirm' && !(confirmed === 'all' || confirmed.has(ks))) {
      needConfirm++;
      push({
        ...base,
        action: 'prune',
        needsConfirmation: true,
        reason: 'Prune=confirm: pruned only after explicit confirmation',
      });
    } else {
      push({ ...base, action: 'prune', reason: last ? 'not in Git (PruneLast)' : 'not in Git' });
    }
  }
  if (needConfirm > 0)
    warnings.push(
      `${needConfirm} resource(s) have Prune=confirm and are not pruned until the prune is confirmed`,
    );
  for (const u of unsupported) warnings.push(`sync option ${u} is not supported by bosun; ignored`);

  drafts.sort(compareDrafts);
  if (pullUpDependencies(drafts)) drafts.sort(compareDrafts);
  let step = -1;
  let prev = '';
  for (const d of drafts) {
    const group = `${d.phase}/${d.section}/${d.wave}`;
    if (group !== prev) step++;
    prev = group;
    d.step = step;
  }
  const strip = ({ section: _s, ...t }: Draft): SyncTask => t;
  return {
    app: appName,
    context: input.context ?? '',
    revision: input.revision ?? '',
    tasks: drafts.filter((d) => d.phase !== 'SyncFail').map(strip),
    syncFailTasks: drafts.filter((d) => d.phase === 'SyncFail').map(strip),
    refusals,
    warnings,
    options,
    prune: pruneEnabled,
    retry: app.syncPolicy?.retry,
    crdKinds: [...crdScopes.keys()],
  };
}
