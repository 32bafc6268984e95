import type { IncomingMessage } from 'node:http';
import { Agent, type RequestOptions, request } from 'node:https';
import { createSecureContext, type SecureContext } from 'node:tls';
import type { ContextInfo } from './kubeconfig.js';

/** An error from the Kubernetes API: HTTP status, reason and the API's one-line message. */
export class KubeApiError extends Error {
  /** HTTP status code (0 for connection failures). */
  readonly status: number;
  /** The Status reason (NotFound, Conflict, Invalid…) or a transport error code. */
  readonly reason: string;
  /** The request failed on a reused keep-alive socket before any answer: it never reached the server. */
  readonly staleSocket: boolean;
  constructor(
    message: string,
    opts: { status: number; reason: string; cause?: unknown; staleSocket?: boolean },
  ) {
    // An API answer carries it as `cause` ({status, reason, message}); sync reads failures that way.
    super(message, {
      cause:
        opts.cause ?? (opts.status !== 0 ? { status: opts.status, reason: opts.reason, message } : undefined),
    });
    this.name = 'KubeApiError';
    this.status = opts.status;
    this.reason = opts.reason;
    this.staleSocket = opts.staleSocket ?? false;
  }
}

/** Options of one request. */
export type RequestOpts = {
  body?: unknown;
  contentType?: string;
  query?: Record<string, string | number | boolean | undefined>;
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Accept header (default application/json). */
  accept?: string;
  /** Which counter this request increments (default other). */
  countAs?: keyof RequestCounts;
};

/** Counts of requests by verb, to prove there are no storms. */
export type RequestCounts = { list: number; watch: number; other: number };

/** A minimal HTTPS client for one kubeconfig context: JSON requests and streaming watches. */
export class KubeClient {
  /** The context this client talks to. */
  readonly context: ContextInfo;
  /** Requests made so far. */
  readonly counts: RequestCounts = { list: 0, watch: 0, other: 0 };
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 64 });
  private base?: { opts: RequestOptions; validUntil: number };
  private refreshAuth = false;

  constructor(context: ContextInfo) {
    this.context = context;
  }

  /**
   * TLS and auth options, cached for 5 minutes or until shortly before the credential expires (an exec
   * plugin's `expirationTimestamp`, a bearer JWT's `exp`), whichever is first.
   */
  private async baseOptions(): Promise<RequestOptions> {
    if (this.base && Date.now() < this.base.validUntil) return this.base.opts;
    const opts: RequestOptions = { headers: {} };
    const refresh = this.refreshAuth;
    this.refreshAuth = false;
    const { expiresAt } = await this.context.applyAuth(opts, { refresh });
    // One TLS context for every connection: without it each new socket parses the CA and client key again.
    if (opts.ca || opts.cert || opts.key)
      (opts as RequestOptions & { secureContext?: SecureContext }).secureContext = createSecureContext({
        ...(opts.ca ? { ca: opts.ca } : {}),
        ...(opts.cert ? { cert: opts.cert } : {}),
        ...(opts.key ? { key: opts.key } : {}),
      });
    const now = Date.now();
    const validUntil = Math.min(now + 300_000, expiresAt === undefined ? Infinity : expiresAt - 10_000);
    this.base = { opts, validUntil };
    return opts;
  }

  /** The server's host, port and path prefix, parsed once (a URL object per request costs measurable CPU). */
  private server?: { hostname: string; port: string; prefix: string };

  private target(path: string, query?: RequestOpts['query']): RequestOptions {
    if (!this.server) {
      const u = new URL(this.context.server);
      this.server = {
        // An IPv6 literal is bracketed in a URL, not in a request's hostname.
        hostname: u.hostname.replace(/^\[(.*)\]$/, '$1'),
        port: u.port || '443',
        prefix: u.pathname.replace(/\/$/, ''),
      };
    }
    let search = '';
    for (const [k, v] of Object.entries(query ?? {}))
      if (v !== undefined)
        search += `${search ? '&' : '?'}${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`;
    const { hostname, port, prefix } = this.server;
    return { hostname, port, path: prefix + path + search };
  }

  /**
   * Opens a request and resolves with the response stream (status not checked). A 401 drops the cached
   * credential and retries once with a fresh one (an exec plugin runs again).
   */
  async open(method: string, path: string, o: RequestOpts = {}): Promise<IncomingMessage> {
    for (let attempt = 0; ; attempt++) {
      const res = await this.openAuthorized(method, path, o);
      const wait = attempt < MAX_THROTTLE_RETRIES ? throttleWaitMs(res) : undefined;
      if (wait === undefined) return res;
      // The server did not take the request (429 Too Many Requests, or 5xx with Retry-After): wait as it
      // asks and send it again, as client-go does. Any request, a mutating one included, is safe to resend.
      res.resume();
      // Spread out: requests refused together must not all come back at the same instant.
      await sleep(wait * (1 + Math.random() / 2), o.signal);
    }
  }

  private async openAuthorized(method: string, path: string, o: RequestOpts): Promise<IncomingMessage> {
    const res = await this.openOnce(method, path, o).catch((err: unknown) => {
      // A keep-alive socket the server had already closed fails before the request reached it: send it
      // again once on a fresh socket (what Node's documentation advises for reused sockets).
      if (err instanceof KubeApiError && err.staleSocket)
        return this.openOnce(method, path, o, { fresh: true });
      throw err;
    });
    if (res.statusCode !== 401) return res;
    res.resume();
    this.base = undefined;
    this.refreshAuth = true;
    return this.openOnce(method, path, o);
  }

  private async openOnce(
    method: string,
    path: string,
    o: RequestOpts,
    how: { fresh?: boolean } = {},
  ): Promise<IncomingMessage> {
    const base = await this.baseOptions();
    const payload =
      o.body === undefined ? undefined : typeof o.body === 'string' ? o.body : JSON.stringify(o.body);
    const target = this.target(path, o.query);
    this.counts[o.countAs ?? 'other']++;
    return new Promise((resolve, reject) => {
      const req = request({
        ...base,
        ...target,
        method,
        // A retry after a stale socket opens its own connection: the pool may hold more closed ones.
        agent: how.fresh ? false : this.agent,
        headers: {
          ...base.headers,
          accept: o.accept ?? 'application/json',
          // Content-Length always: Node sends a DELETE body neither chunked nor sized, so the server would
          // drop its DeleteOptions (dryRun, propagationPolicy) and really delete.
          ...(payload !== undefined
            ? {
                'content-type': o.contentType ?? 'application/json',
                'content-length': Buffer.byteLength(payload),
              }
            : {}),
        },
        ...(o.signal ? { signal: o.signal } : {}),
      });
      const timeoutMs = o.timeoutMs ?? 15_000;
      if (timeoutMs > 0) {
        req.setTimeout(timeoutMs, () =>
          req.destroy(
            new KubeApiError(`${this.context.name}: request timed out after ${timeoutMs} ms`, {
              status: 0,
              reason: 'Timeout',
            }),
          ),
        );
      }
      req.on('response', resolve);
      req.on('error', (err: NodeJS.ErrnoException) => {
        if (err instanceof KubeApiError) return reject(err);
        const code = err.code ?? err.name;
        const stale = req.reusedSocket && (code === 'ECONNRESET' || code === 'EPIPE');
        reject(
          new KubeApiError(
            `${this.context.name} (${this.context.server}) unreachable: ${code === 'ECONNREFUSED' ? 'connection refused' : err.message}`,
            {
              status: 0,
              reason: code,
              cause: err,
              ...(stale ? { staleSocket: true } : {}),
            },
          ),
        );
      });
      if (payload !== undefined) req.write(payload);
      req.end();
    });
  }

  /** A JSON request; rejects with KubeApiError on a non-2xx status. Returns undefined for 404 when allowed. */
  async json<T = unknown>(
    method: string,
    path: string,
    o: RequestOpts & { allow404?: boolean } = {},
  ): Promise<T | undefined> {
    const res = await this.open(method, path, o);
    const text = await readBody(res);
    const status = res.statusCode ?? 0;
    if (status === 404 && o.allow404) return undefined;
    if (status < 200 || status >= 300) {
      let reason = String(status);
      let message = text.trim().split('\n')[0] ?? '';
      try {
        const s = JSON.parse(text) as { reason?: string; message?: string };
        reason = s.reason ?? reason;
        message = s.message ?? message;
      } catch {
        /* not a Status object */
      }
      throw new KubeApiError(message || `HTTP ${status}`, { status, reason });
    }
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /** Closes idle keep-alive sockets. */
  close(): void {
    this.agent.destroy();
  }
}

/** The whole body of a response as text (listeners, not an async iterator: cheaper per request). */
/** How many times one request is sent again after the server said it was too busy to take it. */
const MAX_THROTTLE_RETRIES = 5;
/** The longest wait between two attempts, whatever Retry-After says. */
const MAX_THROTTLE_WAIT_MS = 10_000;

/**
 * How long to wait before sending a request again, or undefined when the answer stands: 429 always
 * (Retry-After, else 1 s), a 5xx only when it carries Retry-After (the server asks to come back).
 */
export function throttleWaitMs(res: Pick<IncomingMessage, 'statusCode' | 'headers'>): number | undefined {
  const status = res.statusCode ?? 0;
  const header = res.headers['retry-after'];
  const seconds = typeof header === 'string' && /^\d+$/.test(header.trim()) ? Number(header) : undefined;
  if (status === 429) return Math.min((seconds ?? 1) * 1000, MAX_THROTTLE_WAIT_MS);
  if (status >= 500 && status <= 599 && seconds !== undefined)
    return Math.min(seconds * 1000, MAX_THROTTLE_WAIT_MS);
  return undefined;
}

/** Resolves after `ms`, or rejects at once when the request's signal aborts. */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function readBody(res: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let ended = false;
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => {
      ended = true;
      resolve(Buffer.concat(chunks).toString('utf8'));
    });
    res.on('error', reject);
    // A connection lost mid-body closes the response without 'end' (settling twice is a no-op).
    res.on('close', () => {
      if (!ended) reject(new Error('the connection closed before the whole response arrived'));
    });
  });
}
