import { parseArgs } from 'node:util';
import { parseTimeout } from './commands/sync-wait.js';
import { CliError, ExitCode } from './exit-codes.js';
import { OutputFormat as Formats, type OutputFormat } from './output.js';

/** Parsed command line. */
export type Args = {
  command?: string;
  positionals: string[];
  repo: string;
  config?: string;
  kubeconfig?: string;
  contexts: string[];
  output: OutputFormat;
  readOnly: boolean;
  /** `--no-automation`: this console (or watch) never auto-syncs or self-heals. */
  noAutomation: boolean;
  yes: boolean;
  verbose: boolean;
  theme?: string;
  prune: boolean;
  dryRun: boolean;
  resources: string[];
  wait: boolean;
  hard: boolean;
  revision?: string;
  /** `--timeout` of `sync --wait`, in seconds. */
  timeout?: number;
  /** `sync --all-out-of-sync`: every OutOfSync app (narrowed by env and cluster). */
  allOutOfSync: boolean;
  env?: string;
  cluster?: string;
  from?: string;
  to?: string;
  file?: string;
  /** Customization directories in Argo CD's layout (`--customizations DIR`, repeatable). */
  customizations: string[];
  limit?: number;
  help: boolean;
  version: boolean;
  interval?: number;
  /** logs: follow, previous instance, since (seconds), tail, container, grep. */
  follow: boolean;
  previous: boolean;
  since?: string;
  tail?: string;
  container?: string;
  grep?: string;
  /** events: warnings only. */
  warnings: boolean;
  /** get APP RESOURCE: live (default) and/or desired YAML; managedFields shown. */
  live: boolean;
  desired: boolean;
  showManagedFields: boolean;
};

const stringFlags = new Set([
  '-r',
  '--repo',
  '--config',
  '--kubeconfig',
  '--context',
  '-o',
  '--output',
  '--theme',
  '--resource',
  '--from',
  '--to',
  '-f',
  '--file',
  '--limit',
  '--interval',
  '--since',
  '--tail',
  '-c',
  '--container',
  '--grep',
]);

/** For `bosun logs`, `-f` means --follow (as in kubectl), not --file. */
function followShorthand(argv: string[]): string[] {
  let command: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a.startsWith('-')) {
      if (stringFlags.has(a) && a !== '-f') i++;
      continue;
    }
    command = a;
    break;
  }
  return command === 'logs' ? argv.map((a) => (a === '-f' ? '--follow' : a)) : argv;
}

/** Parses argv (without node and script); throws CliError(Usage) on bad flags. */
export function parseCommandLine(argv: string[]): Args {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(followShorthand(argv));
  } catch (err) {
    throw new CliError((err as Error).message.split('\n')[0] ?? 'bad arguments', ExitCode.Usage, {
      cause: err,
    });
  }
  const v = parsed.values;
  const output = (v.output ?? 'table') as OutputFormat;
  if (!Object.values(Formats).includes(output)) {
    throw new CliError(`unknown output format "${output}" (use table, json or yaml)`, ExitCode.Usage);
  }
  const [command, ...positionals] = parsed.positionals;
  const limit = v.limit === undefined ? undefined : Number(v.limit);
  if (limit !== undefined && (!Number.isInteger(limit) || limit <= 0))
    throw new CliError('--limit must be a positive integer', ExitCode.Usage);
  const interval = v.interval === undefined ? undefined : Number(v.interval);
  return {
    ...(command ? { command } : {}),
    positionals,
    repo: v.repo ?? process.cwd(),
    ...(v.config ? { config: v.config } : {}),
    ...(v.kubeconfig ? { kubeconfig: v.kubeconfig } : {}),
    contexts: (v.context ?? []).flatMap((c) => c.split(',')).filter(Boolean),
    output,
    readOnly: v['read-only'] ?? false,
    noAutomation: v['no-automation'] ?? false,
    yes: v.yes ?? false,
    verbose: v.verbose ?? false,
    ...(v.theme ? { theme: v.theme } : {}),
    prune: v.prune ?? false,
    dryRun: v['dry-run'] ?? false,
    resources: v.resource ?? [],
    wait: v.wait ?? false,
    hard: v.hard ?? false,
    ...(v.revision ? { revision: v.revision } : {}),
    ...(v.timeout !== undefined ? { timeout: parseTimeout(v.timeout) } : {}),
    allOutOfSync: v['all-out-of-sync'] ?? false,
    ...(v.env ? { env: v.env } : {}),
    ...(v.cluster ? { cluster: v.cluster } : {}),
    ...(v.from ? { from: v.from } : {}),
    ...(v.to ? { to: v.to } : {}),
    ...(v.file ? { file: v.file } : {}),
    customizations: v.customizations ?? [],
    ...(limit ? { limit } : {}),
    ...(interval ? { interval } : {}),
    help: v.help ?? false,
    version: v.version ?? false,
    follow: v.follow ?? false,
    previous: v.previous ?? false,
    ...(v.since ? { since: v.since } : {}),
    ...(v.tail !== undefined ? { tail: v.tail } : {}),
    ...(v.container ? { container: v.container } : {}),
    ...(v.grep ? { grep: v.grep } : {}),
    warnings: v.warnings ?? false,
    live: v.live ?? false,
    desired: v.desired ?? false,
    showManagedFields: v['show-managed-fields'] ?? false,
  };
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      repo: { type: 'string', short: 'r' },
      config: { type: 'string' },
      kubeconfig: { type: 'string' },
      context: { type: 'string', multiple: true },
      output: { type: 'string', short: 'o' },
      'read-only': { type: 'boolean' },
      'no-automation': { type: 'boolean' },
      yes: { type: 'boolean', short: 'y' },
      verbose: { type: 'boolean', short: 'v' },
      theme: { type: 'string' },
      prune: { type: 'boolean' },
      'dry-run': { type: 'boolean' },
      resource: { type: 'string', multiple: true },
      wait: { type: 'boolean' },
      hard: { type: 'boolean' },
      revision: { type: 'string' },
      timeout: { type: 'string' },
      'all-out-of-sync': { type: 'boolean' },
      env: { type: 'string' },
      cluster: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      file: { type: 'string', short: 'f' },
      customizations: { type: 'string', multiple: true },
      limit: { type: 'string' },
      interval: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean' },
      follow: { type: 'boolean' },
      previous: { type: 'boolean', short: 'p' },
      since: { type: 'string' },
      tail: { type: 'string' },
      container: { type: 'string', short: 'c' },
      grep: { type: 'string' },
      warnings: { type: 'boolean' },
      live: { type: 'boolean' },
      desired: { type: 'boolean' },
      'show-managed-fields': { type: 'boolean' },
    },
  });
}

/** The help text (also printed when stdout is not a terminal and no command is given). */
export const helpText = `bosun — a terminal console for GitOps operations

Usage: bosun [command] [flags]

With no command on a terminal, bosun opens the full-screen console.

Commands:
  apps                         list applications with sync, health and revision
  get APP                      an application's resource tree
  diff APP                     live → desired diff (exit 1 when out of sync)
  sync APP... [--prune] [--dry-run] [--resource GROUP/KIND/NS/NAME] [--wait [--timeout 5m]]
  sync --all-out-of-sync [--env E] [--cluster C]
                               sync many apps at once (bounded per cluster), one confirmation
  promote SERVICE --from ENV --to ENV [--yes]
  revert APP COMMIT [--yes]
  history APP [--limit N]
  explain APP [RESOURCE]       why an app or resource is OutOfSync / Progressing / Degraded
  get APP RESOURCE [--live] [--desired] [--show-managed-fields]
                               live (and desired) YAML of one resource, Secret values masked
  logs APP [RESOURCE] [-f] [--previous] [--since 10m] [--tail N] [--container C] [--grep RE]
                               merged logs of the app's (or one workload's) pods
  events APP [--warnings]      the app's events: warnings first, then newest first
  action APP RESOURCE [ACTION [KEY=VALUE...]] [--yes]
                               list or run a resource action (restart, scale replicas=N, …)
  why APP                      the first unhealthy resource, its warnings and last log lines
  health [-f FILE|-] [--customizations DIR]
                               assess objects given as YAML/JSON (no cluster needed); DIR holds Lua
                               health scripts in Argo CD's layout (<group>/<Kind>/health.lua)
  clusters                     contexts, reachability, server version, watches
  watch                        headless auto-sync / self-heal loop, one log line per event
  compare SERVICE ENV_A ENV_B  rendered manifests of a service in two environments (offline)
  appset preview [NAME]        the Applications a set generates at --revision REV vs HEAD
  doctor                       check kubeconfig, clusters, git remote, kustomize/helm, terminal
  demo                         start the local demo environment and open the console
  argocd apps                  an existing Argo CD's apps (bosun.yaml backend:), with Argo CD's sync and health
  argocd sync APP... [--revision REV] [--prune] [--dry-run] [--resource K] [--wait]
                               ask Argo CD to sync (recorded with your user@host)
  argocd refresh APP... [--hard] | argocd terminate APP | argocd history APP
  argocd adopt [APP...] [--dry-run] [--yes]   hand apps to Argo CD (preview first; nothing is recreated)
  argocd release [APP...] [--dry-run] [--yes] take apps back from Argo CD (deployed objects stay)

Flags:
  -r, --repo PATH              manifest repository (default: current directory)
      --config FILE            bosun.yaml (default: <repo>/bosun.yaml, then ~/.config/bosun/config.yaml)
      --kubeconfig FILE        kubeconfig (default: $KUBECONFIG, then ~/.kube/config)
      --context NAME           only these contexts (repeatable, or comma-separated)
  -o, --output FORMAT          table (default), json or yaml
      --read-only              refuse every mutating action
      --no-automation          console and watch never auto-sync or self-heal (also automation: false in bosun.yaml)
  -y, --yes                    confirm mutating actions (required when stdin is not a terminal)
  -v, --verbose                show error details, full sync tables and phase timings (stderr)
      --wait                   sync: also wait until the app is Synced and Healthy
      --timeout DURATION       sync --wait: give up after this long (default 5m; 90s, 5m, 1h)
      --theme NAME             console theme (default-dark, default-light, high-contrast, no-color)

Run "bosun COMMAND --help" for a command's flags and an example.

Exit codes: 0 ok · 1 differences, unhealthy or failed operation · 2 usage · 3 refused by policy ·
4 cluster or git failure.
`;
