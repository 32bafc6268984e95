import { spawn } from 'node:child_process';

/** How a tool run ended. */
export type ToolResult =
  | { ok: true; stdout: string; stderr: string }
  | {
      ok: false;
      reason: 'timeout' | 'too-big' | 'aborted' | 'spawn' | 'exit' | 'invalid-utf8';
      stderr: string;
      code?: number | null;
      message?: string;
    };

/** Options of `runTool`. */
export type RunToolOptions = {
  bin: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  timeoutMs: number;
  maxBytes: number;
  signal?: AbortSignal;
};

const STDERR_KEEP = 64 * 1024;

/** A strict decoder: output that is not UTF-8 is an error, never replacement characters in manifests. */
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Where the first invalid byte of a render's output came from: the `# Source:` comment (helm) of the
 * document that holds it, if any.
 */
export function sourceOfInvalidText(lossy: string): string | undefined {
  const at = lossy.indexOf('\uFFFD');
  if (at < 0) return undefined;
  const before = lossy.slice(0, at);
  const sources = [...before.matchAll(/^# Source: (.+)$/gm)];
  return sources[sources.length - 1]?.[1]?.trim();
}

/** Process groups of running tools, killed if bosun exits while they run (they live in their own group). */
const running = new Set<number>();
let exitHook = false;

function track(pid: number | undefined): void {
  if (pid === undefined) return;
  running.add(pid);
  if (!exitHook) {
    exitHook = true;
    process.once('exit', () => {
      for (const p of running) killGroup(p);
    });
  }
}

/** Kills a whole process group (the tool and everything it started). */
function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

/**
 * Runs a renderer in its own process group with a time limit and a cap on stdout; on timeout, abort
 * or overflow the whole group is killed. Never throws.
 */
export function runTool(opts: RunToolOptions): Promise<ToolResult> {
  return new Promise((resolvePromise) => {
    if (opts.signal?.aborted) {
      resolvePromise({ ok: false, reason: 'aborted', stderr: '' });
      return;
    }
    let settled = false;
    let failure: 'timeout' | 'too-big' | 'aborted' | undefined;
    const out: Buffer[] = [];
    let outBytes = 0;
    let err = '';
    const child = spawn(opts.bin, opts.args, {
      cwd: opts.cwd,
      env: opts.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    track(child.pid);
    let graceTimer: NodeJS.Timeout | undefined;
    const stop = (why: 'timeout' | 'too-big' | 'aborted') => {
      if (failure || settled) return;
      failure = why;
      killGroup(child.pid);
      // If a grandchild left the group and holds the pipes open, do not wait for it.
      graceTimer = setTimeout(() => {
        child.stdout?.destroy();
        child.stderr?.destroy();
        finish(null);
      }, 2_000);
      graceTimer.unref();
    };
    const timer = setTimeout(() => stop('timeout'), Math.max(1, opts.timeoutMs));
    const onAbort = () => stop('aborted');
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    const finish = (code: number | null, spawnError?: Error) => {
      if (settled) return;
      settled = true;
      if (child.pid !== undefined) running.delete(child.pid);
      clearTimeout(timer);
      if (graceTimer) clearTimeout(graceTimer);
      opts.signal?.removeEventListener('abort', onAbort);
      if (spawnError) {
        resolvePromise({ ok: false, reason: 'spawn', stderr: err, message: spawnError.message });
      } else if (failure) {
        resolvePromise({ ok: false, reason: failure, stderr: err, code });
      } else if (code !== 0) {
        resolvePromise({ ok: false, reason: 'exit', stderr: err, code });
      } else {
        const bytes = Buffer.concat(out);
        try {
          resolvePromise({ ok: true, stdout: strictUtf8.decode(bytes), stderr: err });
        } catch {
          const where = sourceOfInvalidText(bytes.toString('utf8'));
          resolvePromise({
            ok: false,
            reason: 'invalid-utf8',
            stderr: err,
            ...(where ? { message: where } : {}),
          });
        }
      }
    };
    child.stdout?.on('data', (chunk: Buffer) => {
      if (failure) return;
      outBytes += chunk.length;
      if (outBytes > opts.maxBytes) {
        out.length = 0;
        stop('too-big');
        return;
      }
      out.push(chunk);
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      err += chunk.toString('utf8');
      if (err.length > STDERR_KEEP * 2) err = err.slice(-STDERR_KEEP);
    });
    child.on('error', (e) => finish(null, e));
    child.on('close', (code) => finish(code));
  });
}

/** A duration for people: `60s`, `0.5s`. */
export function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(1))}s`;
}

/** A size for people: `10 MiB`, `512 KiB`, `100 bytes`. */
export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${Number((n / (1024 * 1024)).toFixed(1))} MiB`;
  if (n >= 1024) return `${Number((n / 1024).toFixed(1))} KiB`;
  return `${n} bytes`;
}

/** Lines a renderer prints that never explain a failure. */
const noise = [/^#?\s*warning\b/i, /^use --debug flag/i, /^walk\.go:/i, /^\s*$/];

/** The last meaningful stderr line, `Error: ` removed; prefers the last `Error:` line. */
export function lastMeaningfulLine(stderr: string): string | undefined {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => !noise.some((re) => re.test(l)));
  const errLine = [...lines].reverse().find((l) => /^error:/i.test(l));
  const line = errLine ?? lines[lines.length - 1];
  return line?.replace(/^error:\s*/i, '');
}

/** Turns a failed run into one line, with snapshot and temp paths shortened. */
export function toolError(opts: {
  tool: string;
  result: Exclude<ToolResult, { ok: true }>;
  timeoutMs: number;
  maxBytes: number;
  strip: string[];
}): string {
  const { result } = opts;
  switch (result.reason) {
    case 'timeout':
      return `render timed out after ${formatSeconds(opts.timeoutMs)}`;
    case 'too-big':
      return `rendered manifests exceed ${formatBytes(opts.maxBytes)}`;
    case 'aborted':
      return 'render cancelled';
    case 'spawn':
      return `${opts.tool} could not be started: ${result.message ?? 'unknown error'}`;
    case 'invalid-utf8':
      return `${opts.tool} output is not valid UTF-8 text${result.message ? ` (in ${result.message})` : ''}`;
    default: {
      let line = lastMeaningfulLine(result.stderr) ?? `exit code ${result.code}`;
      for (const s of opts.strip) if (s) line = line.split(`${s}/`).join('').split(s).join('.');
      if (line.length > 400) line = `${line.slice(0, 397)}...`;
      return `${opts.tool} failed: ${line}`;
    }
  }
}

/** The limits of one render: a deadline shared by all its tool runs, an output cap, a cancel signal. */
export type RenderLimits = { deadline: number; timeoutMs: number; maxBytes: number; signal?: AbortSignal };

/** Runs a tool within a render's limits; failures come back as one line prefixed with `tool failed:`. */
export async function runRenderTool(opts: {
  tool: string;
  bin: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  limits: RenderLimits;
  strip: string[];
}): Promise<{ ok: true; stdout: string } | { ok: false; error: string; missing?: boolean }> {
  const { limits } = opts;
  const remaining = limits.deadline - Date.now();
  if (remaining <= 0)
    return { ok: false, error: `render timed out after ${formatSeconds(limits.timeoutMs)}` };
  const result = await runTool({
    bin: opts.bin,
    args: opts.args,
    cwd: opts.cwd,
    env: opts.env,
    timeoutMs: remaining,
    maxBytes: limits.maxBytes,
    signal: limits.signal,
  });
  if (result.ok) return { ok: true, stdout: result.stdout };
  return {
    ok: false,
    ...(result.reason === 'spawn' && /ENOENT/.test(result.message ?? '') ? { missing: true } : {}),
    error: toolError({
      tool: opts.tool,
      result,
      timeoutMs: limits.timeoutMs,
      maxBytes: limits.maxBytes,
      strip: opts.strip,
    }),
  };
}
