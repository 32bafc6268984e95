/**
 * A cache file of `[key, value]` entries kept between processes (`{version, entries}` JSON): read whole,
 * replaced atomically. A missing, torn or older file reads as no entries; a write that fails costs the next
 * process only its cache.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** The entries of the file, at most `max`; none when it is missing, unreadable or of another version. */
export function readEntries<V>(file: string, o: { version: number; max: number }): [string, V][] {
  try {
    const doc = JSON.parse(readFileSync(file, 'utf8')) as { version?: number; entries?: unknown };
    if (doc.version !== o.version || !Array.isArray(doc.entries)) return [];
    return (doc.entries as unknown[])
      .slice(0, o.max)
      .filter((e): e is [string, V] => Array.isArray(e) && typeof e[0] === 'string' && e[1] !== undefined);
  } catch {
    return [];
  }
}

/** Replaces the file with these entries (file 0600, directory 0700); false when it cannot be written. */
export function writeEntries<V>(file: string, o: { version: number }, entries: [string, V][]): boolean {
  try {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify({ version: o.version, entries }), { mode: 0o600 });
    renameSync(tmp, file);
    return true;
  } catch {
    return false;
  }
}
