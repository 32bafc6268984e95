/** `bosun sync --wait`: after the operation, wait until the app reports Healthy (bounded by `--timeout`). */
import type { AppState, BosunEngine } from '../../engine/index.js';
import { CliError, ExitCode } from '../exit-codes.js';

/** Default of `--timeout` (seconds). */
export const DEFAULT_WAIT_TIMEOUT_SECONDS = 300;

/** Parses a `--timeout` value: seconds, or a number with unit s, m or h (`90`, `90s`, `5m`, `1h`). */
export function parseTimeout(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(s|m|h)?$/.exec(text.trim());
  const n = m ? Number(m[1]) : Number.NaN;
  if (!m || !(n > 0))
    throw new CliError(`--timeout must be a duration such as 90s, 5m or 1h (got "${text}")`, ExitCode.Usage);
  return n * (m[2] === 'h' ? 3600 : m[2] === 'm' ? 60 : 1);
}

const fmt = (s: number) => (s % 60 === 0 && s >= 60 ? `${s / 60}m` : `${s}s`);

/**
 * Waits until the app is Healthy (and Synced) in the engine's state, which follows the live watches;
 * resolves with the app, or rejects with CliError(Differences) naming the health message at the deadline.
 */
export async function waitHealthy(
  engine: BosunEngine,
  name: string,
  opts: { timeoutSeconds: number; pollMs?: number },
): Promise<AppState | undefined> {
  const deadline = Date.now() + opts.timeoutSeconds * 1000;
  const find = () => engine.getSnapshot().apps.find((a) => a.name === name);
  let last = find();
  for (;;) {
    last = find();
    if (last?.health === 'Healthy' && last.sync === 'Synced') return last;
    if (Date.now() >= deadline) break;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, opts.pollMs ?? 1000);
      const off = engine.subscribe(done);
      function done() {
        clearTimeout(timer);
        off();
        resolve();
      }
    });
  }
  const why = last
    ? `${last.sync}, ${last.health}${last.healthMessage ? `: ${last.healthMessage}` : ''}`
    : 'gone';
  throw new CliError(
    `${name} synced but not Healthy after ${fmt(opts.timeoutSeconds)} (${why})`,
    ExitCode.Differences,
  );
}
