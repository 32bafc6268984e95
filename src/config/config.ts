import { readFile, stat } from 'node:fs/promises';
import { isAbsolute, relative } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { type Env, repoConfigCandidates, resolveUserPath, userConfigFile } from './paths.js';
import { validateConfig } from './schema.js';
import { type BosunConfig, ConfigError, cloneDefaultConfig } from './types.js';

export type { Env } from './paths.js';
export {
  homeDir,
  repoConfigCandidates,
  userCacheDir,
  userConfigDir,
  userConfigFile,
  userStateDir,
} from './paths.js';
export {
  type BackendConfig,
  BackendType,
  type BosunConfig,
  type ClusterConfig,
  ConfigError,
  defaultConfig,
  type EnvironmentConfig,
  type NotificationSubscription,
  type NotificationsConfig,
  NotificationTrigger,
  TrackingAnnotation,
  type WebhookTarget,
} from './types.js';

/** A config file bigger than this is refused (it is certainly not a bosun config). */
const maxConfigBytes = 1024 * 1024;

/** Parses and validates the text of a config file; `source` names it in messages. Throws ConfigError. */
export function parseConfig(text: string, source: string): BosunConfig {
  const lines = new LineCounter();
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: false, lineCounter: lines });
  const first = doc.errors[0];
  if (first) {
    const where = ` at line ${lines.linePos(first.pos[0]).line}`;
    throw new ConfigError(`${source}: invalid YAML${where}: ${firstLine(first.message)}`, {
      file: source,
      cause: first,
    });
  }
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: 50 });
  } catch (err) {
    throw new ConfigError(`${source}: invalid YAML: ${firstLine(String((err as Error).message ?? err))}`, {
      file: source,
      cause: err,
    });
  }
  const config = validateConfig(raw, source);
  config.file = source;
  return config;
}

/** Options of loadConfig. */
export type LoadConfigOptions = {
  /** The repository's working directory; `bosun.yaml` is looked for at its root. */
  repoPath: string;
  /** An explicit config file (must exist); skips the lookup. */
  configPath?: string;
  /** Environment variables (XDG_CONFIG_HOME, HOME); defaults to process.env. */
  env?: Env;
};

/**
 * Loads the config: `configPath`, else `<repo>/bosun.yaml`, else `$XDG_CONFIG_HOME/bosun/config.yaml`,
 * else defaults. `repo.path` is made absolute (relative to `repoPath`) and automatic roots resolved
 * (`argocd` when that directory exists, else the whole repository).
 */
export async function loadConfig(opts: LoadConfigOptions): Promise<BosunConfig> {
  const env = opts.env ?? process.env;
  const found = await findConfigFile(opts, env);
  let config: BosunConfig;
  if (found) {
    const display = displayName(found, opts.repoPath);
    let text: string;
    try {
      const st = await stat(found);
      if (st.size > maxConfigBytes) {
        throw new ConfigError(`${display}: file is larger than 1 MiB`, { file: display });
      }
      text = await readFile(found, 'utf8');
    } catch (err) {
      if (err instanceof ConfigError) throw err;
      const code = (err as NodeJS.ErrnoException).code ?? String(err);
      throw new ConfigError(`${display}: cannot read config file (${code})`, { file: display, cause: err });
    }
    config = parseConfig(text, display);
    config.file = found;
  } else {
    config = cloneDefaultConfig();
  }
  config.repo.path = resolveUserPath(config.repo.path, opts.repoPath, env);
  config.customizations = config.customizations.map((d) => resolveUserPath(d, config.repo.path, env));
  if (config.roots.length === 0)
    config.roots = (await isDir(`${config.repo.path}/argocd`)) ? ['argocd'] : ['.'];
  return config;
}

async function findConfigFile(opts: LoadConfigOptions, env: Env): Promise<string | undefined> {
  if (opts.configPath !== undefined) return resolveUserPath(opts.configPath, process.cwd(), env);
  for (const candidate of repoConfigCandidates(opts.repoPath)) {
    if (await isFile(candidate)) return candidate;
  }
  const user = userConfigFile(env);
  return (await isFile(user)) ? user : undefined;
}

function displayName(file: string, repoPath: string): string {
  const rel = relative(repoPath, file);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
}

async function isFile(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isFile();
  } catch {
    return false;
  }
}

async function isDir(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isDirectory();
  } catch {
    return false;
  }
}

function firstLine(s: string): string {
  return (s.split('\n')[0] ?? '').replace(/:\s*$/, '').trim();
}
