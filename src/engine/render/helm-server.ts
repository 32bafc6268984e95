import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { runTool, sourceOfInvalidText, type ToolResult } from './exec.js';

/** What `helm template RELEASE CHART --include-crds` gets: absolute paths, `--set` values as given. */
export type HelmRenderRequest = {
  release: string;
  chart: string;
  namespace?: string;
  valueFiles: string[];
  set: string[];
  setString: string[];
  /** `--kube-version` (`1.36`); Helm's default when absent. */
  kubeVersion?: string;
  /** `--api-versions`, added to Helm's defaults. */
  apiVersions?: string[];
};

/** A render that could not be sent or answered: the caller runs `helm template` instead. */
export type Unavailable = { ok: false; reason: 'unavailable' };

type Answer = { id: number; ok: boolean; stdout?: string; stderr?: string; invalid?: boolean };
type Pending = { resolve: (r: ToolResult | Unavailable) => void; done: () => void };

const binaryName = 'bosun-helm-render';

/**
 * The environment Helm renders in, offline: Helm's homes under `home` (never the user's), no
 * kubeconfig, plugins off, and a proxy that refuses every connection.
 */
export function offlineHelmEnv(home: string): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    HELM_CACHE_HOME: join(home, 'cache'),
    HELM_CONFIG_HOME: join(home, 'config'),
    HELM_DATA_HOME: join(home, 'data'),
    HELM_NO_PLUGINS: '1',
    KUBECONFIG: join(home, 'no-kubeconfig'),
    HTTP_PROXY: 'http://127.0.0.1:9',
    HTTPS_PROXY: 'http://127.0.0.1:9',
    NO_PROXY: '',
    ...(process.env.LANG ? { LANG: process.env.LANG } : {}),
  };
}

/**
 * Where bosun-helm-render is: `BOSUN_HELM_RENDER` (a path, or `off`), else `tools/helm-render/bin/`
 * of this package (built by `bash tools/helm-render/build.sh`); undefined when there is none.
 */
export function helmRenderPath(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const set = env.BOSUN_HELM_RENDER;
  if (set === 'off' || set === '0') return undefined;
  if (set) return set;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, 'tools', 'helm-render', 'bin', binaryName);
    if (existsSync(candidate)) return candidate;
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return undefined;
}

/**
 * One long-lived bosun-helm-render process. Requests run concurrently in it and answers are matched
 * by id. It is started on first use, holds the event loop only while a render is pending, and ends
 * when bosun does (its stdin closes). A render past its time limit kills it; the next one restarts it.
 */
export class HelmRenderServer {
  private child: ChildProcessWithoutNullStreams | undefined;
  private hello: Promise<string | undefined> | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  /** How many renders the renderer answered (for tests and `--verbose`). */
  answered = 0;
  /** Set when the renderer ended before it greeted: it is not started again. */
  private broken = false;
  /** True from the start until the greeting arrives (the event loop is held meanwhile). */
  private greeting = false;

  constructor(private readonly path: string) {}

  /** The Helm library version the renderer links, or undefined when it cannot be started. */
  version(): Promise<string | undefined> {
    this.start();
    return this.broken ? Promise.resolve(undefined) : (this.hello ?? Promise.resolve(undefined));
  }

  /** Renders one chart: what `helm template` would print, as a tool result, or `unavailable`. */
  async render(
    req: HelmRenderRequest,
    opts: { timeoutMs: number; maxBytes: number; signal?: AbortSignal },
  ): Promise<ToolResult | Unavailable> {
    if (opts.signal?.aborted) return { ok: false, reason: 'aborted', stderr: '' };
    if (!(await this.version())) return { ok: false, reason: 'unavailable' };
    const child = this.child;
    if (!child) return { ok: false, reason: 'unavailable' };
    const id = this.nextId++;
    return new Promise((resolve) => {
      const onAbort = () => finish({ ok: false, reason: 'aborted', stderr: '' });
      const timer = setTimeout(() => {
        finish({ ok: false, reason: 'timeout', stderr: '' });
        this.stop(child);
      }, opts.timeoutMs);
      const finish = (r: ToolResult | Unavailable) => {
        if (!this.pending.has(id)) return;
        this.pending.get(id)?.done();
        resolve(r);
      };
      this.pending.set(id, {
        resolve: (r) => {
          if (r.ok && Buffer.byteLength(r.stdout) > opts.maxBytes) {
            finish({ ok: false, reason: 'too-big', stderr: '' });
          } else finish(r);
        },
        done: () => {
          clearTimeout(timer);
          opts.signal?.removeEventListener('abort', onAbort);
          this.pending.delete(id);
          this.hold();
        },
      });
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      this.hold();
      child.stdin.write(`${JSON.stringify({ id, ...req, namespace: req.namespace ?? '' })}\n`);
    });
  }

  /** Stops the renderer; pending renders come back `unavailable`. */
  close(): void {
    if (this.child) this.stop(this.child);
  }

  private start(): void {
    if (this.child || this.hello || this.broken) return;
    const home = join(tmpdir(), `bosun-helm-render-nohome-${process.pid}`);
    let child: ChildProcessWithoutNullStreams;
    try {
      child = spawn(this.path, [], {
        cwd: tmpdir(),
        stdio: ['pipe', 'pipe', 'pipe'],
        env: offlineHelmEnv(home),
      });
    } catch {
      this.hello = Promise.resolve(undefined);
      return;
    }
    this.child = child;
    this.greeting = true;
    let greet: (v: string | undefined) => void = () => {};
    this.hello = new Promise((resolve) => {
      greet = resolve;
    });
    const greeted = (v: string | undefined) => {
      if (this.child === child) this.greeting = false;
      greet(v);
      this.hold();
    };
    child.stderr.resume();
    const lines = createInterface({ input: child.stdout, crlfDelay: Number.POSITIVE_INFINITY });
    lines.on('line', (line) => {
      let msg: Answer & { helm?: string };
      try {
        msg = JSON.parse(line) as Answer & { helm?: string };
      } catch {
        return;
      }
      if (msg.helm !== undefined) {
        hasGreeted = true;
        return greeted(msg.helm);
      }
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.answered++;
      if (msg.ok && msg.invalid) {
        const where = sourceOfInvalidText(msg.stdout ?? '');
        p.resolve({ ok: false, reason: 'invalid-utf8', stderr: '', ...(where ? { message: where } : {}) });
      } else if (msg.ok) p.resolve({ ok: true, stdout: msg.stdout ?? '', stderr: '' });
      else p.resolve({ ok: false, reason: 'exit', code: 1, stderr: msg.stderr ?? '' });
    });
    let hasGreeted = false;
    const gone = () => {
      if (!hasGreeted) this.broken = true;
      if (this.child === child) {
        this.child = undefined;
        this.hello = undefined;
        this.greeting = false;
      }
      greeted(undefined);
      for (const p of [...this.pending.values()]) p.resolve({ ok: false, reason: 'unavailable' });
    };
    child.on('error', gone);
    child.on('close', gone);
    child.stdin.on('error', () => {});
    this.hold();
  }

  /** Keeps the event loop alive only while a render is pending or the greeting is awaited. */
  private hold(): void {
    const child = this.child;
    if (!child) return;
    const busy = this.pending.size > 0 || this.greeting;
    for (const s of [child.stdout, child.stderr, child.stdin] as unknown as {
      ref?: () => void;
      unref?: () => void;
    }[]) {
      if (busy) s.ref?.();
      else s.unref?.();
    }
    if (busy) child.ref();
    else child.unref();
  }

  private stop(child: ChildProcessWithoutNullStreams): void {
    if (this.child === child) {
      this.child = undefined;
      this.hello = undefined;
      this.greeting = false;
    }
    child.kill('SIGKILL');
  }
}

const servers = new Map<string, HelmRenderServer>();
const matches = new Map<string, Promise<HelmRenderServer | undefined>>();

/**
 * A chart that prints what a Helm build assumes when it renders offline: its version, the default
 * Kubernetes version (set at build time: release binaries say the client-go minor, `go install`
 * builds say v1.20) and the API versions it knows.
 */
const probeTemplate = [
  'apiVersion: v1',
  'kind: ConfigMap',
  'metadata: {name: probe}',
  'data:',
  '  helm: {{ .Capabilities.HelmVersion.Version | quote }}',
  '  kube: {{ .Capabilities.KubeVersion.Version | quote }}',
  '  apis: {{ .Capabilities.APIVersions | toJson | sha256sum | quote }}',
  '',
].join('\n');

/** What the probe chart renders to with `helm template`, or undefined when helm cannot run. */
async function helmProbe(bin: string, chart: string): Promise<string | undefined> {
  const home = join(chart, 'home');
  const r = await runTool({
    bin,
    args: ['template', 'probe', join(chart, 'probe')],
    cwd: chart,
    env: offlineHelmEnv(home),
    timeoutMs: 10_000,
    maxBytes: 64 * 1024,
  });
  return r.ok ? r.stdout : undefined;
}

/** Whether the renderer prints exactly what `bin` prints for the probe chart. */
async function rendersLike(server: HelmRenderServer, bin: string): Promise<boolean> {
  if (!(await server.version())) return false;
  const dir = await mkdtemp(join(tmpdir(), 'bosun-helm-probe-'));
  try {
    await mkdir(join(dir, 'probe', 'templates'), { recursive: true });
    await writeFile(join(dir, 'probe', 'Chart.yaml'), 'apiVersion: v2\nname: probe\nversion: 0.1.0\n');
    await writeFile(join(dir, 'probe', 'templates', 'probe.yaml'), probeTemplate);
    const [theirs, mine] = await Promise.all([
      helmProbe(bin, dir),
      server.render(
        { release: 'probe', chart: join(dir, 'probe'), valueFiles: [], set: [], setString: [] },
        { timeoutMs: 10_000, maxBytes: 64 * 1024 },
      ),
    ]);
    return theirs !== undefined && mine.ok && mine.stdout === theirs;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * The shared renderer to use instead of running `bin` (a helm binary), or undefined: when there is
 * no bosun-helm-render, or it renders a probe chart differently from `bin` (another Helm version,
 * another default Kubernetes version or API set), so output never depends on which of the two
 * rendered it. Asked once per binary.
 */
export function helmServerFor(bin: string): Promise<HelmRenderServer | undefined> {
  const path = helmRenderPath();
  if (!path) return Promise.resolve(undefined);
  const key = `${path}\0${bin}`;
  let found = matches.get(key);
  if (!found) {
    let server = servers.get(path);
    if (!server) {
      server = new HelmRenderServer(path);
      servers.set(path, server);
    }
    const s = server;
    found = rendersLike(s, bin).then(
      (same) => (same ? s : undefined),
      () => undefined,
    );
    matches.set(key, found);
  }
  return found;
}
