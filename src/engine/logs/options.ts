/** Parsing and checking of log options (since, tail, grep). Pure. */

/** Lines kept per log view. */
export const LOG_BUFFER_LINES = 10_000;

/** What to read: per container, follow, previous instance, since, tail, and a filter. */
export type LogOptions = {
  container?: string;
  follow?: boolean;
  previous?: boolean;
  /** Seconds back from now. */
  sinceSeconds?: number;
  /** Lines per container from the end. */
  tailLines?: number;
  /** Regular expression the lines must match. */
  grep?: string;
};

const units: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

/** Parses a duration such as `90s`, `10m`, `1h30m` or `2d` into seconds; throws a one-line Error. */
export function parseSince(text: string): number {
  const t = text.trim();
  const re = /(\d+)([smhd])/gy;
  let total = 0;
  let matched = 0;
  for (let m = re.exec(t); m; m = re.exec(t)) {
    total += Number(m[1]) * (units[m[2] as string] ?? 0);
    matched = re.lastIndex;
  }
  if (!t || matched !== t.length || total <= 0)
    throw new Error(`--since "${text}" is not a duration such as 30s, 10m, 1h or 2d`);
  return total;
}

/** Parses `--tail N` (N ≥ 0); throws a one-line Error. */
export function parseTail(text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(n))
    throw new Error(`--tail "${text}" is not a whole number ≥ 0`);
  return n;
}

/** Compiles a grep pattern (case-sensitive unless it has no capitals); throws a one-line Error. */
export function compileGrep(pattern: string | undefined): RegExp | undefined {
  if (!pattern) return undefined;
  try {
    return new RegExp(pattern, pattern === pattern.toLowerCase() ? 'i' : '');
  } catch (err) {
    throw new Error(`--grep "${pattern}" is not a valid regular expression`, { cause: err });
  }
}
