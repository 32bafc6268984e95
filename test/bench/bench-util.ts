import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { ControlPlane } from '../../src/demo/controlplane/controlplane.js';

/** Median and p95 of samples (ms). */
export function stats(samples: number[]): { median: number; p95: number; min: number; max: number } {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? Number.NaN;
  return { median: at(0.5), p95: at(0.95), min: s[0] ?? Number.NaN, max: s[s.length - 1] ?? Number.NaN };
}

/** Formats milliseconds. */
export const ms = (n: number) => `${n.toFixed(n < 10 ? 2 : 0)} ms`;

/** Runs the control plane's kubectl. */
export function kubectl(cp: ControlPlane, context: string, args: string[], input?: string): string {
  return execFileSync(
    join(cp.binDir, 'kubectl'),
    ['--kubeconfig', cp.kubeconfig, '--context', context, ...args],
    {
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
      ...(input !== undefined ? { input } : {}),
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
}

/** Polls `check` every 5 ms until true (or throws after timeoutMs); returns elapsed ms. */
export async function until(check: () => boolean, timeoutMs = 30_000): Promise<number> {
  const t0 = performance.now();
  while (!check()) {
    if (performance.now() - t0 > timeoutMs) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
  return performance.now() - t0;
}
