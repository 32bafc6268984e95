import { execFile, execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { inject } from 'vitest';

const root = resolve(import.meta.dirname, '../..');

/** Environment for bosun and kubectl against the shared test control plane. */
export function e2eEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const cp = inject('controlPlane');
  return {
    ...process.env,
    KUBECONFIG: cp.kubeconfig,
    PATH: `${cp.binDir}:${process.env.PATH ?? ''}`,
    BOSUN_USER: 'e2e@test',
    XDG_STATE_HOME: join(cp.runDir, 'state'),
    NO_COLOR: '1',
    ...extra,
  };
}

/** Result of one bosun run. */
export type RunResult = { code: number; stdout: string; stderr: string };

/** Runs the real bosun program (bin/bosun.js) with args; never throws on a non-zero exit. */
export function bosun(
  args: string[],
  opts: { env?: NodeJS.ProcessEnv; input?: string; timeoutMs?: number } = {},
): Promise<RunResult> {
  return new Promise((res) => {
    const child = execFile(
      process.execPath,
      [join(root, 'bin/bosun.js'), ...args],
      { env: opts.env ?? e2eEnv(), timeout: opts.timeoutMs ?? 120_000, maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) => {
        const code = err
          ? typeof (err as { code?: unknown }).code === 'number'
            ? (err as { code: number }).code
            : 1
          : 0;
        res({ code, stdout, stderr });
      },
    );
    if (opts.input !== undefined) child.stdin?.end(opts.input);
    else child.stdin?.end();
  });
}

/** Runs the control plane's kubectl against a context; returns stdout (throws on failure). */
export function kubectl(context: string, args: string[], input?: string): string {
  const cp = inject('controlPlane');
  return execFileSync(
    join(cp.binDir, 'kubectl'),
    ['--kubeconfig', cp.kubeconfig, '--context', context, ...args],
    {
      encoding: 'utf8',
      ...(input !== undefined ? { input } : {}),
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
}

/** Polls until `check` returns true; throws with `what` after the timeout. */
export async function eventually(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      if (await check()) return;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
}

/** Deletes a namespace in the given contexts and waits until it is gone (test isolation). */
export async function deleteNamespace(ns: string, contexts: string[]): Promise<void> {
  for (const c of contexts) {
    try {
      kubectl(c, ['delete', 'namespace', ns, '--ignore-not-found', '--wait=false']);
    } catch {
      /* ignore */
    }
  }
  for (const c of contexts) {
    await eventually(
      `namespace ${ns} gone in ${c}`,
      () => kubectl(c, ['get', 'namespace', ns, '--ignore-not-found', '-o', 'name']).trim() === '',
      120_000,
    );
  }
}
