import type { AppState, ClusterState, EngineSnapshot, HealthStatus } from '../../engine/index.js';
import type { FleetState, PromoteTarget } from './types.js';

/** A fleet column: an environment, or a cluster when grouped by cluster. */
export type FleetColumn = { name: string; production: boolean };

/** A row hint shown after the cells. */
export type FleetHint = {
  kind: 'error' | 'degraded' | 'drift' | 'promotable' | 'refreshing';
  text: string;
};

/** One service row of the matrix. */
export type FleetRow = {
  service: string;
  group: string;
  cells: (AppState | undefined)[];
  hint?: FleetHint;
};

/** What the fleet view shows, derived from the snapshot and the fleet options. */
export type FleetModel = {
  columns: FleetColumn[];
  rows: FleetRow[];
  /** Apps for the list mode, filtered, grouped and sorted. */
  list: AppState[];
  /** Section label per list row ('' when not grouped). */
  listGroups: string[];
  services: number;
  apps: number;
};

const envRank = [
  'dev',
  'development',
  'test',
  'qa',
  'uat',
  'stage',
  'staging',
  'preprod',
  'prod',
  'production',
];
const healthRank: Record<string, number> = {
  Degraded: 0,
  Missing: 1,
  Unknown: 2,
  Progressing: 3,
  Suspended: 4,
  Healthy: 5,
};

/** The environment of an app (`default` when none was resolved). */
export function envOf(app: AppState): string {
  return app.spec.environment ?? 'default';
}

/** Environment names in promotion order: the snapshot's chain, then any others found on apps. */
export function environmentOrder(snapshot: EngineSnapshot): string[] {
  const names = snapshot.environments.map((e) => e.name);
  // Apps without an environment (an app-of-apps parent, say) sit in their cluster's column instead of
  // a column of their own; `default` is a column only when no app has an environment at all.
  const envs = snapshot.apps.map((a) => a.spec.environment).filter((e): e is string => !!e);
  const extra = [...new Set(envs)].filter((e) => !names.includes(e));
  extra.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  const all = [...names, ...extra];
  return all.length > 0 ? all : ['default'];
}

/** The cluster an app deploys to, matched by context or cluster name. */
export function clusterOf(snapshot: EngineSnapshot, app: AppState | undefined): ClusterState | undefined {
  if (!app?.context) return undefined;
  return snapshot.clusters.find((c) => c.context === app.context || c.name === app.context);
}

/** The engine policy's decision: the app is production (its environment or its cluster). */
export function isProduction(_snapshot: EngineSnapshot, app: AppState | undefined): boolean {
  return app?.policy.production ?? false;
}

/** The short version shown in a cell: the first image tag, else the short revision. */
export function appTag(app: AppState): string {
  const image = app.images[0];
  if (image) {
    const at = image.indexOf('@');
    if (at >= 0)
      return image
        .slice(at + 1)
        .replace(/^sha256:/, '@')
        .slice(0, 8);
    const colon = image.lastIndexOf(':');
    if (colon > image.lastIndexOf('/')) return image.slice(colon + 1);
    return 'latest';
  }
  return app.revision ? app.revision.slice(0, 7) : '-';
}

/** Later environments of the chain where the service has an app, for promotion. */
export function promotionTargets(snapshot: EngineSnapshot, app: AppState): PromoteTarget[] {
  const order = environmentOrder(snapshot);
  const from = order.indexOf(envOf(app));
  return order.slice(from + 1).map((env) => {
    const target = snapshot.apps.find((a) => a.spec.service === app.spec.service && envOf(a) === env);
    const production =
      snapshot.environments.some((e) => e.name === env && e.production) || isProduction(snapshot, target);
    return { env, production, ...(target ? { app: target.name } : {}) };
  });
}

let memo: { args: unknown[]; value: FleetModel } | undefined;

/** Builds (and memoizes on its inputs) the fleet model. */
export function fleetModel(snapshot: EngineSnapshot, fleet: FleetState): FleetModel {
  const args = [
    snapshot.apps,
    snapshot.environments,
    snapshot.clusters,
    fleet.filter,
    fleet.sort,
    fleet.group,
  ];
  if (memo?.args.every((a, i) => a === args[i])) return memo.value;
  const value = buildFleet(snapshot, fleet);
  memo = { args, value };
  return value;
}

/** Every app the fleet shows under its filter, in screen order: list rows, or matrix cells row by row. */
export function shownApps(model: FleetModel, fleet: FleetState): AppState[] {
  if (fleet.mode === 'list') return model.list;
  return model.rows.flatMap((r) => r.cells.filter((c): c is AppState => c !== undefined));
}

/** The app under the cursor (matrix cell or list row). */
export function selectedFleetApp(model: FleetModel, fleet: FleetState): AppState | undefined {
  if (fleet.mode === 'list') return model.list[Math.min(fleet.row, model.list.length - 1)];
  const row = model.rows[Math.min(fleet.row, model.rows.length - 1)];
  return row?.cells[Math.min(fleet.col, row.cells.length - 1)];
}

function buildFleet(snapshot: EngineSnapshot, fleet: FleetState): FleetModel {
  const byCluster = fleet.group === 'cluster';
  const columns: FleetColumn[] = byCluster
    ? snapshot.clusters.map((c) => ({ name: c.name, production: c.production }))
    : environmentOrder(snapshot).map((name) => ({
        name,
        production: snapshot.environments.some((e) => e.name === name && e.production),
      }));
  const columnOf = (app: AppState): number => {
    if (byCluster) return columns.findIndex((c) => c.name === clusterOf(snapshot, app)?.name);
    if (!app.spec.environment && columns.length > 0 && columns[0]?.name !== 'default') {
      const sibling = snapshot.apps.find((a) => a.context === app.context && a.spec.environment);
      const i = sibling ? columns.findIndex((c) => c.name === sibling.spec.environment) : 0;
      return Math.max(i, 0);
    }
    return columns.findIndex((c) => c.name === envOf(app));
  };
  const words = fleet.filter.toLowerCase().split(/\s+/).filter(Boolean);
  const matches = (app: AppState) => words.every((w) => haystack(app).includes(w));
  const groupOf = (app: AppState): string =>
    fleet.group === 'project' ? app.spec.project : fleet.group === 'cluster' ? (app.context ?? '') : '';

  const services = new Map<string, AppState[]>();
  for (const app of snapshot.apps) {
    const list = services.get(app.spec.service);
    if (list) list.push(app);
    else services.set(app.spec.service, [app]);
  }
  const rows: FleetRow[] = [];
  for (const [service, apps] of services) {
    // A filter on the service name keeps whole rows; otherwise only the matching cells are shown.
    const serviceMatches = words.every((w) => service.toLowerCase().includes(w));
    if (!serviceMatches && !apps.some(matches)) continue;
    const cells: (AppState | undefined)[] = columns.map(() => undefined);
    for (const app of apps) {
      const i = columnOf(app);
      if (i >= 0 && !cells[i] && (serviceMatches || matches(app))) cells[i] = app;
    }
    const first = apps[0];
    const row: FleetRow = {
      service,
      group: fleet.group === 'project' && first ? first.spec.project : '',
      cells,
    };
    const hint = rowHint(cells, !byCluster);
    if (hint) row.hint = hint;
    rows.push(row);
  }
  const rowKey = (r: FleetRow) =>
    sortKey(
      r.cells.filter((c): c is AppState => !!c),
      fleet.sort,
    );
  rows.sort(
    (a, b) => a.group.localeCompare(b.group) || rowKey(a) - rowKey(b) || a.service.localeCompare(b.service),
  );

  const list = snapshot.apps.filter((a) => words.length === 0 || matches(a));
  list.sort(
    (a, b) =>
      groupOf(a).localeCompare(groupOf(b)) ||
      sortKey([a], fleet.sort) - sortKey([b], fleet.sort) ||
      a.spec.service.localeCompare(b.spec.service) ||
      rank(envOf(a)) - rank(envOf(b)) ||
      a.name.localeCompare(b.name),
  );
  return {
    columns,
    rows,
    list,
    listGroups: list.map(groupOf),
    services: services.size,
    apps: snapshot.apps.length,
  };
}

function rowHint(cells: (AppState | undefined)[], chain: boolean): FleetHint | undefined {
  const apps = cells.filter((c): c is AppState => !!c);
  // A refresh asked of Argo CD, not reconciled yet: what the row shows is about to change.
  const refreshing = apps.find((a) => a.refreshing);
  if (refreshing)
    return {
      kind: 'refreshing',
      text: `${refreshing.refreshing === 'hard' ? 'hard ' : ''}refreshing ${refreshing.name} (Argo CD)`,
    };
  const broken = apps.find((a) => a.conditions.length > 0);
  if (broken?.conditions[0]) return { kind: 'error', text: broken.conditions[0].message };
  const degraded = apps.find((a) => a.health === 'Degraded');
  if (degraded) return { kind: 'degraded', text: degraded.healthMessage ?? 'Degraded' };
  const drifted = apps.find((a) => a.sync === 'OutOfSync');
  if (drifted) {
    const path = drifted.resources.find((r) => r.sync === 'OutOfSync' && r.changedPaths?.length)
      ?.changedPaths?.[0];
    return {
      kind: 'drift',
      text: path ? `drift: ${path.replace(/^\//, '').replaceAll('/', '.')}` : 'out of sync',
    };
  }
  if (!chain) return undefined;
  for (let i = 0; i + 1 < cells.length; i++) {
    const from = cells[i];
    const to = cells[i + 1];
    const tag = from ? appTag(from) : '-';
    if (
      from &&
      to &&
      tag !== 'latest' &&
      tag !== '-' &&
      from.sync === 'Synced' &&
      from.health === 'Healthy' &&
      tag !== appTag(to)
    )
      return { kind: 'promotable', text: 'promotable' };
  }
  return undefined;
}

function sortKey(apps: AppState[], sort: FleetState['sort']): number {
  if (sort === 'health') return Math.min(6, ...apps.map((a) => healthRank[a.health as HealthStatus] ?? 6));
  if (sort === 'sync')
    return apps.some((a) => a.sync === 'OutOfSync') ? 0 : apps.some((a) => a.sync === 'Unknown') ? 1 : 2;
  return 0;
}

function rank(env: string): number {
  const i = envRank.indexOf(env.toLowerCase());
  return i < 0 ? envRank.length : i;
}

const hay = new WeakMap<AppState, string>();
function haystack(app: AppState): string {
  let h = hay.get(app);
  if (h === undefined) {
    h = [app.name, app.spec.service, envOf(app), app.context ?? '', app.spec.project, app.sync, app.health]
      .join(' ')
      .toLowerCase();
    hay.set(app, h);
  }
  return h;
}
