import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';

/** Environment variables as a plain map (process.env or a test's own). */
export type Env = Record<string, string | undefined>;

/** Names of the repository-level config file, in the order they are looked for. */
export const repoConfigNames = ['bosun.yaml', 'bosun.yml'] as const;

/** The user's home directory: `$HOME`, else the OS's idea of it. */
export function homeDir(env: Env): string {
  return env.HOME && env.HOME.length > 0 ? env.HOME : homedir();
}

/** `$XDG_CONFIG_HOME/bosun`, else `~/.config/bosun`. */
export function userConfigDir(env: Env): string {
  return join(xdgBase(env, 'XDG_CONFIG_HOME', '.config'), 'bosun');
}

/** `$XDG_STATE_HOME/bosun`, else `~/.local/state/bosun` (audit journal, last view). */
export function userStateDir(env: Env): string {
  return join(xdgBase(env, 'XDG_STATE_HOME', join('.local', 'state')), 'bosun');
}

/** `$XDG_CACHE_HOME/bosun`, else `~/.cache/bosun` (render cache). */
export function userCacheDir(env: Env): string {
  return join(xdgBase(env, 'XDG_CACHE_HOME', '.cache'), 'bosun');
}

/** The user-level config file: `<userConfigDir>/config.yaml`. */
export function userConfigFile(env: Env): string {
  return join(userConfigDir(env), 'config.yaml');
}

/** Candidate config files at the root of a repository, in lookup order. */
export function repoConfigCandidates(repoPath: string): string[] {
  return repoConfigNames.map((n) => join(repoPath, n));
}

/** Expands a leading `~/` and resolves a relative path against `base`. */
export function resolveUserPath(p: string, base: string, env: Env): string {
  if (p === '~') return homeDir(env);
  if (p.startsWith('~/')) return join(homeDir(env), p.slice(2));
  return isAbsolute(p) ? p : resolve(base, p);
}

function xdgBase(env: Env, name: string, fallback: string): string {
  const v = env[name];
  // The XDG spec says relative values are invalid and must be ignored.
  if (v && isAbsolute(v)) return v;
  return join(homeDir(env), fallback);
}
