/**
 * Retry of failed sync operations per `syncPolicy.retry` (Argo CD's defaults: duration 5s, factor 2,
 * maxDuration 3m; a negative limit retries without end). Durations use Go's spelling ("500ms", "5s",
 * "2m", "1h30m"). Pure.
 */
import type { SyncPolicy } from '../model/index.js';

/** A retry policy with every field resolved. */
export type RetryPolicy = {
  /** Retries after the first attempt; negative means unlimited. */
  limit: number;
  durationMs: number;
  factor: number;
  maxDurationMs: number;
};

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Parses a Go-style duration ("5s", "2m", "1h30m", "250ms", or plain seconds); undefined when malformed. */
export function parseDuration(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const s = text.trim();
  if (/^\d+(\.\d+)?$/.test(s)) return Number(s) * 1000;
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/gy;
  let total = 0;
  let pos = 0;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    total += Number(m[1]) * (UNIT_MS[m[2] as string] ?? 0);
    pos = re.lastIndex;
  }
  return pos === s.length && s.length > 0 ? total : undefined;
}

/** Formats milliseconds the way people read them: "250ms", "5s", "2m", "1m30s". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  const rest = s % 60;
  if (m < 60) return rest ? `${m}m${rest}s` : `${m}m`;
  const h = Math.floor(m / 60);
  return m % 60 ? `${h}h${m % 60}m` : `${h}h`;
}

/** The resolved retry policy of an app, or undefined when it has none (a failed sync is final). */
export function retryPolicy(retry: SyncPolicy['retry'] | undefined): RetryPolicy | undefined {
  if (!retry) return undefined;
  return {
    limit: retry.limit ?? 0,
    durationMs: parseDuration(retry.backoff?.duration) ?? 5000,
    factor: retry.backoff?.factor ?? 2,
    maxDurationMs: parseDuration(retry.backoff?.maxDuration) ?? 180_000,
  };
}

/** The wait before retry number `retry` (1 for the first retry), or undefined when no retry is left. */
export function backoffDelay(policy: RetryPolicy | undefined, retry: number): number | undefined {
  if (!policy) return undefined;
  if (policy.limit >= 0 && retry > policy.limit) return undefined;
  const delay = policy.durationMs * policy.factor ** Math.max(0, retry - 1);
  return Math.min(delay, policy.maxDurationMs);
}
