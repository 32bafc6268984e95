/** Every screen and dialog that can own the keyboard. */
export const ViewName = {
  Fleet: 'fleet',
  App: 'app',
  Diff: 'diff',
  History: 'history',
  Clusters: 'clusters',
  Help: 'help',
  Sync: 'sync',
  SyncMany: 'sync-many',
  Promote: 'promote',
  Revert: 'revert',
  Logs: 'logs',
  Events: 'events',
  Yaml: 'yaml',
  Why: 'why',
  Action: 'action',
  Compare: 'compare',
  AppSet: 'appset',
} as const;
/** One of the view names. */
export type ViewName = (typeof ViewName)[keyof typeof ViewName];

/** What the argument of a `:` command is. */
export type CommandArg = 'app' | 'text';

/** The data of a command record: what help, footer, completion and key dispatch read. */
export type CommandSpec = {
  /** Stable dotted id (used by keymap overrides). */
  id: string;
  description: string;
  /** Key names as produced by `keyName` (e.g. `j`, `down`, `enter`, `ctrl+c`, `G`). */
  keys: string[];
  /** Mutates a cluster or the repository: removed in read-only mode. */
  dangerous: boolean;
  /** Where the command's keys work. */
  views: ViewName[];
  /** False hides it from the footer (it stays in the help screen). */
  footer?: boolean;
  /** Dialog stages in which the footer offers it (all when absent). */
  stages?: string[];
  /** Names in `:` command mode (the first one is shown in help and offered by completion). */
  names?: string[];
  /** The `:` argument: an app name (resolved by the command line) or free text. */
  arg?: CommandArg;
  /** How help shows the `:` argument (`<app>`, `name|health|sync`). */
  argHint?: string;
};

/** The commands usable in a view; dangerous ones are dropped when read-only. */
export function commandsFor<C extends CommandSpec>(
  commands: readonly C[],
  view: ViewName,
  readOnly: boolean,
): C[] {
  return commands.filter((c) => c.views.includes(view) && !(readOnly && c.dangerous));
}

/** A short label for a key in the footer and help (`enter`, `esc`, `↑`, `^c`). */
export function keyLabel(key: string): string {
  const labels: Record<string, string> = {
    escape: 'esc',
    up: '↑',
    down: '↓',
    left: '←',
    right: '→',
    pageup: 'pgup',
    pagedown: 'pgdn',
  };
  if (labels[key]) return labels[key];
  if (key.startsWith('ctrl+')) return `^${key.slice(5)}`;
  return key;
}
