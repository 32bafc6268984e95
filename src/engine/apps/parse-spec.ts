/** Readers for the source, destination, sync policy and ignoreDifferences of an Application spec. */
import type {
  AppDestination,
  AppSource,
  DirectoryOptions,
  HelmOptions,
  IgnoreDifference,
  KustomizeOptions,
  SyncPolicy,
} from '../model/index.js';
import {
  compact,
  isObj,
  list,
  object,
  optBool,
  optString,
  ParseError,
  scalar,
  string,
  stringList,
  stringMap,
} from './parse-fields.js';

/** Reads source of an Application spec. */
export function source(raw: unknown, key: string): AppSource {
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
    kubeVersion: optString(o.kubeVersion, `${key}.kubeVersion`),
    apiVersions: o.apiVersions == null ? undefined : stringList(o.apiVersions, `${key}.apiVersions`),
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

/** Reads destination of an Application spec. */
export function destination(raw: unknown): AppDestination {
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

/** Reads parseSyncPolicy of an Application spec. */
export function parseSyncPolicy(raw: unknown): SyncPolicy {
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

/** Reads ignoreDifference of an Application spec. */
export function ignoreDifference(raw: unknown, key: string): IgnoreDifference {
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
