import type { AppSetPreview, AppSetPreviewResult } from './appset-preview.js';
import { type AppSetLive, type LiveApps, LivePresence } from './live-types.js';

/**
 * Compares one set's preview with the live apps: `contextOf` maps an app of the set to its kubeconfig
 * context (undefined when its destination maps to none). Pure: the caller gathers the live apps.
 */
export function compareSetWithLive(
  set: AppSetPreview,
  live: LiveApps,
  contextOf: (app: string) => string | undefined,
): AppSetLive {
  if (!live.compared) return { compared: false, reason: live.reason };
  const running = new Map(live.apps.map((a) => [a.name, a] as const));
  const unreachable = new Set(live.unreachable);
  const out = {
    liveOnly: [] as string[],
    notDeployed: [] as string[],
    deployed: [] as string[],
    unknown: [] as string[],
  };
  for (const a of set.apps) {
    const ctx = contextOf(a.name);
    const isLive = running.has(a.name);
    const unknown = !isLive && ctx !== undefined && unreachable.has(ctx);
    if (a.status === 'removed') {
      if (isLive) out.liveOnly.push(a.name);
    } else if (isLive) out.deployed.push(a.name);
    else if (unknown) out.unknown.push(a.name);
    else out.notDeployed.push(a.name);
  }
  return { compared: true, ...out };
}

/** Where one app of a set stands live (for a LIVE column). */
export function livePresence(live: AppSetLive | undefined, app: string): LivePresence | undefined {
  if (!live?.compared) return undefined;
  if (live.deployed.includes(app) || live.liveOnly.includes(app)) return LivePresence.Deployed;
  if (live.unknown.includes(app)) return LivePresence.Unknown;
  return LivePresence.NotDeployed;
}

/** Adds the live comparison to every set of a preview (and says when live was not compared). */
export function withLive(
  p: AppSetPreviewResult,
  live: LiveApps,
  contextOf: (app: string) => string | undefined,
): AppSetPreviewResult {
  return {
    ...p,
    live: live.compared ? { compared: true, unreachable: live.unreachable } : live,
    sets: p.sets.map((s) => ({ ...s, live: compareSetWithLive(s, live, contextOf) })),
  };
}

/** True when some set has apps deployed but no longer generated, or generated but not deployed. */
export function liveDiffers(p: AppSetPreviewResult): boolean {
  return p.sets.some(
    (s) => s.live?.compared && (s.live.liveOnly.length > 0 || s.live.notDeployed.length > 0),
  );
}
