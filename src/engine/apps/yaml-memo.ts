/**
 * Parsed YAML by content: the same text always parses to the same documents, so an unchanged repository
 * is parsed once, not at every start. Entries live in memory and, when the engine asks, in one file
 * between processes (discovery's Application files, the kustomizations a render cache key follows).
 * Hits return fresh copies (JSON), never an object another caller holds.
 */
import { createHash } from 'node:crypto';
import { parse } from 'yaml';
import { readEntries, writeEntries } from '../core/entries-file.js';
import { parseYamlDocs, type YamlDocs } from './yaml.js';

const FILE_VERSION = 1;
const MAX_ENTRIES = 20_000;
/** Texts longer than this are parsed every time (rendered output, huge lists): not worth a disk entry. */
const MAX_TEXT = 256 * 1024;

/** A memo of parsed YAML texts, keyed by what was parsed and how. */
export class YamlMemo {
  private readonly entries = new Map<string, string>();
  private readonly used = new Set<string>();
  private added = false;
  /** Texts answered from the memo and texts parsed, since this memo was created. */
  readonly stats = { hits: 0, parsed: 0 };

  private key(kind: string, text: string): string {
    return `${kind}:${createHash('sha1').update(text).digest('base64url')}`;
  }

  private remember<T>(kind: string, text: string, compute: () => T): T {
    if (text.length > MAX_TEXT) return compute();
    const k = this.key(kind, text);
    const hit = this.entries.get(k);
    if (hit !== undefined) {
      this.stats.hits++;
      this.used.add(k);
      return JSON.parse(hit) as T;
    }
    const value = compute();
    this.stats.parsed++;
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    this.entries.set(k, JSON.stringify(value));
    this.used.add(k);
    this.added = true;
    return value;
  }

  /** {@link parseYamlDocs} of the text (default alias limit), from the memo when it was parsed before. */
  docs(text: string): YamlDocs {
    return this.remember('docs', text, () => parseYamlDocs(text));
  }

  /** The single document of a kustomization (duplicate keys allowed, as kustomize does); undefined when not YAML. */
  kustomization(text: string): unknown {
    const r = this.remember('kustomization', text, () => {
      try {
        return { ok: true, value: parse(text, { uniqueKeys: false, maxAliasCount: 100 }) ?? null };
      } catch {
        return { ok: false };
      }
    });
    return r.ok ? r.value : undefined;
  }

  /** One document parsed as Helm's Chart.yaml reader needs it (alias limit 100); undefined when not YAML. */
  chartFile(text: string): unknown {
    const r = this.remember('chart', text, () => {
      try {
        return { ok: true, value: parse(text, { maxAliasCount: 100 }) ?? null };
      } catch {
        return { ok: false };
      }
    });
    return r.ok ? r.value : undefined;
  }

  /** Loads the entries an earlier process kept; a missing or unreadable file is an empty memo. */
  load(file: string): void {
    for (const [k, v] of readEntries<unknown>(file, { version: FILE_VERSION, max: MAX_ENTRIES }))
      if (typeof v === 'string' && !this.entries.has(k)) this.entries.set(k, v);
  }

  /** Keeps the entries this process used, when it parsed anything new (atomic replace). */
  save(file: string): void {
    if (!this.added) return;
    const entries: [string, string][] = [];
    for (const k of this.used) {
      const v = this.entries.get(k);
      if (v !== undefined) entries.push([k, v]);
    }
    if (writeEntries(file, { version: FILE_VERSION }, entries)) this.added = false;
  }
}

/** The process's memo (discovery and render cache keys share it). */
export const yamlMemo = new YamlMemo();
