import { describe, expect, it } from 'vitest';
import {
  type AppSetSpec,
  type ClusterInfo,
  generateApplications,
  type RepoFiles,
} from '../../../src/engine/apps/index.js';

const repoURL = 'https://git.example.com/org/manifests.git';

function fakeRepo(files: Record<string, string>): RepoFiles {
  const dirs = new Set<string>();
  for (const f of Object.keys(files)) {
    const parts = f.split('/');
    for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join('/'));
  }
  return { listDirs: () => [...dirs], listFiles: () => Object.keys(files), read: (p) => files[p] };
}

const repo = fakeRepo({
  'apps/web/overlays/dev/kustomization.yaml': '',
  'apps/web/overlays/prod/kustomization.yaml': '',
  'apps/api/overlays/dev/kustomization.yaml': '',
  'apps/api/overlays/prod/kustomization.yaml': '',
  'apps/legacy/overlays/dev/kustomization.yaml': '',
  'config/eu/cluster.json': '{"cluster": {"name": "eu", "address": "https://eu:6443"}, "env": "prod"}',
  'config/us/cluster.yaml': 'cluster:\n  name: us\n  address: https://us:6443\nenv: staging\n',
});

const clusters: ClusterInfo[] = [
  { name: 'dev-1', server: 'https://dev1:6443', labels: { env: 'dev', region: 'eu' }, annotations: {} },
  {
    name: 'prod-eu',
    server: 'https://prodeu:6443',
    labels: { env: 'prod', region: 'eu' },
    annotations: { owner: 'sre' },
  },
  { name: 'prod-us', server: 'https://produs:6443', labels: { env: 'prod', region: 'us' }, annotations: {} },
];

const ctx = { clusters, repo, isSameRepo: (u: string) => u === repoURL, maxFileBytes: 1 << 20 };

function set(
  generators: Record<string, unknown>[],
  template: Record<string, unknown>,
  opts: Partial<AppSetSpec> = {},
): AppSetSpec {
  return {
    name: 'set',
    goTemplate: false,
    goTemplateOptions: [],
    generators,
    template,
    labels: {},
    annotations: {},
    origin: { file: 'argocd/set.yaml' },
    ...opts,
  };
}

function tpl(
  name: string,
  path: string,
  dest: Record<string, string> = { server: 'https://kubernetes.default.svc' },
) {
  return {
    metadata: { name },
    spec: { project: 'default', source: { repoURL, path, targetRevision: 'HEAD' }, destination: dest },
  };
}

function names(s: AppSetSpec): string[] {
  const r = generateApplications(s, ctx);
  if (r.error) throw new Error(r.error);
  return r.apps.map((a) => a.app.name);
}

describe('list generator', () => {
  it('produces one app per element in both template styles', () => {
    const els = [
      { env: 'dev', cluster: 'dev-1' },
      { env: 'prod', cluster: 'prod-eu' },
    ];
    const fast = set(
      [{ list: { elements: els } }],
      tpl('web-{{env}}', 'apps/web/overlays/{{env}}', { name: '{{cluster}}' }),
    );
    const r = generateApplications(fast, ctx);
    expect(r.error).toBeUndefined();
    expect(r.apps.map((a) => [a.app.name, a.app.destination.name, a.app.sources[0]?.path])).toEqual([
      ['web-dev', 'dev-1', 'apps/web/overlays/dev'],
      ['web-prod', 'prod-eu', 'apps/web/overlays/prod'],
    ]);
    expect(r.apps[0]?.app.origin).toEqual({ file: 'argocd/set.yaml', applicationSet: 'set' });
    expect(r.apps[0]?.params).toEqual({ env: 'dev', cluster: 'dev-1' });
    const goSet = set([{ list: { elements: els } }], tpl('web-{{.env}}', 'apps/web/overlays/{{ .env }}'), {
      goTemplate: true,
    });
    expect(names(goSet)).toEqual(['web-dev', 'web-prod']);
  });
});

describe('clusters generator', () => {
  it('selects registry clusters by matchLabels and matchExpressions', () => {
    const s = set(
      [
        {
          clusters: {
            selector: {
              matchLabels: { env: 'prod' },
              matchExpressions: [{ key: 'region', operator: 'In', values: ['eu'] }],
            },
          },
        },
      ],
      tpl('web-{{name}}', 'apps/web/overlays/prod', { server: '{{server}}' }),
    );
    const r = generateApplications(s, ctx);
    expect(r.apps.map((a) => [a.app.name, a.app.destination.server])).toEqual([
      ['web-prod-eu', 'https://prodeu:6443'],
    ]);
    const all = set([{ clusters: {} }], tpl('x-{{nameNormalized}}-{{metadata.labels.env}}', 'p'));
    expect(names(all)).toEqual(['x-dev-1-dev', 'x-prod-eu-prod', 'x-prod-us-prod']);
    const notIn = set(
      [
        {
          clusters: { selector: { matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['prod'] }] } },
        },
      ],
      tpl('{{.name}}-{{.metadata.labels.region}}', 'p'),
      { goTemplate: true },
    );
    expect(names(notIn)).toEqual(['dev-1-eu']);
  });

  it('adds templated values', () => {
    const s = set(
      [
        {
          clusters: {
            selector: { matchLabels: { region: 'us' } },
            values: { ns: 'web-{{metadata.labels.env}}' },
          },
        },
      ],
      {
        ...tpl('web-{{name}}', 'p'),
        spec: { ...tpl('', 'p').spec, destination: { server: '{{server}}', namespace: '{{values.ns}}' } },
      },
    );
    expect(generateApplications(s, ctx).apps[0]?.app.destination).toEqual({
      server: 'https://produs:6443',
      namespace: 'web-prod',
    });
  });
});

describe('git generators', () => {
  it('lists directories with exclude, in both styles', () => {
    const dirs = {
      git: {
        repoURL,
        revision: 'HEAD',
        directories: [{ path: 'apps/*/overlays/*' }, { path: 'apps/legacy/overlays/*', exclude: true }],
      },
    };
    expect(names(set([dirs], tpl('{{path[1]}}-{{path.basename}}', '{{path}}')))).toEqual([
      'api-dev',
      'api-prod',
      'web-dev',
      'web-prod',
    ]);
    const goSet = set(
      [dirs],
      tpl('{{index .path.segments 1}}-{{.path.basenameNormalized}}', '{{.path.path}}'),
      { goTemplate: true },
    );
    const r = generateApplications(goSet, ctx);
    expect(r.apps.map((a) => a.app.name)).toEqual(['api-dev', 'api-prod', 'web-dev', 'web-prod']);
    expect(r.apps[0]?.app.sources[0]?.path).toBe('apps/api/overlays/dev');
  });

  it('reads JSON and YAML files as flattened params', () => {
    const files = { git: { repoURL, revision: 'HEAD', files: [{ path: 'config/**/cluster.*' }] } };
    const r = generateApplications(
      set(
        [files],
        tpl('web-{{cluster.name}}-{{path.basename}}', 'apps/web/overlays/{{env}}', {
          server: '{{cluster.address}}',
        }),
      ),
      ctx,
    );
    expect(r.error).toBeUndefined();
    expect(r.apps.map((a) => [a.app.name, a.app.destination.server, a.app.sources[0]?.path])).toEqual([
      ['web-eu-eu', 'https://eu:6443', 'apps/web/overlays/prod'],
      ['web-us-us', 'https://us:6443', 'apps/web/overlays/staging'],
    ]);
    expect(r.apps[0]?.params['path.filename']).toBe('cluster.json');
    const goSet = set([files], tpl('web-{{.cluster.name}}-{{.path.filenameNormalized}}', 'p'), {
      goTemplate: true,
    });
    expect(names(goSet)).toEqual(['web-eu-cluster.json', 'web-us-cluster.yaml']);
  });

  it('refuses another repository and paths that leave the repository', () => {
    const other = set(
      [{ git: { repoURL: 'https://other/x.git', directories: [{ path: '*' }] } }],
      tpl('x', 'p'),
    );
    expect(generateApplications(other, ctx).error).toContain('is not the discovered repository');
    const up = set([{ git: { repoURL, directories: [{ path: '../*' }] } }], tpl('x', 'p'));
    expect(generateApplications(up, ctx).error).toContain('must stay inside the repository');
  });
});

describe('matrix and merge', () => {
  const matrix = (goTemplate: boolean) =>
    set(
      [
        {
          matrix: {
            generators: [
              { list: { elements: [{ env: 'dev' }, { env: 'prod' }] } },
              {
                git: {
                  repoURL,
                  directories: [
                    { path: goTemplate ? 'apps/*/overlays/{{.env}}' : 'apps/*/overlays/{{env}}' },
                  ],
                },
              },
            ],
          },
        },
      ],
      goTemplate
        ? tpl('{{index .path.segments 1}}-{{.env}}', '{{.path.path}}')
        : tpl('{{path[1]}}-{{env}}', '{{path}}'),
      { goTemplate },
    );

  it('matrix: list × git directories, the second referencing the first (both styles)', () => {
    const expected = ['api-dev', 'legacy-dev', 'web-dev', 'api-prod', 'web-prod'];
    expect(names(matrix(false))).toEqual(expected);
    expect(names(matrix(true))).toEqual(expected);
    const r = generateApplications(matrix(false), ctx);
    expect(r.apps[0]?.params).toMatchObject({ env: 'dev', path: 'apps/api/overlays/dev' });
  });

  it('matrix needs exactly two generators', () => {
    const s = set([{ matrix: { generators: [{ list: { elements: [] } }] } }], tpl('x', 'p'));
    expect(generateApplications(s, ctx).error).toBe('matrix generator needs exactly 2 child generators');
  });

  it('merge overrides base sets whose merge keys match', () => {
    const s = set(
      [
        {
          merge: {
            mergeKeys: ['name'],
            generators: [
              { clusters: { values: { replicas: '1' } } },
              {
                list: {
                  elements: [
                    { name: 'prod-eu', 'values.replicas': '5' },
                    { name: 'nowhere', 'values.replicas': '9' },
                  ],
                },
              },
            ],
          },
        },
      ],
      tpl('web-{{name}}-{{values.replicas}}', 'p'),
    );
    expect(names(s)).toEqual(['web-dev-1-1', 'web-prod-eu-5', 'web-prod-us-1']);
  });

  it('merge with goTemplate merges nested params', () => {
    const s = set(
      [
        {
          merge: {
            mergeKeys: ['server'],
            generators: [
              { clusters: {} },
              { list: { elements: [{ server: 'https://produs:6443', values: { size: 'large' } }] } },
            ],
          },
        },
      ],
      tpl('{{.name}}-{{ .values.size | default "small" }}', 'p'),
      { goTemplate: true },
    );
    expect(names(s)).toEqual(['dev-1-small', 'prod-eu-small', 'prod-us-large']);
  });
});

describe('set-level behaviour', () => {
  it('refuses unknown generators with one line', () => {
    const s = set([{ scmProviderz: {} }], tpl('x', 'p'));
    expect(generateApplications(s, ctx)).toEqual({
      apps: [],
      error: 'unknown generator "scmProviderz" (supported: list, clusters, git, matrix, merge)',
    });
    expect(generateApplications(set([{ pullRequest: {} }], tpl('x', 'p')), ctx).error).toContain(
      'generator "pullRequest" is not supported by bosun',
    );
  });

  it('refuses duplicate generated names', () => {
    const s = set([{ list: { elements: [{ env: 'dev' }, { env: 'dev' }] } }], tpl('web-{{env}}', 'p'));
    expect(generateApplications(s, ctx)).toEqual({
      apps: [],
      error: 'duplicate application name web-dev generated',
    });
  });

  it('refuses generated apps that are invalid', () => {
    const s = set([{ list: { elements: [{ env: 'Dev' }] } }], tpl('web-{{env}}', 'p'));
    expect(generateApplications(s, ctx).error).toMatch(
      /^generated Application web-Dev: metadata.name "web-Dev" is not a valid name/,
    );
  });

  it('applies templatePatch and post selectors', () => {
    const s = set(
      [
        {
          list: { elements: [{ env: 'dev' }, { env: 'prod', auto: 'yes' }] },
          selector: { matchExpressions: [{ key: 'env', operator: 'In', values: ['prod'] }] },
        },
      ],
      tpl('web-{{.env}}', 'p'),
      {
        goTemplate: true,
        templatePatch: `{{- if .auto }}\nspec:\n  syncPolicy:\n    automated:\n      prune: true\n{{- end }}\n`,
      },
    );
    const r = generateApplications(s, ctx);
    expect(r.error).toBeUndefined();
    expect(r.apps.map((a) => [a.app.name, a.app.syncPolicy])).toEqual([
      ['web-prod', { automated: { prune: true } }],
    ]);
  });

  it('reports template errors on the set', () => {
    const s = set([{ list: { elements: [{ env: 'dev' }] } }], tpl('web-{{.nope}}', 'p'), {
      goTemplate: true,
      goTemplateOptions: ['missingkey=error'],
    });
    expect(generateApplications(s, ctx).error).toBe('template: map has no entry for key "nope"');
  });
});
