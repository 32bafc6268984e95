import { identity as personIdentity } from '../history/identity.js';

/** Characters kept in an identity; anything else (spaces, angle brackets, newlines) becomes `_`. */
const UNSAFE = /[^A-Za-z0-9._@+-]/g;

/**
 * Who acts, as git records it: history's `user@host` (one implementation of the OS lookup and
 * `BOSUN_USER`) with characters unsafe in an author line replaced by `_`.
 */
export function identity(env: Record<string, string | undefined> = process.env): string {
  return safe(personIdentity(env)) || 'unknown@localhost';
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
