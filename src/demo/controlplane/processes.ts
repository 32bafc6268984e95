import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { createServer } from 'node:net';

/** A process started by the control plane, recorded by PID so that exactly it can be stopped. */
export type Managed = {
  name: string;
  pid: number;
  child: ChildProcess;
  logFile: string;
  args: string[];
  bin: string;
};

const live = new Set<Managed>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // If the test process dies, take our children with it: never leave a control plane behind.
  process.on('exit', () => {
    for (const m of live) {
      try {
        process.kill(m.pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
  });
}

/** Starts a binary with its output appended to a log file. */
export function startProcess(opts: {
  name: string;
  bin: string;
  args: string[];
  logFile: string;
  env?: NodeJS.ProcessEnv;
}): Managed {
  installExitHook();
  const fd = openSync(opts.logFile, 'a');
  const child = spawn(opts.bin, opts.args, {
    stdio: ['ignore', fd, fd],
    env: { ...process.env, ...opts.env },
  });
  closeSync(fd);
  if (child.pid === undefined) throw new Error(`could not start ${opts.name} (${opts.bin})`);
  const m: Managed = {
    name: opts.name,
    pid: child.pid,
    child,
    logFile: opts.logFile,
    args: opts.args,
    bin: opts.bin,
  };
  live.add(m);
  child.on('exit', () => live.delete(m));
  return m;
}

/** True while the process is alive. */
export function isAlive(m: Managed): boolean {
  return m.child.exitCode === null && m.child.signalCode === null;
}

/** Stops one process: SIGTERM, then SIGKILL after `graceMs`; resolves when it has exited. */
export async function stopProcess(m: Managed, graceMs = 5000): Promise<void> {
  if (!isAlive(m)) {
    live.delete(m);
    return;
  }
  const exited = new Promise<void>((resolve) => m.child.once('exit', () => resolve()));
  try {
    process.kill(m.pid, 'SIGTERM');
  } catch {
    /* gone */
  }
  const timer = setTimeout(() => {
    try {
      process.kill(m.pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }, graceMs);
  await exited;
  clearTimeout(timer);
  live.delete(m);
}

/** A free TCP port on 127.0.0.1 (the kernel picks it). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** True when something accepts connections on 127.0.0.1:port. */
export async function portInUse(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(true));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(false)));
  });
}

/** Polls `check` until it returns true or the deadline passes; throws with `what` on timeout. */
export async function waitFor(
  what: string,
  check: () => Promise<boolean>,
  opts: { timeoutMs: number; intervalMs?: number; onTick?: () => void },
): Promise<void> {
  const deadline = Date.now() + opts.timeoutMs;
  let lastErr: unknown;
  while (Date.now() < deadline) {
    try {
      if (await check()) return;
    } catch (err) {
      lastErr = err;
    }
    opts.onTick?.();
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 250));
  }
  throw new Error(`timed out after ${opts.timeoutMs} ms waiting for ${what}`, { cause: lastErr });
}
