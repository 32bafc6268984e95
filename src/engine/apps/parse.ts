import type {
  AppDestination,
  AppProject,
  AppSource,
  AppSpec,
  DirectoryOptions,
  HelmOptions,
  IgnoreDifference,
  KustomizeOptions,
  SyncPolicy,
} from '../model/index.js';
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

type Obj = Record<string, unknown>;

class ParseError extends Error {}

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

function source(raw: unknown, key: string): AppSource {
  const o = object(raw, key);
  const s: AppSource = { repoURL: string(o.repoURL, `${key}.repoURL`) };
  const path = optString(o.path, `${key}.path`);
  if (path !== undefined) s.path = path;
  const chart = optString(o.chart, `${key}.chart`);
  if (chart !== undefined) s.chart = chart;
  const rev = optString(o.targetRevision, `${key}.targetRevision`);
  if (rev !== undefined && rev !== '') s.targetRevision = rev;
  const ref = optString(o.ref, `${key}.ref`);
  if (ref !== undefined) {
    if (!/^[A-Za-z0-9_-]+$/.test(ref))
      throw new ParseError(`${key}.ref "${ref}" must be letters, digits, "_" or "-"`);
    s.ref = ref;
  }
  if (o.kustomize != null) s.kustomize = kustomize(o.kustomize, `${key}.kustomize`);
  if (o.helm != null) s.helm = helm(o.helm, `${key}.helm`);
  if (o.directory != null) s.directory = directory(o.directory, `${key}.directory`);
  return s;
}

function kustomize(raw: unknown, key: string): KustomizeOptions {
  const o = object(raw, key);
  return compact({
    images: o.images == null ? undefined : stringList(o.images, `${key}.images`),
    namePrefix: optString(o.namePrefix, `${key}.namePrefix`),
    nameSuffix: optString(o.nameSuffix, `${key}.nameSuffix`),
    namespace: optString(o.namespace, `${key}.namespace`),
    commonLabels: o.commonLabels == null ? undefined : stringMap(o.commonLabels, `${key}.commonLabels`),
    commonAnnotations:
      o.commonAnnotations == null ? undefined : stringMap(o.commonAnnotations, `${key}.commonAnnotations`),
  });
}

function helm(raw: unknown, key: string): HelmOptions {
  const o = object(raw, key);
  let values: string | undefined;
  let valuesObject: Record<string, unknown> | undefined;
  if (isObj(o.values)) valuesObject = o.values;
  else values = optString(o.values, `${key}.values`);
  if (o.valuesObject != null) valuesObject = object(o.valuesObject, `${key}.valuesObject`);
  return compact({
    releaseName: optString(o.releaseName, `${key}.releaseName`),
    valueFiles: o.valueFiles == null ? undefined : stringList(o.valueFiles, `${key}.valueFiles`),
    values,
    valuesObject,
    parameters:
      o.parameters == null
        ? undefined
        : list(o.parameters, `${key}.parameters`).map((p, i) => {
            const po = object(p, `${key}.parameters[${i}]`);
            const forceString = optBool(po.forceString, `${key}.parameters[${i}].forceString`);
            return {
              name: string(po.name, `${key}.parameters[${i}].name`),
              value: scalar(po.value, `${key}.parameters[${i}].value`),
              ...(forceString === undefined ? {} : { forceString }),
            };
          }),
    ignoreMissingValueFiles: optBool(o.ignoreMissingValueFiles, `${key}.ignoreMissingValueFiles`),
  });
}

function directory(raw: unknown, key: string): DirectoryOptions {
  const o = object(raw, key);
  return compact({
    recurse: optBool(o.recurse, `${key}.recurse`),
    include: optString(o.include, `${key}.include`),
    exclude: optString(o.exclude, `${key}.exclude`),
  });
}

function destination(raw: unknown): AppDestination {
  const o = object(raw, 'spec.destination');
  const server = optString(o.server, 'spec.destination.server');
  const name = optString(o.name, 'spec.destination.name');
  const namespace = optString(o.namespace, 'spec.destination.namespace');
  if (!server && !name) throw new ParseError('spec.destination needs a server or a name');
  if (server && name) throw new ParseError('spec.destination sets both server and name; set only one');
  return compact({
    server: server ? server.replace(/\/+$/, '') : undefined,
    name: name || undefined,
    namespace,
  });
}

function parseSyncPolicy(raw: unknown): SyncPolicy {
  const o = object(raw, 'spec.syncPolicy');
  const p: SyncPolicy = {};
  if (o.automated != null) {
    const a = object(o.automated, 'spec.syncPolicy.automated');
    p.automated = compact({
      prune: optBool(a.prune, 'spec.syncPolicy.automated.prune'),
      selfHeal: optBool(a.selfHeal, 'spec.syncPolicy.automated.selfHeal'),
      allowEmpty: optBool(a.allowEmpty, 'spec.syncPolicy.automated.allowEmpty'),
      enabled: optBool(a.enabled, 'spec.syncPolicy.automated.enabled'),
    });
  }
  if (o.syncOptions != null) p.syncOptions = stringList(o.syncOptions, 'spec.syncPolicy.syncOptions');
  if (o.retry != null) {
    const r = object(o.retry, 'spec.syncPolicy.retry');
    const retry: NonNullable<SyncPolicy['retry']> = {};
    if (r.limit != null) {
      if (typeof r.limit !== 'number' || !Number.isInteger(r.limit)) {
        throw new ParseError('spec.syncPolicy.retry.limit must be a whole number');
      }
      retry.limit = r.limit;
    }
    if (r.backoff != null) {
      const b = object(r.backoff, 'spec.syncPolicy.retry.backoff');
      let factor: number | undefined;
      if (b.factor != null) {
        if (typeof b.factor !== 'number')
          throw new ParseError('spec.syncPolicy.retry.backoff.factor must be a number');
        factor = b.factor;
      }
      retry.backoff = compact({
        duration: duration(b.duration, 'spec.syncPolicy.retry.backoff.duration'),
        factor,
        maxDuration: duration(b.maxDuration, 'spec.syncPolicy.retry.backoff.maxDuration'),
      });
    }
    p.retry = retry;
  }
  return p;
}

function duration(v: unknown, key: string): string | undefined {
  if (v == null) return undefined;
  if (typeof v === 'number' && Number.isFinite(v) && v >= 0) return `${v}s`;
  const s = string(v, key);
  if (!/^\d+$/.test(s) && !/^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/.test(s)) {
    throw new ParseError(`${key} "${s}" is not a duration (e.g. 5s, 3m)`);
  }
  return /^\d+$/.test(s) ? `${s}s` : s;
}

function ignoreDifference(raw: unknown, key: string): IgnoreDifference {
  const o = object(raw, key);
  return {
    kind: string(o.kind, `${key}.kind`),
    ...compact({
      group: optString(o.group, `${key}.group`),
      name: optString(o.name, `${key}.name`),
      namespace: optString(o.namespace, `${key}.namespace`),
      jsonPointers: o.jsonPointers == null ? undefined : stringList(o.jsonPointers, `${key}.jsonPointers`),
      jqPathExpressions:
        o.jqPathExpressions == null ? undefined : stringList(o.jqPathExpressions, `${key}.jqPathExpressions`),
      managedFieldsManagers:
        o.managedFieldsManagers == null
          ? undefined
          : stringList(o.managedFieldsManagers, `${key}.managedFieldsManagers`),
    }),
  };
}

// ---- small readers; each throws a ParseError naming the key ----

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function object(v: unknown, key: string): Obj {
  if (v === undefined || v === null) throw new ParseError(`${key} is required`);
  if (!isObj(v)) throw new ParseError(`${key} must be a mapping`);
  return v;
}

function string(v: unknown, key: string): string {
  if (v === undefined || v === null || v === '') throw new ParseError(`${key} is required`);
  if (typeof v !== 'string') {
    throw new ParseError(`${key} must be a string${typeof v === 'number' ? ' (quote it)' : ''}`);
  }
  return v;
}

function optString(v: unknown, key: string): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') {
    throw new ParseError(`${key} must be a string${typeof v === 'number' ? ' (quote it)' : ''}`);
  }
  return v;
}

function optBool(v: unknown, key: string): boolean | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'boolean') return v;
  if (v === 'true' || v === 'false') return v === 'true';
  throw new ParseError(`${key} must be true or false`);
}

function scalar(v: unknown, key: string): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v === undefined || v === null) return '';
  throw new ParseError(`${key} must be a string`);
}

function list(v: unknown, key: string): unknown[] {
  if (v === undefined || v === null) throw new ParseError(`${key} is required`);
  if (!Array.isArray(v)) throw new ParseError(`${key} must be a list`);
  return v;
}

function optList(v: unknown, key: string): unknown[] {
  return v === undefined || v === null ? [] : list(v, key);
}

function stringList(v: unknown, key: string): string[] {
  return optList(v, key).map((x, i) => string(x, `${key}[${i}]`));
}

function stringMap(v: unknown, key: string): Record<string, string> {
  if (v === undefined || v === null) return {};
  const o = object(v, key);
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(o)) out[k] = scalarOnly(x, `${key}.${k}`);
  return out;
}

function scalarOnly(v: unknown, key: string): string {
  if (typeof v === 'string') return v;
  if (v === null || v === undefined) return '';
  throw new ParseError(
    `${key} must be a string${typeof v === 'number' || typeof v === 'boolean' ? ' (quote it)' : ''}`,
  );
}

/** Drops undefined properties so optional fields are absent rather than undefined. */
function compact<T extends Record<string, unknown>>(o: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out as { [K in keyof T]?: Exclude<T[K], undefined> };
}
