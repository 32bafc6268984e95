/**
 * Sync options, Argo CD's spelling: the app's `syncPolicy.syncOptions` list and the per-resource
 * `argocd.argoproj.io/sync-options` annotation (comma separated, `Name=value`). A resource's own
 * option wins over the app's. Pure.
 */
import type { KubeObject } from '../model/index.js';

/** The per-resource sync options annotation. */
export const SYNC_OPTIONS_ANNOTATION = 'argocd.argoproj.io/sync-options';

/** Propagation policy used when deleting. */
export type PropagationPolicy = 'Foreground' | 'Background' | 'Orphan';

/** Sync options as bosun understands them; absent means "not set". */
export type ResolvedSyncOptions = {
  /** `Prune=false` (never prune) or `Prune=confirm` (prune only after confirmation). */
  prune?: 'false' | 'confirm' | 'true';
  pruneLast?: boolean;
  createNamespace?: boolean;
  replace?: boolean;
  applyOutOfSyncOnly?: boolean;
  validate?: boolean;
  serverSideApply?: boolean;
  skipDryRunOnMissingResource?: boolean;
  prunePropagationPolicy?: PropagationPolicy;
  /** Options bosun reads but does not act on (shown as warnings by the plan). */
  unsupported?: string[];
};

const truthy = (v: string) => v.toLowerCase() === 'true';

function propagation(v: string): PropagationPolicy | undefined {
  switch (v.toLowerCase()) {
    case 'foreground':
      return 'Foreground';
    case 'background':
      return 'Background';
    case 'orphan':
      return 'Orphan';
    default:
      return undefined;
  }
}

function unsupported(out: ResolvedSyncOptions, entry: string): void {
  out.unsupported = [...(out.unsupported ?? []), entry];
}

/** Parses a list of `Name=value` entries (the app's list or a split annotation). Unknown names are kept aside. */
export function parseSyncOptions(entries: readonly string[]): ResolvedSyncOptions {
  const out: ResolvedSyncOptions = {};
  for (const raw of entries) {
    const entry = raw.trim();
    if (!entry) continue;
    const eq = entry.indexOf('=');
    const name = eq < 0 ? entry : entry.slice(0, eq).trim();
    const value = eq < 0 ? 'true' : entry.slice(eq + 1).trim();
    switch (name) {
      case 'Prune': {
        const v = value.toLowerCase();
        out.prune = v === 'false' ? 'false' : v === 'confirm' ? 'confirm' : 'true';
        break;
      }
      case 'PruneLast':
        out.pruneLast = truthy(value);
        break;
      case 'CreateNamespace':
        out.createNamespace = truthy(value);
        break;
      case 'Replace':
        out.replace = truthy(value);
        break;
      case 'ApplyOutOfSyncOnly':
        out.applyOutOfSyncOnly = truthy(value);
        break;
      case 'Validate':
        out.validate = value.toLowerCase() !== 'false';
        break;
      case 'ServerSideApply':
        out.serverSideApply = truthy(value);
        break;
      case 'SkipDryRunOnMissingResource':
        out.skipDryRunOnMissingResource = truthy(value);
        break;
      case 'PrunePropagationPolicy': {
        const p = propagation(value);
        if (p) out.prunePropagationPolicy = p;
        else unsupported(out, entry);
        break;
      }
      default:
        unsupported(out, entry);
    }
  }
  return out;
}

/** The options an object's annotation sets (empty when it has none). */
export function resourceSyncOptions(obj: KubeObject | undefined): ResolvedSyncOptions {
  const value = obj?.metadata.annotations?.[SYNC_OPTIONS_ANNOTATION];
  return value ? parseSyncOptions(value.split(',')) : {};
}

/** The app's options overlaid with a resource's own (the resource wins). */
export function mergeSyncOptions(
  app: ResolvedSyncOptions,
  resource: ResolvedSyncOptions,
): ResolvedSyncOptions {
  const out: ResolvedSyncOptions = { ...app };
  for (const [k, v] of Object.entries(resource) as [keyof ResolvedSyncOptions, unknown][]) {
    if (v !== undefined && k !== 'unsupported') (out as Record<string, unknown>)[k] = v;
  }
  return out;
}
