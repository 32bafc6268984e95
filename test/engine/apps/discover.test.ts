import { afterAll, describe, expect, it } from 'vitest';
import { type Discovery, discoverApps, errorsForApp } from '../../../src/engine/apps/index.js';
import { application, cleanupRepos, config, link, outsideDir, repoURL, writeRepo, yaml } from './helpers.js';

afterAll(cleanupRepos);

const kustomization =
  'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [../../base]\n';

/** A kustomize-style repo: argocd/root.yaml (app-of-apps) → argocd/apps/* per-env Applications. */
function kustomizeRepo(): Record<string, string> {
  const files: Record<string, string> = {
    'argocd/root.yaml': yaml(application('root', { path: 'argocd/apps', namespace: 'argocd' })),
    'argocd/projects/team.yaml': yaml({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AppProject',
      metadata: { name: 'team' },
      spec: { sourceRepos: [repoURL], destinations: [{ server: '*', namespace: '*' }] },
    }),
    'argocd/apps/payments.yaml': yaml(
      application('payments-dev', { path: 'apps/payments/overlays/dev', dest: 'dev', project: 'team' }),
      application('payments-prod', {
        path: 'apps/payments/overlays/prod',
        dest: 'production',
        project: 'team',
      }),
    ),
    'argocd/apps/list.json': JSON.stringify({
      apiVersion: 'v1',
      kind: 'List',
      items: [application('search-dev', { path: 'apps/search/overlays/dev', dest: 'dev' })],
    }),
    'argocd/apps/README.md': '# not a manifest',
    'apps/checkout/base/kustomization.yaml': 'resources: [deployment.yaml]\n',
  };
  for (const env of ['dev', 'staging', 'prod']) {
    files[`argocd/apps/checkout-${env}.yaml`] = yaml(
      application(`checkout-${env}`, {
        path: `apps/checkout/overlays/${env}`,
        dest: env === 'prod' ? 'production' : env,
      }),
    );
    files[`apps/checkout/overlays/${env}/kustomization.yaml`] = kustomization;
  }
  return files;
}

function byName(d: Discovery, name: string) {
  const a = d.apps.find((x) => x.name === name);
  if (!a) throw new Error(`app ${name} not found in ${d.apps.map((x) => x.name).join(', ')}`);
  return a;
}

describe('discoverApps: a kustomize-style repository', () => {
  it('finds the root app, its children, projects, and resolves environments and services', async () => {
    const dir = await writeRepo(kustomizeRepo());
    const d = await discoverApps({ dir, config: config(), repoURL });
    expect(d.errors).toEqual([]);
    expect(d.apps.map((a) => a.name)).toEqual([
      'checkout-dev',
      'checkout-prod',
      'checkout-staging',
      'payments-dev',
      'payments-prod',
      'root',
      'search-dev',
    ]);
    expect(byName(d, 'root').origin).toEqual({ file: 'argocd/root.yaml' });
    expect(byName(d, 'checkout-dev').origin).toEqual({
      file: 'argocd/apps/checkout-dev.yaml',
      parentApp: 'root',
    });
    expect(byName(d, 'search-dev').origin.parentApp).toBe('root');
    expect(d.projects.map((p) => p.name)).toEqual(['team']);
    expect(
      d.apps
        .filter((a) => a.name !== 'root')
        .map((a) => [a.name, a.environment, a.service, a.destination.name]),
    ).toEqual([
      ['checkout-dev', 'dev', 'checkout', 'dev'],
      ['checkout-prod', 'prod', 'checkout', 'production'],
      ['checkout-staging', 'staging', 'checkout', 'staging'],
      ['payments-dev', 'dev', 'payments', 'dev'],
      ['payments-prod', 'prod', 'payments', 'production'],
      ['search-dev', 'dev', 'search', 'dev'],
    ]);
  });

  it('scans the whole repository when there is no argocd/ folder, and follows app-of-apps outside the roots', async () => {
    const dir = await writeRepo({
      'deploy/root.yaml': yaml(application('root', { path: 'deploy/children' })),
      'deploy/children/a.yaml': yaml(application('a', { path: 'svc/a' })),
      'deploy/children/nested/b.yaml': yaml(application('b', { path: 'svc/b' })),
      'charts/web/Chart.yaml': 'name: web\n',
      'charts/web/templates/app.yaml': 'apiVersion: argoproj.io/v1alpha1\n{{ if .Values.x }}\n',
      'docs/broken.yaml': 'not: [valid\n',
    });
    const d = await discoverApps({ dir, config: config(), repoURL });
    expect(d.errors).toEqual([]);
    // b is found by the scan but is not in root's (non-recursive) directory source.
    expect(d.apps.map((a) => [a.name, a.origin.parentApp])).toEqual([
      ['a', 'root'],
      ['b', undefined],
      ['root', undefined],
    ]);
    const outside = await discoverApps({ dir, roots: ['deploy'], config: config(), repoURL });
    expect(outside.apps.map((a) => a.name)).toEqual(['a', 'b', 'root']);
  });

  it('follows recursive directory sources with include/exclude and leaves kustomize/helm parents to the engine', async () => {
    const dir = await writeRepo({
      'argocd/root.yaml': yaml(
        application('root', { path: 'children' }),
        application('rendered', { path: 'rendered' }),
      ),
      'children/x/a.yaml': yaml(application('child-a', { path: 'svc/a' })),
      'children/x/skip.yaml': yaml(application('child-skip', { path: 'svc/skip' })),
      'rendered/kustomization.yaml': 'resources: [app.yaml]\n',
      'rendered/app.yaml': yaml(application('from-kustomize', { path: 'svc/k' })),
    });
    const withDir = await writeRepo({
      'argocd/root.yaml': yaml({
        ...application('root', { path: 'children' }),
        spec: {
          ...(application('root', { path: 'children' }).spec as object),
          source: { repoURL, path: 'children', directory: { recurse: true, exclude: 'skip.yaml' } },
        },
      }),
      'children/x/a.yaml': yaml(application('child-a', { path: 'svc/a' })),
      'children/x/skip.yaml': yaml(application('child-skip', { path: 'svc/skip' })),
    });
    const d1 = await discoverApps({ dir, config: config(), repoURL });
    expect(d1.apps.map((a) => a.name)).toEqual(['rendered', 'root']);
    const d2 = await discoverApps({ dir: withDir, config: config(), repoURL });
    expect(d2.apps.map((a) => [a.name, a.origin.parentApp])).toEqual([
      ['child-a', 'root'],
      ['root', undefined],
    ]);
  });

  it('lets an app manage its own directory without calling it a cycle', async () => {
    const dir = await writeRepo({
      'argocd/root.yaml': yaml(application('root', { path: 'argocd' })),
      'argocd/web.yaml': yaml(application('web', { path: 'apps/web' })),
    });
    const d = await discoverApps({ dir, config: config(), repoURL });
    expect(d.errors).toEqual([]);
    expect(d.apps.map((a) => [a.name, a.origin.parentApp])).toEqual([
      ['root', undefined],
      ['web', 'root'],
    ]);
  });
});

describe('discoverApps: ApplicationSets', () => {
  const appset = (name: string, spec: Record<string, unknown>) => ({
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'ApplicationSet',
    metadata: { name },
    spec,
  });

  it('generates apps from a matrix of list × git directories in both template styles', async () => {
    const files: Record<string, string> = {
      'argocd/fast.yaml': yaml(
        appset('fast', {
          generators: [
            {
              matrix: {
                generators: [
                  { list: { elements: [{ env: 'dev' }, { env: 'prod' }] } },
                  { git: { repoURL, revision: 'HEAD', directories: [{ path: 'services/*/envs/{{env}}' }] } },
                ],
              },
            },
          ],
          template: {
            metadata: { name: '{{path[1]}}-{{env}}' },
            spec: {
              project: 'default',
              source: { repoURL, path: '{{path}}', targetRevision: 'HEAD' },
              destination: { name: '{{env}}', namespace: '{{path[1]}}' },
            },
          },
        }),
      ),
      'argocd/go.yaml': yaml(
        appset('go', {
          goTemplate: true,
          goTemplateOptions: ['missingkey=error'],
          generators: [
            {
              matrix: {
                generators: [
                  { list: { elements: [{ stage: 'staging' }] } },
                  {
                    git: { repoURL, revision: 'HEAD', directories: [{ path: 'services/*/envs/{{.stage}}' }] },
                  },
                ],
              },
            },
          ],
          template: {
            metadata: { name: '{{ index .path.segments 1 | normalize }}-{{.path.basename}}' },
            spec: {
              project: 'default',
              source: { repoURL, path: '{{.path.path}}', targetRevision: 'HEAD' },
              destination: { name: '{{.stage}}', namespace: '{{ index .path.segments 1 | normalize }}' },
            },
          },
        }),
      ),
    };
    for (const svc of ['cart', 'Web_UI']) {
      for (const env of ['dev', 'staging', 'prod'])
        files[`services/${svc}/envs/${env}/kustomization.yaml`] = kustomization;
    }
    const dir = await writeRepo(files);
    const d = await discoverApps({ dir, config: config(), repoURL });
    // Web_UI-dev is not a valid name: the fast set fails as a whole; the go set normalizes it.
    expect(d.appSets).toEqual([
      {
        name: 'fast',
        file: 'argocd/fast.yaml',
        generated: [],
        error:
          'generated Application Web_UI-dev: metadata.name "Web_UI-dev" is not a valid name (lower-case letters, digits, "-" and ".")',
      },
      // Directories are listed in byte order, as git lists them: "Web_UI" before "cart".
      { name: 'go', file: 'argocd/go.yaml', generated: ['web-ui-staging', 'cart-staging'] },
    ]);
    expect(d.errors.map((e) => [e.appSet, e.file])).toEqual([['fast', 'argocd/fast.yaml']]);
    expect(d.apps.map((a) => [a.name, a.sources[0]?.path, a.destination, a.environment, a.service])).toEqual([
      [
        'cart-staging',
        'services/cart/envs/staging',
        { name: 'staging', namespace: 'cart' },
        'staging',
        'cart',
      ],
      [
        'web-ui-staging',
        'services/Web_UI/envs/staging',
        { name: 'staging', namespace: 'web-ui' },
        'staging',
        'web-ui',
      ],
    ]);
  });

  it('records the ApplicationSet and its env parameter on generated apps', async () => {
    const files: Record<string, string> = {
      'argocd/set.yaml': yaml(
        appset('svc', {
          generators: [
            {
              matrix: {
                generators: [
                  { list: { elements: [{ env: 'qa' }, { env: 'live' }] } },
                  { git: { repoURL, directories: [{ path: 'services/*' }] } },
                ],
              },
            },
          ],
          template: {
            metadata: { name: '{{path.basename}}-{{env}}' },
            spec: {
              source: { repoURL, path: '{{path}}' },
              destination: { server: 'https://kubernetes.default.svc', namespace: '{{path.basename}}' },
            },
          },
        }),
      ),
      'services/cart/kustomization.yaml': kustomization,
      'services/web/kustomization.yaml': kustomization,
    };
    const dir = await writeRepo(files);
    const d = await discoverApps({ dir, config: config(), repoURL });
    expect(d.errors).toEqual([]);
    expect(d.appSets).toEqual([
      { name: 'svc', file: 'argocd/set.yaml', generated: ['cart-qa', 'web-qa', 'cart-live', 'web-live'] },
    ]);
    expect(d.apps.map((a) => [a.name, a.environment, a.service, a.origin.applicationSet, a.project])).toEqual(
      [
        ['cart-live', 'live', 'cart', 'svc', 'default'],
        ['cart-qa', 'qa', 'cart', 'svc', 'default'],
        ['web-live', 'live', 'web', 'svc', 'default'],
        ['web-qa', 'qa', 'web', 'svc', 'default'],
      ],
    );
  });

  it('uses the cluster registry of the config and git files from the snapshot', async () => {
    const dir = await writeRepo({
      'argocd/clusters.yaml': yaml(
        appset('per-cluster', {
          generators: [{ clusters: { selector: { matchLabels: { env: 'prod' } } } }],
          template: {
            metadata: { name: 'web-{{name}}' },
            spec: {
              source: { repoURL, path: 'apps/web' },
              destination: { server: '{{server}}', namespace: 'web' },
            },
          },
        }),
      ),
      'argocd/files.yaml': yaml(
        appset('from-files', {
          generators: [{ git: { repoURL, files: [{ path: 'teams/*.yaml' }] } }],
          template: {
            metadata: { name: 'team-{{team.name}}' },
            spec: {
              source: { repoURL, path: 'teams' },
              destination: { name: '{{cluster}}', namespace: '{{team.name}}' },
            },
          },
        }),
      ),
      'teams/a.yaml': 'team:\n  name: alpha\ncluster: production\n',
      'teams/b.yaml': 'team:\n  name: beta\ncluster: staging\n',
    });
    const cfg = config(`
clusters:
  - { name: production, server: https://prod.example:6443, labels: { env: prod } }
  - { name: staging, server: https://staging.example:6443, labels: { env: staging } }
`);
    const d = await discoverApps({ dir, config: cfg, repoURL });
    expect(d.errors).toEqual([]);
    expect(d.apps.map((a) => [a.name, a.destination.server ?? a.destination.name])).toEqual([
      ['team-alpha', 'production'],
      ['team-beta', 'staging'],
      ['web-production', 'https://prod.example:6443'],
    ]);
  });
});

describe('discoverApps: bad input gives one-line errors on that file, app or set only', () => {
  it('handles every bad case while still finding the good apps', async () => {
    const outside = await outsideDir({ 'secret.yaml': 'password: x\n', 'evil/deploy.yaml': 'kind: Pod\n' });
    const bombLevels = [
      'apiVersion: argoproj.io/v1alpha1',
      'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
    ];
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(96 + i);
      const cur = String.fromCharCode(97 + i);
      bombLevels.push(`${cur}: &${cur} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    const set = (name: string, generators: unknown[], tname: string) => ({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'ApplicationSet',
      metadata: { name },
      spec: {
        generators,
        template: {
          metadata: { name: tname },
          spec: { source: { repoURL, path: 'apps/x' }, destination: { name: 'dev', namespace: 'x' } },
        },
      },
    });
    const dir = await writeRepo({
      'argocd/good.yaml': yaml(application('good', { path: 'apps/good' })),
      'argocd/invalid.yaml': 'apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: [oops\n',
      'argocd/dupkeys.yaml': 'apiVersion: argoproj.io/v1alpha1\nkind: Application\nkind: Application\n',
      'argocd/bomb.yaml': `${bombLevels.join('\n')}\n`,
      'argocd/huge.yaml': `# argoproj.io\n${'# padding\n'.repeat(30_000)}`,
      'argocd/dotdot.yaml': yaml(application('dotdot', { path: '../outside' })),
      'argocd/absolute.yaml': yaml(application('absolute', { path: '/etc' })),
      'argocd/valuefile.yaml': yaml({
        ...application('valuefile', {}),
        spec: {
          source: {
            repoURL,
            path: 'charts/web',
            helm: { valueFiles: ['values.yaml', '../../../secret.yaml'] },
          },
          destination: { name: 'dev', namespace: 'web' },
        },
      }),
      'argocd/abs-values.yaml': yaml({
        ...application('abs-values', {}),
        spec: {
          sources: [
            {
              repoURL,
              path: 'charts/web',
              helm: { valueFiles: ['/etc/passwd', '$vals/envs/prod.yaml', '$nope/x.yaml'] },
            },
            { repoURL, ref: 'vals' },
          ],
          destination: { name: 'dev', namespace: 'web' },
        },
      }),
      'argocd/linked.yaml': yaml(application('linked', { path: 'apps/linked' })),
      'argocd/sneaky.yaml': yaml(application('sneaky', { path: 'apps/sneaky' })),
      'argocd/malformed.yaml': yaml(
        {
          apiVersion: 'argoproj.io/v1alpha1',
          kind: 'Application',
          metadata: { name: 'malformed' },
          spec: {},
        },
        application('sibling', { path: 'apps/sibling' }),
      ),
      'argocd/unknown-gen.yaml': yaml(set('unknown-gen', [{ scmProviderz: {} }], 'u-{{x}}')),
      'argocd/dup-names.yaml': yaml(
        set('dup-names', [{ list: { elements: [{ e: 'a' }, { e: 'a' }] } }], 'd-{{e}}'),
      ),
      'argocd/good-set.yaml': yaml(
        set('good-set', [{ list: { elements: [{ e: 'a' }, { e: 'b' }] } }], 'g-{{e}}'),
      ),
      'argocd/dup-app.yaml': yaml(application('good', { path: 'apps/other' })),
      'argocd/cycle-root.yaml': yaml(application('cycle-root', { path: 'cycle/a' })),
      'cycle/a/a.yaml': yaml(application('cycle-a', { path: 'cycle/b' })),
      'cycle/b/b.yaml': yaml(application('cycle-b', { path: 'cycle/a' })),
      'apps/sneaky/ok.yaml': 'kind: ConfigMap\n',
      'charts/web/Chart.yaml': 'name: web\n',
      'envs/prod.yaml': 'a: 1\n',
    });
    await link(dir, 'apps/linked', `${outside}/evil`);
    await link(dir, 'apps/sneaky/evil.yaml', `${outside}/evil/deploy.yaml`);
    await link(dir, 'argocd/outside.yaml', `${outside}/secret.yaml`);

    const cfg = config('limits: { maxManifestBytes: 100000 }');
    const d = await discoverApps({ dir, config: cfg, repoURL });
    for (const e of d.errors) expect(e.message).not.toContain('\n');

    const messages = d.errors.map((e) => e.message);
    const find = (s: string) => d.errors.filter((e) => e.message.includes(s));
    expect(find('argocd/invalid.yaml: invalid YAML at line')).toHaveLength(1);
    expect(find('argocd/dupkeys.yaml: invalid YAML at line 3: Map keys must be unique')).toHaveLength(1);
    expect(find('argocd/bomb.yaml: refused YAML: more than 100 alias expansions')).toHaveLength(1);
    expect(find('argocd/huge.yaml is 293 KB, over the 97.7 KB limit; refused')).toHaveLength(1);
    expect(find('argocd/outside.yaml is a symlink that points outside the repository')).toHaveLength(1);
    expect(d.errors.filter((e) => e.app === 'dotdot').map((e) => e.message)).toEqual([
      'app dotdot: source path ../outside leaves the repository; refused',
    ]);
    expect(errorsForApp(d, 'absolute')).toEqual([
      'app absolute: source path /etc is absolute; paths are relative to the repository root',
    ]);
    expect(errorsForApp(d, 'valuefile')).toEqual([
      'app valuefile: value file ../../../secret.yaml leaves the repository; refused',
    ]);
    expect(errorsForApp(d, 'abs-values')).toEqual([
      'app abs-values: value file /etc/passwd is absolute; value files are relative to the source path',
      'app abs-values: value file $nope/x.yaml names an unknown source ref $nope',
    ]);
    expect(errorsForApp(d, 'linked')).toEqual([
      'app linked: source path apps/linked is a symlink that points outside the repository',
    ]);
    expect(errorsForApp(d, 'sneaky')).toEqual([
      'app sneaky: apps/sneaky/evil.yaml is a symlink that points outside the repository',
    ]);
    expect(errorsForApp(d, 'malformed')).toEqual([
      'argocd/malformed.yaml: Application malformed: spec.source or spec.sources is required',
    ]);
    // Files are read in name order: dup-app.yaml defines `good` first, good.yaml is the duplicate.
    expect(errorsForApp(d, 'good')).toEqual([
      'argocd/good.yaml: duplicate application name good (already defined in argocd/dup-app.yaml)',
    ]);
    expect(errorsForApp(d, 'cycle-b')).toEqual([
      'app cycle-b: app-of-apps cycle cycle-a → cycle-b → cycle-a; the child link is ignored',
    ]);
    const sets = Object.fromEntries(d.appSets.map((s) => [s.name, s]));
    expect(sets['unknown-gen']?.error).toBe(
      'unknown generator "scmProviderz" (supported: list, clusters, git, matrix, merge)',
    );
    expect(sets['dup-names']?.error).toBe('duplicate application name d-a generated');
    expect(sets['good-set']).toEqual({
      name: 'good-set',
      file: 'argocd/good-set.yaml',
      generated: ['g-a', 'g-b'],
    });
    expect(messages).toContain(
      'ApplicationSet unknown-gen: unknown generator "scmProviderz" (supported: list, clusters, git, matrix, merge)',
    );

    // Every good app is still there, the refused ones are listed with their errors.
    const names = d.apps.map((a) => a.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'good',
        'sibling',
        'g-a',
        'g-b',
        'cycle-root',
        'cycle-a',
        'cycle-b',
        'dotdot',
        'linked',
      ]),
    );
    expect(d.apps.find((a) => a.name === 'malformed')?.sources).toEqual([]);
    expect(errorsForApp(d, 'sibling')).toEqual([]);
    expect(errorsForApp(d, 'g-a')).toEqual([]);
    expect(d.apps.find((a) => a.name === 'cycle-b')?.origin.parentApp).toBe('cycle-a');
    expect(d.apps.find((a) => a.name === 'cycle-a')?.origin.parentApp).toBe('cycle-root');
  });

  it('reports a missing root without failing', async () => {
    const dir = await writeRepo({ 'x/a.yaml': yaml(application('a', { path: 'p' })) });
    const d = await discoverApps({ dir, roots: ['nope', 'x', '../up'], config: config(), repoURL });
    expect(d.apps.map((a) => a.name)).toEqual(['a']);
    expect(d.errors.map((e) => e.message)).toEqual([
      'root nope is not a directory in the repository',
      'root ../up must be a path inside the repository',
    ]);
  });
});

describe('discoverApps: a broken Argo CD manifest never vanishes', () => {
  it('keeps a named broken Application as an app in error, and a nameless one as a file error', async () => {
    const dir = await writeRepo({
      'argocd/good.yaml': yaml(application('good', { path: 'apps/good' })),
      'argocd/named.yaml':
        'apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: { name: named }\nspec: [not, a, map]\n',
      'argocd/syntax.yaml':
        'apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: { name: lost }\nspec: [not a map\n',
      'apps/good/cm.yaml': 'kind: ConfigMap\n',
    });
    const d = await discoverApps({ dir, config: config(''), repoURL });
    expect(d.apps.map((a) => a.name)).toEqual(['good', 'named']);
    const named = d.apps.find((a) => a.name === 'named');
    expect(named?.sources).toEqual([]);
    expect(named?.origin.file).toBe('argocd/named.yaml');
    expect(errorsForApp(d, 'named')).toEqual([
      'argocd/named.yaml: Application named: spec must be a mapping',
    ]);
    const fileOnly = d.errors.filter((e) => e.app === undefined);
    expect(fileOnly.map((e) => e.file)).toEqual(['argocd/syntax.yaml']);
    expect(fileOnly[0]?.message).toMatch(/^argocd\/syntax\.yaml: invalid YAML at line \d+/);
  });
});
