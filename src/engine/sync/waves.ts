/**
 * Waves and hooks, read from annotations exactly as Argo CD reads them: `argocd.argoproj.io/sync-wave`
 * (Helm's `helm.sh/hook-weight` as fallback), `argocd.argoproj.io/hook` (Helm's `helm.sh/hook` mapped)
 * and `argocd.argoproj.io/hook-delete-policy` (Helm's `helm.sh/hook-delete-policy` mapped). Pure.
 */
import type { KubeObject } from '../model/index.js';

/** Argo CD's wave annotation. */
export const SYNC_WAVE_ANNOTATION = 'argocd.argoproj.io/sync-wave';
/** Argo CD's hook annotation. */
export const HOOK_ANNOTATION = 'argocd.argoproj.io/hook';
/** Argo CD's hook delete policy annotation. */
export const HOOK_DELETE_POLICY_ANNOTATION = 'argocd.argoproj.io/hook-delete-policy';
/** Helm's hook annotation. */
export const HELM_HOOK_ANNOTATION = 'helm.sh/hook';
/** Helm's hook weight annotation. */
export const HELM_WEIGHT_ANNOTATION = 'helm.sh/hook-weight';
/** Helm's hook delete policy annotation. */
export const HELM_DELETE_POLICY_ANNOTATION = 'helm.sh/hook-delete-policy';

/** The phases of a sync. */
export const SyncPhase = {
  PreSync: 'PreSync',
  Sync: 'Sync',
  PostSync: 'PostSync',
  SyncFail: 'SyncFail',
} as const;
/** One of the sync phases. */
export type SyncPhase = (typeof SyncPhase)[keyof typeof SyncPhase];

/** Order of the phases that run on success. */
export const PHASE_ORDER: readonly SyncPhase[] = ['PreSync', 'Sync', 'PostSync', 'SyncFail'];

/** Hook delete policies. */
export const HookDeletePolicy = {
  BeforeHookCreation: 'BeforeHookCreation',
  HookSucceeded: 'HookSucceeded',
  HookFailed: 'HookFailed',
} as const;
/** One of the hook delete policies. */
export type HookDeletePolicy = (typeof HookDeletePolicy)[keyof typeof HookDeletePolicy];

/** What the hook annotations of an object say. */
export type HookInfo =
  /** Not a hook: a normal resource of the Sync phase. */
  | { kind: 'resource' }
  /** `hook: Skip`: never applied. */
  | { kind: 'skip'; reason: string }
  /** A hook with the phases it runs in (one task each) and its delete policies. */
  | {
      kind: 'hook';
      phases: SyncPhase[];
      deletePolicies: HookDeletePolicy[];
      helm: boolean;
      ignored: string[];
    };

function annotation(obj: KubeObject, key: string): string | undefined {
  return obj.metadata.annotations?.[key];
}

function list(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** The wave of an object: its sync-wave annotation, else its Helm hook weight, else 0. */
export function waveOf(obj: KubeObject | undefined): number {
  if (!obj) return 0;
  const raw = annotation(obj, SYNC_WAVE_ANNOTATION) ?? annotation(obj, HELM_WEIGHT_ANNOTATION);
  if (raw === undefined) return 0;
  const n = Number.parseInt(raw.trim(), 10);
  return Number.isFinite(n) && /^[+-]?\d+$/.test(raw.trim()) ? n : 0;
}

const helmPhase: Record<string, SyncPhase> = {
  'pre-install': 'PreSync',
  'pre-upgrade': 'PreSync',
  'post-install': 'PostSync',
  'post-upgrade': 'PostSync',
};

const helmPolicy: Record<string, HookDeletePolicy> = {
  'before-hook-creation': 'BeforeHookCreation',
  'hook-succeeded': 'HookSucceeded',
  'hook-failed': 'HookFailed',
};

function deletePolicies(obj: KubeObject, helm: boolean): HookDeletePolicy[] {
  const argo = annotation(obj, HOOK_DELETE_POLICY_ANNOTATION);
  const raw =
    argo !== undefined ? list(argo) : helm ? list(annotation(obj, HELM_DELETE_POLICY_ANNOTATION) ?? '') : [];
  const out = new Set<HookDeletePolicy>();
  for (const p of raw) {
    const v = (HookDeletePolicy as Record<string, HookDeletePolicy>)[p] ?? helmPolicy[p];
    if (v) out.add(v);
  }
  if (out.size === 0) out.add('BeforeHookCreation');
  return [...out];
}

/** Reads an object's hook annotations (Argo CD's win over Helm's). */
export function hookInfo(obj: KubeObject): HookInfo {
  const argo = annotation(obj, HOOK_ANNOTATION);
  if (argo !== undefined) {
    const types = list(argo);
    if (types.includes('Skip')) return { kind: 'skip', reason: 'hook: Skip (never applied)' };
    const phases = types.filter((t): t is SyncPhase => (PHASE_ORDER as readonly string[]).includes(t));
    const ignored = types.filter((t) => !(PHASE_ORDER as readonly string[]).includes(t));
    return { kind: 'hook', phases, deletePolicies: deletePolicies(obj, false), helm: false, ignored };
  }
  const helm = annotation(obj, HELM_HOOK_ANNOTATION);
  // Helm marks CRDs with crd-install; Argo CD treats them as normal resources.
  if (helm === undefined || helm.trim() === 'crd-install') return { kind: 'resource' };
  const types = list(helm);
  const phases = [...new Set(types.map((t) => helmPhase[t]).filter((p): p is SyncPhase => p !== undefined))];
  const ignored = types.filter((t) => helmPhase[t] === undefined);
  return { kind: 'hook', phases, deletePolicies: deletePolicies(obj, true), helm: true, ignored };
}

/** True when a live object is a hook (hooks are never pruned). */
export function isHookObject(obj: KubeObject): boolean {
  return hookInfo(obj).kind !== 'resource';
}
