import type { AppState } from '../../engine/index.js';

/** The app's sync window as one line for the app header, and whether it holds syncs now. */
export type SyncWindowLine = { text: string; held: boolean };

function inAbout(iso: string, now: number): string {
  const s = Math.max(0, Math.round((Date.parse(iso) - now) / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  if (s < 86400) return `${Math.floor(s / 3600)}h${Math.floor((s % 3600) / 60)}m`;
  return `${Math.floor(s / 86400)}d`;
}

/**
 * `sync window deny active, closes in 42m · automation held, manual sync allowed` — the engine's
 * published window status in words (undefined when no window matches the app).
 */
export function syncWindowLine(app: Pick<AppState, 'syncWindow'>, now: number): SyncWindowLine | undefined {
  const w = app.syncWindow;
  if (!w) return undefined;
  const change = w.nextChange ? `, ${w.active ? 'closes' : 'opens'} in ${inAbout(w.nextChange, now)}` : '';
  const effect = w.automated ? '' : w.manual ? ' · automation held, manual sync allowed' : ' · syncs held';
  return {
    text: `sync window ${w.kind} ${w.active ? 'active' : 'closed'}${change}${effect}`,
    held: !w.automated,
  };
}
