import type { AppProject, AppSource, AppSpec } from '../model/index.js';
import {
  compact,
  isObj,
  list,
  type Obj,
  object,
  optBool,
  optList,
  optString,
  ParseError,
  scalar,
  string,
  stringList,
  stringMap,
} from './parse-fields.js';
import { destination, ignoreDifference, parseSyncPolicy, source } from './parse-spec.js';
import type { AppSetSpec } from './types.js';

/** The Argo CD API group and version bosun reads. */
export const argoApiVersion = 'argoproj.io/v1alpha1';

/** Kinds bosun interprets (never applies). */
export const ArgoKind = {
  Application: 'Application',
  AppProject: 'AppProject',
  ApplicationSet: 'ApplicationSet',
} as const;
/** One of the Argo CD kinds. */
export type ArgoKind = (typeof ArgoKind)[keyof typeof ArgoKind];

/** One parsed object, or a one-line error naming it. */
export type ParsedArgoObject =
  | { kind: 'Application'; app: AppSpec }
  | { kind: 'AppProject'; project: AppProject }
  | { kind: 'ApplicationSet'; appSet: AppSetSpec }
  | { kind: 'error'; objectKind: ArgoKind; name?: string; message: string };

/** Where a parsed object came from. */
export type ParseOrigin = { file?: string; parentApp?: string; applicationSet?: string };

const dns1123 = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** True for an object whose apiVersion group is argoproj.io and whose kind bosun interprets. */
export function isArgoObject(obj: unknown): boolean {
  if (!isObj(obj)) return false;
  return (
    typeof obj.apiVersion === 'string' &&
    obj.apiVersion.startsWith('argoproj.io/') &&
    typeof obj.kind === 'string' &&
    (Object.values(ArgoKind) as string[]).includes(obj.kind)
  );
}

/**
 * Parses an Application, AppProject or ApplicationSet object. Returns undefined for other objects,
 * an `error` entry (one line, prefixed with kind and name) for malformed ones. Never throws.
 */
export function parseArgoObject(obj: unknown, origin: ParseOrigin = {}): ParsedArgoObject | undefined {
  if (!isArgoObject(obj)) return undefined;
  const o = obj as Obj;
  const kind = o.kind as ArgoKind;
  const meta = isObj(o.metadata) ? o.metadata : {};
  const name = typeof meta.name === 'string' && meta.name !== '' ? meta.name : undefined;
  const label = name === undefined ? `${kind} without a name` : `${kind} ${name}`;
  try {
    if (o.apiVersion !== argoApiVersion) {
      throw new ParseError(`apiVersion ${String(o.apiVersion)} is not supported (use ${argoApiVersion})`);
    }
    if (kind === ArgoKind.Application) return { kind, app: parseApplication(o, origin) };
    if (kind === ArgoKind.AppProject) return { kind, project: parseAppProject(o) };
    return { kind, appSet: parseApplicationSet(o, origin) };
  } catch (err) {
    const message = err instanceof ParseError ? err.message : `cannot be read: ${String(err)}`;
    return {
      kind: 'error',
      objectKind: kind,
      ...(name === undefined ? {} : { name }),
      message: `${label}: ${message}`,
    };
  }
}

/** Parses an Application object. Throws an Error with a one-line message when malformed. */
export function parseApplication(obj: Obj, origin: ParseOrigin = {}): AppSpec {
  const meta = metadata(obj);
  const spec = object(obj.spec, 'spec');
  let sources: AppSource[];
  if (Array.isArray(spec.sources) && spec.sources.length > 0) {
    sources = spec.sources.map((s, i) => source(s, `spec.sources[${i}]`));
  } else if (spec.source !== undefined && spec.source !== null) {
    sources = [source(spec.source, 'spec.source')];
  } else {
    throw new ParseError('spec.source or spec.sources is required');
  }
  const refs = new Set<string>();
  for (const [i, s] of sources.entries()) {
    if (s.ref === undefined) continue;
    if (refs.has(s.ref)) throw new ParseError(`spec.sources[${i}].ref "${s.ref}" is used twice`);
    refs.add(s.ref);
  }
  const project = optString(spec.project, 'spec.project');
  const syncPolicy = spec.syncPolicy == null ? undefined : parseSyncPolicy(spec.syncPolicy);
  const ignore = optList(spec.ignoreDifferences, 'spec.ignoreDifferences').map((x, i) =>
    ignoreDifference(x, `spec.ignoreDifferences[${i}]`),
  );
  const info = optList(spec.info, 'spec.info').map((x, i) => {
    const o = object(x, `spec.info[${i}]`);
    return { name: string(o.name, `spec.info[${i}].name`), value: scalar(o.value, `spec.info[${i}].value`) };
  });
  return {
    name: meta.name,
    project: project === undefined || project === '' ? 'default' : project,
    sources,
    destination: destination(spec.destination),
    ...(syncPolicy === undefined ? {} : { syncPolicy }),
    ...(ignore.length > 0 ? { ignoreDifferences: ignore } : {}),
    labels: meta.labels,
    annotations: meta.annotations,
    ...(info.length > 0 ? { info } : {}),
    origin: compact({
      file: origin.file,
      parentApp: origin.parentApp,
      applicationSet: origin.applicationSet,
    }),
    service: meta.name,
  };
}

/** Parses an AppProject object. Throws an Error with a one-line message when malformed. */
export function parseAppProject(obj: Obj): AppProject {
  const meta = metadata(obj);
  const spec = obj.spec == null ? {} : object(obj.spec, 'spec');
  const gk = (key: string) =>
    spec[key] === undefined || spec[key] === null
      ? undefined
      : list(spec[key], `spec.${key}`).map((x, i) => {
          const o = object(x, `spec.${key}[${i}]`);
          return {
            group: optString(o.group, `spec.${key}[${i}].group`) ?? '',
            kind: string(o.kind, `spec.${key}[${i}].kind`),
          };
        });
  const project: AppProject = {
    name: meta.name,
    sourceRepos: stringList(spec.sourceRepos, 'spec.sourceRepos'),
    destinations: optList(spec.destinations, 'spec.destinations').map((x, i) => {
      const o = object(x, `spec.destinations[${i}]`);
      return compact({
        server: optString(o.server, `spec.destinations[${i}].server`),
        name: optString(o.name, `spec.destinations[${i}].name`),
        namespace: optString(o.namespace, `spec.destinations[${i}].namespace`),
      });
    }),
  };
  for (const key of [
    'clusterResourceWhitelist',
    'clusterResourceBlacklist',
    'namespaceResourceWhitelist',
    'namespaceResourceBlacklist',
  ] as const) {
    const v = gk(key);
    if (v !== undefined) project[key] = v;
  }
  const windows = optList(spec.syncWindows, 'spec.syncWindows');
  if (windows.length > 0) {
    project.syncWindows = windows.map((x, i) => {
      const k = `spec.syncWindows[${i}]`;
      const o = object(x, k);
      const kind = string(o.kind, `${k}.kind`);
      if (kind !== 'allow' && kind !== 'deny')
        throw new ParseError(`${k}.kind must be allow or deny, not "${kind}"`);
      const timeZone = optString(o.timeZone, `${k}.timeZone`);
      return {
        kind,
        schedule: string(o.schedule, `${k}.schedule`),
        duration: string(o.duration, `${k}.duration`),
        applications: stringList(o.applications, `${k}.applications`),
        namespaces: stringList(o.namespaces, `${k}.namespaces`),
        clusters: stringList(o.clusters, `${k}.clusters`),
        manualSync: optBool(o.manualSync, `${k}.manualSync`) ?? false,
        ...(timeZone ? { timeZone } : {}),
      };
    });
  }
  return project;
}

/** Parses an ApplicationSet object. Throws an Error with a one-line message when malformed. */
export function parseApplicationSet(obj: Obj, origin: ParseOrigin = {}): AppSetSpec {
  const meta = metadata(obj);
  const spec = object(obj.spec, 'spec');
  const generators = list(spec.generators, 'spec.generators').map((g, i) =>
    object(g, `spec.generators[${i}]`),
  );
  if (generators.length === 0) throw new ParseError('spec.generators must list at least one generator');
  const template = spec.template == null ? {} : object(spec.template, 'spec.template');
  const templatePatch = optString(spec.templatePatch, 'spec.templatePatch');
  if (!isObj(template.spec) && templatePatch === undefined)
    throw new ParseError('spec.template.spec is required');
  const goTemplate = optBool(spec.goTemplate, 'spec.goTemplate') ?? false;
  if (templatePatch !== undefined && !goTemplate) {
    throw new ParseError('spec.templatePatch needs spec.goTemplate: true');
  }
  let syncPolicy: AppSetSpec['syncPolicy'];
  if (spec.syncPolicy != null) {
    const sp = object(spec.syncPolicy, 'spec.syncPolicy');
    syncPolicy = compact({
      preserveResourcesOnDeletion: optBool(
        sp.preserveResourcesOnDeletion,
        'spec.syncPolicy.preserveResourcesOnDeletion',
      ),
      applicationsSync: optString(sp.applicationsSync, 'spec.syncPolicy.applicationsSync'),
    });
  }
  return {
    name: meta.name,
    ...(meta.namespace === undefined ? {} : { namespace: meta.namespace }),
    goTemplate,
    goTemplateOptions: stringList(spec.goTemplateOptions, 'spec.goTemplateOptions'),
    generators,
    template,
    ...(templatePatch === undefined ? {} : { templatePatch }),
    ...(syncPolicy === undefined ? {} : { syncPolicy }),
    labels: meta.labels,
    annotations: meta.annotations,
    origin: compact({ file: origin.file, parentApp: origin.parentApp }),
  };
}

/** True for a valid Kubernetes object name (RFC 1123 subdomain). */
export function isValidName(name: string): boolean {
  return name.length <= 253 && dns1123.test(name);
}

function metadata(obj: Obj) {
  const m = object(obj.metadata, 'metadata');
  const name = string(m.name, 'metadata.name');
  if (!isValidName(name)) {
    throw new ParseError(
      `metadata.name "${name}" is not a valid name (lower-case letters, digits, "-" and ".")`,
    );
  }
  return {
    name,
    namespace: optString(m.namespace, 'metadata.namespace'),
    labels: stringMap(m.labels, 'metadata.labels'),
    annotations: stringMap(m.annotations, 'metadata.annotations'),
  };
}
