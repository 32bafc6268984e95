/** Usage, flags and an example for one command, printed by `bosun COMMAND --help`. */
export type CommandHelp = {
  usage: string;
  summary: string;
  flags: [flag: string, meaning: string][];
  examples: string[];
  /** Extra lines after the summary (exit codes, notes). */
  notes?: string[];
};

const output: [string, string] = ['-o, --output FORMAT', 'table (default), json or yaml'];
const yes: [string, string] = ['-y, --yes', 'confirm without asking (required when stdin is not a terminal)'];

/** The help of every command, by name. */
export const commandHelp: Record<string, CommandHelp> = {
  apps: {
    usage: 'bosun apps [-o FORMAT]',
    summary: 'List applications with sync status, health, revision and warnings.',
    flags: [output],
    examples: ['bosun apps', 'bosun apps -o json --context staging'],
  },
  get: {
    usage: 'bosun get APP [RESOURCE [--live] [--desired] [--show-managed-fields]] [-o FORMAT]',
    summary:
      "Show an application's live resource tree with per-resource sync and health, or one resource's live (and desired) YAML with Secret values masked.",
    flags: [
      ['--live', 'the live YAML (default with RESOURCE)'],
      ['--desired', 'the desired YAML from Git'],
      ['--show-managed-fields', 'keep metadata.managedFields'],
      output,
    ],
    examples: ['bosun get checkout-prod', 'bosun get checkout-prod Deployment/checkout --desired'],
  },
  diff: {
    usage: 'bosun diff APP [-o FORMAT]',
    summary: 'Show the live → desired diff of an application (Secret values masked).',
    flags: [output],
    examples: ['bosun diff checkout-staging'],
    notes: ['Exit code 1 when the application is out of sync.'],
  },
  explain: {
    usage: 'bosun explain APP [GROUP/KIND/NAMESPACE/NAME]',
    summary: 'Explain why an application or one resource is OutOfSync, Progressing or Degraded.',
    flags: [output],
    examples: ['bosun explain checkout-prod', 'bosun explain checkout-prod apps/Deployment/shop/checkout'],
  },
  history: {
    usage: 'bosun history APP [--limit N]',
    summary: 'Git commits that feed an application, with which commit each cluster runs.',
    flags: [['--limit N', 'show at most N commits'], output],
    examples: ['bosun history checkout-prod --limit 5'],
  },
  clusters: {
    usage: 'bosun clusters [-o FORMAT]',
    summary: 'kubeconfig contexts in use: reachability, server version, watches and objects.',
    flags: [output],
    examples: ['bosun clusters'],
  },
  health: {
    usage: 'bosun health [-f FILE|-]',
    summary: 'Assess the health of objects given as YAML or JSON (no cluster needed).',
    flags: [['-f, --file FILE', 'read objects from FILE, or "-" for stdin'], output],
    examples: ['kubectl get deploy -o yaml | bosun health -f -'],
  },
  sync: {
    usage:
      'bosun sync APP...|--all-out-of-sync [--env E] [--cluster C] [--prune] [--dry-run] [--resource GROUP/KIND/NS/NAME] [--wait [--timeout D]] [--yes]',
    summary: 'Apply the desired state of one or more applications to their clusters.',
    flags: [
      ['--prune', 'delete live objects of the app that Git no longer has'],
      ['--dry-run', 'print the ordered plan; change nothing'],
      ['--resource KEY', 'sync only this resource (repeatable); hooks do not run'],
      ['--all-out-of-sync', 'every OutOfSync app (narrow with --env and --cluster); apps run concurrently'],
      ['--wait', 'after applying, wait until the app is Synced and Healthy'],
      yes,
      output,
    ],
    examples: ['bosun sync checkout-dev --dry-run', 'bosun sync checkout-dev cart-dev --prune --yes'],
  },
  promote: {
    usage: 'bosun promote SERVICE --from ENV --to ENV [--dry-run] [--yes]',
    summary: "Copy a service's release (image tag, values, revision) from one environment to the next.",
    flags: [
      ['--from ENV', 'environment to promote from'],
      ['--to ENV', 'environment to promote to'],
      ['--dry-run', 'show the file diff and the rendered diff; push nothing'],
      yes,
      output,
    ],
    examples: ['bosun promote checkout --from staging --to prod --dry-run'],
  },
  revert: {
    usage: 'bosun revert APP COMMIT [--dry-run] [--yes]',
    summary: "Revert a commit from an application's history with git revert, then push.",
    flags: [['--dry-run', 'show the preview; push nothing'], yes, output],
    examples: ['bosun revert checkout-prod 4c7cf25 --dry-run'],
  },
  watch: {
    usage: 'bosun watch [--interval SECONDS]',
    summary: 'Headless auto-sync and self-heal loop; one log line per event.',
    flags: [['--interval SECONDS', 'how often to fetch the repository (default from bosun.yaml)']],
    examples: ['bosun watch --repo ~/manifests --context dev,staging'],
  },
  compare: {
    usage: 'bosun compare SERVICE ENV_A ENV_B [--revision REV]',
    summary:
      'Compare the rendered manifests of one service in two environments (offline), with namespaces and environment names folded, plus the differences of their Git source files.',
    flags: [['--revision REV', 'git revision to read (default HEAD)'], output],
    examples: ['bosun compare checkout staging prod', 'bosun compare checkout dev prod -o json'],
    notes: ['Exit code 1 when the environments differ.'],
  },
  appset: {
    usage: 'bosun appset preview [NAME] [--revision REV] | bosun appset list',
    summary:
      'Preview the Applications an ApplicationSet generates at a revision, compared with HEAD (added, removed and changed apps, with the rendered diff of each changed app) and with what is live: apps deployed but no longer generated, and apps generated but not deployed. `list` shows the ApplicationSets and the apps each generated (with backend: argocd, as Argo CD reports them).',
    flags: [['--revision REV', 'git revision to generate from (default HEAD)'], output],
    examples: [
      'bosun appset preview',
      'bosun appset preview shop --revision origin/feature',
      'bosun appset list -o json',
    ],
    notes: [
      'Exit code 1 when the generated applications differ from HEAD or from what is live (preview), or when a set reports an error (list).',
      'Without a kubeconfig or a reachable cluster, live is not compared (and it says so).',
    ],
  },
  doctor: {
    usage: 'bosun doctor',
    summary:
      'Check the kubeconfig, each context (reachable, server version), the git remote, kustomize and helm, and the terminal; print a fix for each problem.',
    flags: [output],
    examples: ['bosun doctor', 'bosun doctor --context staging'],
    notes: ['Exit code 1 when a check fails.'],
  },
  logs: {
    usage: 'bosun logs APP [RESOURCE] [-f] [--previous] [--since 10m] [--tail N] [--container C] [--grep RE]',
    summary:
      "Merged logs of an application's pods, or of one workload's or Pod's, each line prefixed pod/container.",
    flags: [
      ['-f, --follow', 'keep following; pods that appear meanwhile join in'],
      ['--previous', 'the previous instance of each container (after a crash)'],
      ['--since DURATION', 'only lines newer than this (10s, 5m, 1h)'],
      ['--tail N', 'the last N lines of each container'],
      ['-c, --container C', 'only this container'],
      ['--grep RE', 'only lines matching this regular expression'],
    ],
    examples: [
      'bosun logs checkout-prod -f',
      'bosun logs checkout-prod Deployment/checkout --previous --tail 50',
    ],
  },
  events: {
    usage: 'bosun events APP [--warnings]',
    summary:
      "The application's events (its resources, their pods and ReplicaSets): warnings first, then newest first.",
    flags: [['--warnings', 'only Warning events'], output],
    examples: ['bosun events checkout-prod --warnings'],
  },
  action: {
    usage: 'bosun action APP RESOURCE [ACTION [KEY=VALUE...]] [--yes]',
    summary:
      'List the actions of a resource, or run one (restart, scale, suspend, resume, Rollout promote/abort, Lua actions from customizations).',
    flags: [['--customizations DIR', "Lua actions in Argo CD's layout (repeatable)"], yes, output],
    examples: [
      'bosun action checkout-prod Deployment/checkout',
      'bosun action checkout-prod Deployment/checkout restart --yes',
    ],
  },
  why: {
    usage: 'bosun why APP',
    summary:
      'The first unhealthy resource of an application: its health message, last warning events and the last log lines of its failing container.',
    flags: [output],
    examples: ['bosun why checkout-prod'],
  },
  argocd: {
    usage: 'bosun argocd apps|sync|refresh|terminate|history|adopt|release [APP...]',
    summary:
      "Drive an existing Argo CD (bosun.yaml backend:): list its apps with Argo CD's sync and health, ask it to sync, refresh or terminate, read its history, hand apps to it (adopt) or take them back (release).",
    flags: [
      ['--revision REV', 'sync: the revision to sync to'],
      ['--prune', 'sync: prune'],
      ['--dry-run', 'sync, adopt, release: preview only'],
      ['--hard', 'refresh: hard refresh (re-render)'],
      ['--wait', 'sync: wait for the operation to finish'],
      yes,
      output,
    ],
    examples: ['bosun argocd apps', 'bosun argocd sync checkout-prod --wait', 'bosun argocd adopt --dry-run'],
  },
  demo: {
    usage: 'bosun demo',
    summary:
      'Start the local demo environment (local clusters and a manifest repository) and open the console.',
    flags: [],
    examples: ['bosun demo'],
  },
};

/** The text of `bosun COMMAND --help`, or undefined for an unknown command. */
export function commandHelpText(command: string): string | undefined {
  const h = commandHelp[command];
  if (!h) return undefined;
  const width = Math.max(0, ...h.flags.map(([f]) => f.length));
  const lines = [`Usage: ${h.usage}`, '', h.summary];
  for (const n of h.notes ?? []) lines.push(n);
  if (h.flags.length) {
    lines.push('', 'Flags:');
    for (const [f, m] of h.flags) lines.push(`  ${f.padEnd(width)}  ${m}`);
  }
  lines.push('', h.examples.length > 1 ? 'Examples:' : 'Example:');
  for (const e of h.examples) lines.push(`  ${e}`);
  lines.push('', 'Global flags (--repo, --config, --kubeconfig, --context, …): bosun --help');
  return `${lines.join('\n')}\n`;
}
