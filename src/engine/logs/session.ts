/**
 * A log view's data: the merged log lines of every container of a set of pods, read through `pods/log`,
 * each line tagged with its pod and container, kept in a bounded ring buffer (10,000 lines). While
 * following, pods that appear (a rollout) join in. Lines without follow are ordered by their timestamps.
 */
import type { KubeObject } from '../model/resource-key.js';
import { compileGrep, LOG_BUFFER_LINES, type LogOptions } from './options.js';
import { chooseContainers, type PodContainer, podsOf } from './pods.js';
import { RingBuffer } from './ring-buffer.js';

/** One log line. */
export type LogLine = {
  pod: string;
  container: string;
  text: string;
  /** RFC 3339 time the runtime stamped (when the server gave it). */
  time?: string;
  /** Order of the pod in the view (for its colour). */
  podIndex: number;
  /** A message from bosun (a stream failed or ended), not from the container. */
  notice?: boolean;
};

/** What a log session needs from the cluster. */
export type LogPort = {
  /** Pods and their owners (ReplicaSets, Jobs) in a namespace. */
  listOwned(namespace: string): Promise<KubeObject[]>;
  /** Streams one container's log; resolves when it ends. */
  stream(
    req: {
      namespace: string;
      pod: string;
      container: string;
      follow?: boolean;
      previous?: boolean;
      sinceSeconds?: number;
      tailLines?: number;
      timestamps?: boolean;
      signal?: AbortSignal;
    },
    onLine: (line: string) => void,
  ): Promise<void>;
};

/** Input of a session: the roots (workloads or pods) in one namespace, and the options. */
export type LogSessionInput = {
  port: LogPort;
  namespace: string;
  roots: KubeObject[];
  options: LogOptions;
  capacity?: number;
  /** How often to look for new pods while following (ms). */
  rescanMs?: number;
  /**
   * The app's redaction step, applied to every line: pods print what they were given, Secret values
   * included, and bosun shows none (`kubectl logs` is there for the raw stream).
   */
  redact?: (text: string) => string;
};

const TS = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)) ?/;

/** Splits the timestamp the API prefixes (timestamps=true) off a line. */
export function splitTimestamp(raw: string): { time?: string; text: string } {
  const m = TS.exec(raw);
  return m ? { time: m[1] as string, text: raw.slice(m[0].length) } : { text: raw };
}

/** The merged, bounded, live log of a set of pods. */
export class LogSession {
  /** The lines (newest 10,000). */
  readonly lines: RingBuffer<LogLine>;
  private readonly grep: RegExp | undefined;
  private readonly abort = new AbortController();
  private readonly streams = new Map<string, Promise<void>>();
  private readonly podOrder = new Map<string, number>();
  private readonly listeners = new Set<() => void>();
  private rescan?: ReturnType<typeof setInterval>;
  private stopped = false;
  /** One-line problems (a container with no previous instance, a stream that failed). */
  readonly errors: string[] = [];

  constructor(private readonly input: LogSessionInput) {
    this.lines = new RingBuffer(input.capacity ?? LOG_BUFFER_LINES);
    this.grep = compileGrep(input.options.grep);
  }

  /** Hears about new lines (not coalesced: the view coalesces). Returns unsubscribe. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The pods seen so far, in colour order. */
  pods(): string[] {
    return [...this.podOrder.keys()];
  }

  private emit(): void {
    for (const l of this.listeners) l();
  }

  private podIndex(pod: string): number {
    let i = this.podOrder.get(pod);
    if (i === undefined) {
      i = this.podOrder.size;
      this.podOrder.set(pod, i);
    }
    return i;
  }

  private async targets(): Promise<PodContainer[]> {
    const objects = await this.input.port.listOwned(this.input.namespace);
    const pods = podsOf(this.input.roots, objects);
    return chooseContainers(pods, this.input.options.container);
  }

  private open(c: PodContainer, into: LogLine[] | undefined, opts: { joined: boolean }): void {
    const id = `${c.pod}/${c.container}`;
    if (this.streams.has(id)) return;
    const podIndex = this.podIndex(c.pod);
    const o = this.input.options;
    const redact = this.input.redact;
    const add = (raw: LogLine) => {
      const line = redact ? { ...raw, text: redact(raw.text) } : raw;
      if (into) into.push(line);
      else {
        this.lines.push(line);
        this.emit();
      }
    };
    const p = this.input.port
      .stream(
        {
          namespace: c.namespace,
          pod: c.pod,
          container: c.container,
          timestamps: true,
          ...(o.follow ? { follow: true } : {}),
          ...(o.previous ? { previous: true } : {}),
          // A pod that joins while following starts at its beginning, not at the tail.
          ...(o.sinceSeconds !== undefined && !opts.joined ? { sinceSeconds: o.sinceSeconds } : {}),
          ...(o.tailLines !== undefined && !opts.joined ? { tailLines: o.tailLines } : {}),
          signal: this.abort.signal,
        },
        (raw) => {
          const { time, text } = splitTimestamp(raw);
          if (this.grep && !this.grep.test(text)) return;
          add({ pod: c.pod, container: c.container, text, podIndex, ...(time ? { time } : {}) });
        },
      )
      .catch((err: unknown) => {
        if (this.stopped) return;
        const said = err instanceof Error ? err.message : String(err);
        const message = redact ? redact(said) : said;
        this.errors.push(message);
        add({ pod: c.pod, container: c.container, text: message, podIndex, notice: true });
      });
    this.streams.set(id, p);
  }

  /**
   * Reads the logs. Without follow: resolves when every stream ended, lines ordered by time. With follow:
   * resolves once the streams are open; lines keep arriving until stop().
   */
  async start(): Promise<void> {
    const first = await this.targets();
    if (first.length === 0) this.errors.push('no pods to read logs from');
    if (!this.input.options.follow) {
      const collected: LogLine[] = [];
      for (const c of first) this.open(c, collected, { joined: false });
      await Promise.all(this.streams.values());
      // Stable sort by time keeps each container's own order.
      const indexed = collected.map((l, i) => ({ l, i }));
      indexed.sort((a, b) => (a.l.time ?? '').localeCompare(b.l.time ?? '') || a.i - b.i);
      for (const { l } of indexed) this.lines.push(l);
      this.emit();
      return;
    }
    for (const c of first) this.open(c, undefined, { joined: false });
    this.rescan = setInterval(() => {
      void this.targets()
        .then((cs) => {
          for (const c of cs) if (!this.stopped) this.open(c, undefined, { joined: true });
        })
        .catch(() => undefined);
    }, this.input.rescanMs ?? 1000);
  }

  /** Stops every stream and the pod rescans. */
  stop(): void {
    this.stopped = true;
    if (this.rescan) clearInterval(this.rescan);
    this.abort.abort();
  }

  /** Resolves when every stream opened so far has ended. */
  async ended(): Promise<void> {
    await Promise.all(this.streams.values());
  }
}
