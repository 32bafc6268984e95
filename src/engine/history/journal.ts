/**
 * The local audit journal: one JSON line per mutating action (sync, prune, promote, revert, terminate,
 * adopt…) appended to `$XDG_STATE_HOME/bosun/audit.log` (default `~/.local/state/bosun/audit.log`), with
 * time, identity, action, app, context, revision and result. Append-only, owner-readable only. Secret
 * values never reach it: `data`/`stringData` of Secrets and any `stringData` are masked before writing.
 */
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { type Env, userStateDir } from '../../config/paths.js';

/** One journal line. */
export type JournalEntry = {
  /** ISO time. */
  time: string;
  /** `user@host`. */
  identity: string;
  /** What was done: `sync`, `prune`, `promote`, `revert`, `terminate`, `adopt`… */
  action: string;
  app?: string;
  context?: string;
  revision?: string;
  /** Outcome: an operation phase, `refused`, `started`… */
  result: string;
  message?: string;
  operationId?: string;
  details?: Record<string, unknown>;
};

/** The journal file for an environment. */
export function journalPath(env: Env = process.env): string {
  return join(userStateDir(env), 'audit.log');
}

const MASK = '********';

function maskValues(v: unknown): unknown {
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    return Object.fromEntries(Object.keys(v as Record<string, unknown>).map((k) => [k, MASK]));
  }
  return MASK;
}

/** A deep copy with Secret values masked (keys kept, so the journal still says what changed). */
export function scrubSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(scrubSecrets);
  if (!value || typeof value !== 'object') return value;
  const obj = value as Record<string, unknown>;
  const secret = obj.kind === 'Secret';
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) {
    if (k === 'stringData' || (secret && k === 'data')) out[k] = maskValues(v);
    else out[k] = scrubSecrets(v);
  }
  return out;
}

/** Appends one entry as a JSON line, Secret values redacted (creating the directory and file, mode 0600, as needed). */
export async function appendJournal(
  entry: Omit<JournalEntry, 'time'> & { time?: string },
  opts: {
    path?: string;
    env?: Env;
    now?: () => number;
    /** Replaces the app's Secret values in the line (messages quote API server, hook and git output). */
    redact?: (text: string) => string;
  } = {},
): Promise<void> {
  const path = opts.path ?? journalPath(opts.env);
  const time = entry.time ?? new Date(opts.now ? opts.now() : Date.now()).toISOString();
  const json = JSON.stringify(scrubSecrets({ ...entry, time }));
  const line = opts.redact ? opts.redact(json) : json;
  try {
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
    await appendFile(path, `${line.replace(/\n/g, ' ')}\n`, { mode: 0o600, flag: 'a' });
  } catch (err) {
    throw new Error(`cannot write the audit journal ${path}`, { cause: err });
  }
}

/** Reads the journal (missing file: no entries; malformed lines are skipped). */
export async function readJournal(path: string): Promise<JournalEntry[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new Error(`cannot read the audit journal ${path}`, { cause: err });
  }
  const out: JournalEntry[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      out.push(JSON.parse(line) as JournalEntry);
    } catch {
      // a torn last line after a crash: skip it
    }
  }
  return out;
}
