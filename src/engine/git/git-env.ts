import { type SimpleGit, simpleGit } from 'simple-git';

/** Environment keys simple-git refuses (editor, pager, askpass…) plus those that would redirect git. */
const droppedKeys = new Set([
  'editor',
  'pager',
  'prefix',
  'git_editor',
  'git_pager',
  'git_sequence_editor',
  'git_external_diff',
  'git_exec_path',
  'git_template_dir',
  'git_config',
  'git_config_global',
  'git_config_system',
  'git_config_count',
  'git_dir',
  'git_work_tree',
  'git_index_file',
  'git_object_directory',
  'git_alternate_object_directories',
  'git_common_dir',
  'git_namespace',
  'git_ceiling_directories',
]);

/** Keys that only matter when talking to a remote: kept for fetch, with simple-git's consent. */
const remoteKeys = new Set(['git_askpass', 'ssh_askpass', 'git_ssh', 'git_ssh_command', 'git_proxy_command']);

/** A copy of the process environment that simple-git accepts and that cannot redirect git. */
export function cleanGitEnv(opts: { keepRemote?: boolean } = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v === undefined) continue;
    const lk = k.toLowerCase();
    if (droppedKeys.has(lk) || lk.startsWith('git_config_key_') || lk.startsWith('git_config_value_'))
      continue;
    if (remoteKeys.has(lk) && !opts.keepRemote) continue;
    env[k] = v;
  }
  return env;
}

/** Options shared by every simple-git instance of one repository. */
export type GitClientOptions = { baseDir: string; timeoutMs?: number };

/** A simple-git instance that inherits the process environment. */
export function plainClient(opts: GitClientOptions): SimpleGit {
  return simpleGit({
    baseDir: opts.baseDir,
    maxConcurrentProcesses: 8,
    trimmed: false,
    ...(opts.timeoutMs ? { timeout: { block: opts.timeoutMs } } : {}),
  });
}

/** A simple-git instance with an explicit environment (for a temporary index, or a fetch that never prompts). */
export function envClient(
  opts: GitClientOptions & { env: Record<string, string>; remote?: boolean },
): SimpleGit {
  return simpleGit({
    baseDir: opts.baseDir,
    maxConcurrentProcesses: 4,
    trimmed: false,
    ...(opts.timeoutMs ? { timeout: { block: opts.timeoutMs } } : {}),
    ...(opts.remote
      ? {
          unsafe: {
            allowUnsafeSshCommand: true,
            allowUnsafeAskPass: true,
            allowUnsafeGitProxy: true,
          },
        }
      : {}),
  }).env(opts.env);
}

/** The first meaningful line of a git error, without the `fatal:`/`error:` prefix. */
export function gitErrorLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0 && !l.startsWith('hint:'));
  const line = lines.find((l) => /^(fatal|error):/.test(l)) ?? lines[0] ?? 'unknown git error';
  return line.replace(/^(fatal|error):\s*/, '');
}
