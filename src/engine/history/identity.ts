/**
 * Who acts: `user@host` from the OS user and host name; `BOSUN_USER` overrides the user (or the whole
 * identity when it contains `@`). Every commit, operation record, lease and journal line carries it.
 */
import { hostname, userInfo } from 'node:os';

/** Environment variables as a plain map. */
export type IdentityEnv = Record<string, string | undefined>;

function osUser(env: IdentityEnv): string {
  try {
    const name = userInfo().username;
    if (name) return name;
  } catch {
    // no passwd entry (some containers): fall back to the environment
  }
  return env.USER || env.LOGNAME || 'unknown';
}

/** `user@host` of this process. */
export function identity(env: IdentityEnv = process.env, host: string = hostname()): string {
  const override = env.BOSUN_USER?.trim();
  if (override?.includes('@')) return override;
  return `${override || osUser(env)}@${host.split('.')[0] || host}`;
}

/** The lease holder identity: `user@host pid=1234` (one console, even two on one host). */
export function holderIdentity(env: IdentityEnv = process.env, pid: number = process.pid): string {
  return `${identity(env)} pid=${pid}`;
}

/** The person part of a holder identity (`alice@bastion-2 pid=42` → `alice@bastion-2`). */
export function personOf(holder: string): string {
  return holder.replace(/\s+pid=\d+$/, '');
}
