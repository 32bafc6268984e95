import { describe, expect, it } from 'vitest';
import { parseArgoObject, parseYamlDocs } from '../../../src/engine/apps/index.js';

const base = {
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Application',
  metadata: { name: 'checkout-dev', labels: { env: 'dev' }, annotations: { note: 'x' } },
  spec: {
    source: { repoURL: 'https://g/x.git', path: 'apps/checkout/overlays/dev', targetRevision: 'main' },
    destination: { server: 'https://prod.example:6443/', namespace: 'checkout' },
  },
};

function app(obj: unknown) {
  const r = parseArgoObject(obj, { file: 'a.yaml' });
  if (r?.kind !== 'Application') throw new Error(`not an app: ${JSON.stringify(r)}`);
  return r.app;
}

function error(obj: unknown): string {
  const r = parseArgoObject(obj, { file: 'a.yaml' });
  if (r?.kind !== 'error') throw new Error(`expected an error, got ${JSON.stringify(r)}`);
  return r.message;
}

describe('parseArgoObject: Application', () => {
  it('reads a single-source app with defaults', () => {
    const a = app(base);
    expect(a).toMatchObject({
      name: 'checkout-dev',
      project: 'default',
      sources: [{ repoURL: 'https://g/x.git', path: 'apps/checkout/overlays/dev', targetRevision: 'main' }],
      destination: { server: 'https://prod.example:6443', namespace: 'checkout' },
      labels: { env: 'dev' },
      annotations: { note: 'x' },
      origin: { file: 'a.yaml' },
      service: 'checkout-dev',
    });
    expect(a.syncPolicy).toBeUndefined();
  });

  it('reads multi-source apps with ref, helm, kustomize and directory options', () => {
    const a = app({
      ...base,
      spec: {
        project: 'team-a',
        sources: [
          {
            repoURL: 'https://g/charts.git',
            path: 'charts/web',
            helm: {
              releaseName: 'web',
              valueFiles: ['$values/envs/prod/values.yaml'],
              valuesObject: { replicas: 2 },
              parameters: [{ name: 'image.tag', value: 1.2, forceString: true }],
              ignoreMissingValueFiles: true,
            },
          },
          { repoURL: 'https://g/x.git', ref: 'values' },
          { repoURL: 'https://g/x.git', path: 'k', kustomize: { images: ['web=web:2'], namePrefix: 'p-' } },
          { repoURL: 'https://g/x.git', path: 'd', directory: { recurse: true, include: '*.yaml' } },
        ],
        destination: { name: 'production', namespace: 'web' },
      },
    });
    expect(a.project).toBe('team-a');
    expect(a.sources).toHaveLength(4);
    expect(a.sources[0]?.helm).toEqual({
      releaseName: 'web',
      valueFiles: ['$values/envs/prod/values.yaml'],
      valuesObject: { replicas: 2 },
      parameters: [{ name: 'image.tag', value: '1.2', forceString: true }],
      ignoreMissingValueFiles: true,
    });
    expect(a.sources[1]?.ref).toBe('values');
    expect(a.sources[2]?.kustomize).toEqual({ images: ['web=web:2'], namePrefix: 'p-' });
    expect(a.sources[3]?.directory).toEqual({ recurse: true, include: '*.yaml' });
    expect(a.destination).toEqual({ name: 'production', namespace: 'web' });
  });

  it('reads syncPolicy, ignoreDifferences and info', () => {
    const a = app({
      ...base,
      spec: {
        ...base.spec,
        syncPolicy: {
          automated: { prune: true, selfHeal: true, allowEmpty: false },
          syncOptions: ['CreateNamespace=true', 'PruneLast=true'],
          retry: { limit: 5, backoff: { duration: '5s', factor: 2, maxDuration: '3m' } },
        },
        ignoreDifferences: [{ group: 'apps', kind: 'Deployment', jsonPointers: ['/spec/replicas'] }],
        info: [{ name: 'owner', value: 'team-a' }],
      },
    });
    expect(a.syncPolicy).toEqual({
      automated: { prune: true, selfHeal: true, allowEmpty: false },
      syncOptions: ['CreateNamespace=true', 'PruneLast=true'],
      retry: { limit: 5, backoff: { duration: '5s', factor: 2, maxDuration: '3m' } },
    });
    expect(a.ignoreDifferences).toEqual([
      { group: 'apps', kind: 'Deployment', jsonPointers: ['/spec/replicas'] },
    ]);
    expect(a.info).toEqual([{ name: 'owner', value: 'team-a' }]);
  });

  it('treats `automated:` with no value as not automated and `automated: {}` as automated', () => {
    expect(app({ ...base, spec: { ...base.spec, syncPolicy: { automated: null } } }).syncPolicy).toEqual({});
    expect(app({ ...base, spec: { ...base.spec, syncPolicy: { automated: {} } } }).syncPolicy).toEqual({
      automated: {},
    });
  });

  it('gives one-line errors for malformed apps', () => {
    const cases: [unknown, string][] = [
      [{ ...base, metadata: {} }, 'Application without a name: metadata.name is required'],
      [{ ...base, metadata: { name: 'Bad_Name' } }, 'metadata.name "Bad_Name" is not a valid name'],
      [{ ...base, spec: { destination: base.spec.destination } }, 'spec.source or spec.sources is required'],
      [{ ...base, spec: { source: base.spec.source } }, 'spec.destination is required'],
      [{ ...base, spec: { ...base.spec, destination: { namespace: 'x' } } }, 'needs a server or a name'],
      [{ ...base, spec: { ...base.spec, destination: { name: 'a', server: 'https://b' } } }, 'set only one'],
      [{ ...base, spec: { ...base.spec, source: { path: 'x' } } }, 'spec.source.repoURL is required'],
      [
        { ...base, spec: { ...base.spec, source: { ...base.spec.source, targetRevision: 1.1 } } },
        'spec.source.targetRevision must be a string (quote it)',
      ],
      [
        { ...base, spec: { ...base.spec, syncPolicy: { retry: { limit: 'x' } } } },
        'retry.limit must be a whole',
      ],
      [{ ...base, apiVersion: 'argoproj.io/v2' }, 'apiVersion argoproj.io/v2 is not supported'],
    ];
    for (const [obj, msg] of cases) {
      const m = error(obj);
      expect(m).toContain(msg);
      expect(m).not.toContain('\n');
    }
    expect(error({ ...base, metadata: { name: 'x' }, spec: { source: base.spec.source } })).toMatch(
      /^Application x: /,
    );
  });

  it('ignores objects that are not Argo CD kinds', () => {
    expect(parseArgoObject({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } })).toBeUndefined();
    expect(parseArgoObject({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout' })).toBeUndefined();
    expect(parseArgoObject('text')).toBeUndefined();
  });
});

describe('parseArgoObject: AppProject and ApplicationSet', () => {
  it('reads an AppProject, keeping absent lists absent', () => {
    const r = parseArgoObject({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AppProject',
      metadata: { name: 'team-a' },
      spec: {
        sourceRepos: ['https://github.com/org/*'],
        destinations: [{ server: '*', namespace: 'team-a-*' }],
        clusterResourceWhitelist: [{ group: '', kind: 'Namespace' }],
        namespaceResourceBlacklist: [{ group: '', kind: 'ResourceQuota' }],
      },
    });
    expect(r).toEqual({
      kind: 'AppProject',
      project: {
        name: 'team-a',
        sourceRepos: ['https://github.com/org/*'],
        destinations: [{ server: '*', namespace: 'team-a-*' }],
        clusterResourceWhitelist: [{ group: '', kind: 'Namespace' }],
        namespaceResourceBlacklist: [{ group: '', kind: 'ResourceQuota' }],
      },
    });
  });

  it('reads an ApplicationSet and refuses one without generators', () => {
    const set = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'ApplicationSet',
      metadata: { name: 'web' },
      spec: {
        goTemplate: true,
        goTemplateOptions: ['missingkey=error'],
        generators: [{ list: { elements: [{ env: 'dev' }] } }],
        template: { metadata: { name: 'web-{{.env}}' }, spec: { project: 'default' } },
      },
    };
    const r = parseArgoObject(set, { file: 's.yaml' });
    expect(r).toMatchObject({
      kind: 'ApplicationSet',
      appSet: {
        name: 'web',
        goTemplate: true,
        goTemplateOptions: ['missingkey=error'],
        origin: { file: 's.yaml' },
      },
    });
    const bad = parseArgoObject({ ...set, spec: { ...set.spec, generators: [] } });
    expect(bad).toMatchObject({ kind: 'error', message: expect.stringContaining('at least one generator') });
  });
});

describe('parseYamlDocs', () => {
  it('reads multi-document YAML and JSON, dropping empty documents', () => {
    expect(parseYamlDocs('---\na: 1\n---\n---\nb: 2\n')).toEqual({ ok: true, docs: [{ a: 1 }, { b: 2 }] });
    expect(parseYamlDocs('{"a": [1, 2]}')).toEqual({ ok: true, docs: [{ a: [1, 2] }] });
    expect(parseYamlDocs('')).toEqual({ ok: true, docs: [] });
  });

  it('refuses duplicate keys and syntax errors with the line', () => {
    const dup = parseYamlDocs('a: 1\nb: 2\na: 3\n');
    expect(dup).toEqual({
      ok: false,
      error: expect.stringMatching(/^invalid YAML at line 3: Map keys must be unique/),
    });
    const bad = parseYamlDocs('a: [1\nb: }\n');
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error).not.toContain('\n');
    expect(parseYamlDocs('{"a": 1, "a": 2}').ok).toBe(false);
  });

  it('refuses a billion-laughs bomb', () => {
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(96 + i);
      const cur = String.fromCharCode(97 + i);
      levels.push(`${cur}: &${cur} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    const r = parseYamlDocs(levels.join('\n'));
    expect(r).toEqual({ ok: false, error: expect.stringContaining('possible YAML bomb') });
  });
});
