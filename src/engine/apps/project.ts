import type { AppProject, AppSpec } from '../model/index.js';
import { globMatch } from './glob.js';
import { normalizeRepoURL } from './repo-url.js';

/** The project every Application belongs to unless it names another. */
export const defaultProjectName = 'default';

/** An object an app would apply: namespace '' means cluster-scoped. */
export type ProjectObject = { group: string; kind: string; namespace: string; name?: string };

/** What checkProject looks at besides the project. */
export type ProjectCheckInput = {
  app: AppSpec;
  /** Objects the app would apply (rendered), to check kinds and namespaces. */
  objects?: ProjectObject[];
  /** The destination's server URL when the app names its destination by name (from the registry). */
  destinationServer?: string;
  /** The destination's cluster name when the app names its destination by server (from the registry). */
  destinationName?: string;
};

/**
 * Checks an app against its AppProject the way Argo CD does and returns one-line refusals (empty =
 * permitted). `project` undefined means the repository does not define it: the `default` project
 * then allows everything, any other name is refused. Pure.
 */
export function checkProject(project: AppProject | undefined, input: ProjectCheckInput): string[] {
  const { app } = input;
  if (!project) {
    return app.project === defaultProjectName
      ? []
      : [`app ${app.name}: project ${app.project} is not defined in the repository`];
  }
  const refusals: string[] = [];
  const where = `app ${app.name}`;
  for (const s of app.sources) {
    if (!isSourcePermitted(project, s.repoURL)) {
      refusals.push(`${where}: source repository ${s.repoURL} is not permitted by project ${project.name}`);
    }
  }
  const server = app.destination.server ?? input.destinationServer;
  const name = app.destination.name ?? input.destinationName;
  const namespace = app.destination.namespace ?? '';
  const target = name ? `cluster ${name}` : `server ${server ?? '(none)'}`;
  if (!isDestinationPermitted(project, { server, name, namespace })) {
    refusals.push(
      `${where}: destination ${target} namespace ${namespace || '(none)'} is not permitted by project ${project.name}`,
    );
  }
  const reported = new Set<string>();
  for (const o of input.objects ?? []) {
    const gk = o.group ? `${o.kind}.${o.group}` : o.kind;
    const namespaced = o.namespace !== '';
    if (!isGroupKindPermitted(project, o, namespaced)) {
      const key = `${namespaced ? 'ns' : 'cluster'}/${gk}`;
      if (reported.has(key)) continue;
      reported.add(key);
      refusals.push(
        namespaced
          ? `${where}: namespaced kind ${gk} is not permitted by project ${project.name}`
          : `${where}: cluster-scoped kind ${gk} is not in project ${project.name}'s clusterResourceWhitelist`,
      );
    } else if (namespaced && o.namespace !== namespace) {
      const key = `ns:${o.namespace}`;
      if (reported.has(key)) continue;
      if (!isDestinationPermitted(project, { server, name, namespace: o.namespace })) {
        reported.add(key);
        refusals.push(
          `${where}: namespace ${o.namespace} on ${target} is not permitted by project ${project.name}`,
        );
      }
    }
  }
  return refusals;
}

/** Argo CD's `IsSourcePermitted`: a repo must match some pattern (or miss a `!` pattern) and no `!` pattern. */
export function isSourcePermitted(project: AppProject, repoURL: string): boolean {
  const src = normalizeRepoURL(repoURL);
  let any = false;
  for (const pattern of project.sourceRepos) {
    const deny = pattern.startsWith('!');
    const norm = normalizeRepoURL(deny ? pattern.slice(1) : pattern);
    const hit = norm === '*' || globMatch(norm, src);
    // As in Argo CD: a `!` pattern that does not match counts as a match.
    if (deny) {
      if (hit) return false;
      any = true;
    } else if (hit) any = true;
  }
  return any;
}

/** Argo CD's destination check: some entry matches (server or name, and namespace) and no `!` entry matches. */
export function isDestinationPermitted(
  project: AppProject,
  dst: { server?: string | undefined; name?: string | undefined; namespace: string },
): boolean {
  let any = false;
  for (const item of project.destinations) {
    const nameOk = !!dst.name && match(item.name, dst.name);
    const serverOk = !!dst.server && match(item.server, dst.server);
    const nsOk = match(item.namespace, dst.namespace);
    if ((serverOk || nameOk) && nsOk) any = true;
    else if (
      (!nameOk && isDeny(item.name)) ||
      (!serverOk && isDeny(item.server)) ||
      (!nsOk && isDeny(item.namespace))
    ) {
      return false;
    }
  }
  return any;
}

/** Argo CD's `IsGroupKindPermitted`: cluster-scoped kinds need the whitelist, namespaced ones must avoid the blacklist. */
export function isGroupKindPermitted(
  project: AppProject,
  gk: { group: string; kind: string },
  namespaced: boolean,
): boolean {
  if (namespaced) {
    const white = project.namespaceResourceWhitelist;
    const black = project.namespaceResourceBlacklist ?? [];
    const whiteOk = white === undefined || inList(gk, white);
    return whiteOk && !inList(gk, black);
  }
  return (
    inList(gk, project.clusterResourceWhitelist ?? []) && !inList(gk, project.clusterResourceBlacklist ?? [])
  );
}

function inList(gk: { group: string; kind: string }, list: { group: string; kind: string }[]): boolean {
  return list.some((e) => plain(e.group, gk.group) && plain(e.kind, gk.kind));
}

function plain(pattern: string, value: string): boolean {
  return pattern === '*' || globMatch(pattern, value, { pathSeparator: false });
}

/** A destination field glob; `!pattern` matches what the pattern does not; an unset field matches nothing. */
function match(pattern: string | undefined, value: string): boolean {
  if (pattern === undefined) return false;
  if (isDeny(pattern)) return !globMatch(pattern.slice(1), value, { pathSeparator: false });
  return pattern === '*' || globMatch(pattern, value, { pathSeparator: false });
}

function isDeny(p: string | undefined): boolean {
  return p?.startsWith('!') ?? false;
}
