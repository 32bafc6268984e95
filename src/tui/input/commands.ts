/** Every screen and dialog that can own the keyboard. */
export const ViewName = {
  Fleet: 'fleet',
  App: 'app',
  Diff: 'diff',
  History: 'history',
  Clusters: 'clusters',
  Help: 'help',
  Sync: 'sync',
  Promote: 'promote',
  Revert: 'revert',
} as const;
/** One of the view names. */
export type ViewName = (typeof ViewName)[keyof typeof ViewName];

/** A command: data only; handlers live in the controller. */
export type Command = {
  /** Stable dotted id (used by keymap overrides). */
  id: string;
  description: string;
  /** Key names as produced by `keyName` (e.g. `j`, `down`, `enter`, `ctrl+c`, `G`). */
  keys: string[];
  /** Mutates a cluster or the repository: removed in read-only mode. */
  dangerous: boolean;
  /** Where the command is available. */
  views: ViewName[];
  /** False hides it from the footer (it stays in the help screen). */
  footer?: boolean;
  /** Dialog stages in which the footer offers it (all when absent). */
  stages?: string[];
};

const browse: ViewName[] = ['fleet', 'app', 'diff', 'history', 'clusters', 'help'];
const lists: ViewName[] = [
  'fleet',
  'app',
  'diff',
  'history',
  'clusters',
  'help',
  'sync',
  'promote',
  'revert',
];
const dialogs: ViewName[] = ['sync', 'promote', 'revert'];

/** The default command registry (k9s-like keys). */
export const defaultCommands: readonly Command[] = [
  {
    id: 'view.open',
    description: 'open',
    keys: ['enter'],
    dangerous: false,
    views: ['fleet', 'app', 'clusters'],
  },
  { id: 'app.diff', description: 'diff', keys: ['d'], dangerous: false, views: ['fleet', 'app', 'history'] },
  { id: 'app.sync', description: 'sync', keys: ['s'], dangerous: true, views: ['fleet', 'app', 'diff'] },
  { id: 'app.promote', description: 'promote', keys: ['p'], dangerous: true, views: ['fleet', 'app'] },
  {
    id: 'app.history',
    description: 'history',
    keys: ['h'],
    dangerous: false,
    views: ['fleet', 'app', 'diff'],
  },
  { id: 'app.revert', description: 'revert to here', keys: ['R'], dangerous: true, views: ['history'] },
  { id: 'ui.filter', description: 'filter', keys: ['/'], dangerous: false, views: ['fleet'] },
  { id: 'ui.command', description: 'command', keys: [':'], dangerous: false, views: browse },
  { id: 'ui.help', description: 'help', keys: ['?'], dangerous: false, views: browse },
  { id: 'app.quit', description: 'quit', keys: ['q'], dangerous: false, views: browse },
  { id: 'view.back', description: 'back', keys: ['escape'], dangerous: false, views: browse },
  { id: 'app.explain', description: 'explain', keys: ['x'], dangerous: false, views: ['fleet', 'app'] },
  { id: 'app.refresh', description: 'refresh', keys: ['r'], dangerous: false, views: browse },
  { id: 'view.clusters', description: 'clusters', keys: ['c'], dangerous: false, views: browse },
  { id: 'fleet.mode', description: 'fleet/list', keys: ['tab'], dangerous: false, views: ['fleet'] },
  {
    id: 'fleet.mark',
    description: 'mark for promotion',
    keys: ['space'],
    dangerous: false,
    views: ['fleet'],
    footer: false,
  },
  { id: 'fleet.sort', description: 'sort', keys: ['o'], dangerous: false, views: ['fleet'] },
  { id: 'fleet.group', description: 'group', keys: ['b'], dangerous: false, views: ['fleet'] },
  { id: 'diff.next', description: 'next resource', keys: ['n'], dangerous: false, views: ['diff'] },
  { id: 'diff.prev', description: 'previous resource', keys: ['N'], dangerous: false, views: ['diff'] },
  {
    id: 'dialog.confirm',
    description: 'confirm',
    keys: ['y'],
    dangerous: false,
    views: dialogs,
    stages: ['plan', 'preview'],
  },
  {
    id: 'dialog.choose',
    description: 'choose',
    keys: ['enter'],
    dangerous: false,
    views: ['promote'],
    stages: ['pick'],
  },
  {
    id: 'sync.prune',
    description: 'prune',
    keys: ['p'],
    dangerous: false,
    views: ['sync'],
    stages: ['plan'],
  },
  {
    id: 'sync.dryRun',
    description: 'dry-run',
    keys: ['d'],
    dangerous: false,
    views: ['sync'],
    stages: ['plan'],
  },
  {
    id: 'sync.select',
    description: 'select',
    keys: ['space'],
    dangerous: false,
    views: ['sync'],
    stages: ['plan'],
  },
  {
    id: 'sync.terminate',
    description: 'terminate',
    keys: ['T'],
    dangerous: true,
    views: ['sync'],
    stages: ['running'],
  },
  { id: 'dialog.cancel', description: 'close', keys: ['escape'], dangerous: false, views: dialogs },
  { id: 'nav.up', description: 'up', keys: ['k', 'up'], dangerous: false, views: lists, footer: false },
  { id: 'nav.down', description: 'down', keys: ['j', 'down'], dangerous: false, views: lists, footer: false },
  {
    id: 'nav.left',
    description: 'previous column',
    keys: ['left'],
    dangerous: false,
    views: ['fleet'],
    footer: false,
  },
  {
    id: 'nav.right',
    description: 'next column',
    keys: ['right'],
    dangerous: false,
    views: ['fleet'],
    footer: false,
  },
  {
    id: 'nav.pageUp',
    description: 'page up',
    keys: ['pageup', 'ctrl+b'],
    dangerous: false,
    views: lists,
    footer: false,
  },
  {
    id: 'nav.pageDown',
    description: 'page down',
    keys: ['pagedown', 'ctrl+f'],
    dangerous: false,
    views: lists,
    footer: false,
  },
  { id: 'nav.top', description: 'top', keys: ['g', 'home'], dangerous: false, views: lists, footer: false },
  {
    id: 'nav.bottom',
    description: 'bottom',
    keys: ['G', 'end'],
    dangerous: false,
    views: lists,
    footer: false,
  },
  {
    id: 'app.forceQuit',
    description: 'quit (anywhere)',
    keys: ['ctrl+c'],
    dangerous: false,
    views: lists,
    footer: false,
  },
];

/** Applies keymap overrides (command id → keys) to a registry; unknown ids become warnings. */
export function withKeymapOverrides(
  commands: readonly Command[],
  overrides: Record<string, string[]> | undefined,
): { commands: Command[]; warnings: string[] } {
  const warnings: string[] = [];
  const byId = new Map(commands.map((c) => [c.id, c]));
  for (const [id, keys] of Object.entries(overrides ?? {})) {
    if (!byId.has(id)) warnings.push(`keymap: unknown command ${id}`);
    else if (!Array.isArray(keys) || keys.some((k) => typeof k !== 'string' || k.length === 0))
      warnings.push(`keymap: keys of ${id} must be a list of key names`);
  }
  const out = commands.map((c) => {
    const keys = overrides?.[c.id];
    return Array.isArray(keys) && keys.every((k) => typeof k === 'string' && k)
      ? { ...c, keys: [...keys] }
      : c;
  });
  return { commands: out, warnings };
}

/** The commands usable in a view; dangerous ones are dropped when read-only. */
export function commandsFor(commands: readonly Command[], view: ViewName, readOnly: boolean): Command[] {
  return commands.filter((c) => c.views.includes(view) && !(readOnly && c.dangerous));
}
