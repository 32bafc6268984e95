import { hostname, userInfo } from 'node:os';

/** Characters kept in an identity; anything else (spaces, angle brackets, newlines) becomes `_`. */
const UNSAFE = /[^A-Za-z0-9._@+-]/g;

/**
 * Who acts: `user@host` from the OS user and host name. `BOSUN_USER` overrides: a value with an `@`
 * replaces the whole identity, a plain name replaces only the user part.
 */
export function identity(env: Record<string, string | undefined> = process.env): string {
  const host = safe(hostname()) || 'localhost';
  const override = env.BOSUN_USER?.trim();
  if (override) return override.includes('@') ? safe(override) : `${safe(override)}@${host}`;
  let user = '';
  try {
    user = userInfo().username;
  } catch {
    user = env.USER ?? env.LOGNAME ?? env.USERNAME ?? '';
  }
  return `${safe(user) || 'unknown'}@${host}`;
}

/** Environment variables that make git author and commit as `who` (name and email both `user@host`). */
export function commitIdentityEnv(who: string): Record<string, string> {
  const id = safe(who) || 'bosun@localhost';
  return {
    GIT_AUTHOR_NAME: id,
    GIT_AUTHOR_EMAIL: id,
    GIT_COMMITTER_NAME: id,
    GIT_COMMITTER_EMAIL: id,
  };
}

/** Formats trailers (`Key: value` lines); entries with an empty value are dropped. */
export function formatTrailers(trailers: [key: string, value: string][]): string {
  return trailers
    .filter(([, v]) => v.trim() !== '')
    .map(([k, v]) => `${k}: ${v.replace(/\s+/g, ' ').trim()}`)
    .join('\n');
}

function safe(s: string): string {
  return s.trim().replace(UNSAFE, '_');
}
