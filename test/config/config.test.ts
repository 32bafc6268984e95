import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  ConfigError,
  defaultConfig,
  loadConfig,
  parseConfig,
  userCacheDir,
  userConfigFile,
  userStateDir,
} from '../../src/config/config.js';

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

async function tempDir(files: Record<string, string> = {}): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'bosun-config-'));
  dirs.push(dir);
  for (const [rel, text] of Object.entries(files)) {
    await mkdir(join(dir, rel, '..'), { recursive: true });
    await writeFile(join(dir, rel), text);
  }
  return dir;
}

function configError(text: string): ConfigError {
  try {
    parseConfig(text, 'bosun.yaml');
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

const full = `
repo: { path: ., remote: upstream, branch: trunk }
backend: { type: argocd, context: ops, namespace: gitops }
roots: [argocd, clusters/argocd]
clusters:
  - { name: production, context: prod-ctx, server: https://prod.example:6443/, labels: { env: prod }, readOnly: true, theme: danger }
  - name: dev
inClusterContext: dev
environments:
  - { name: dev }
  - staging
  - { name: prod, production: true, requireReview: true }
tracking: { annotation: argocd.argoproj.io/tracking-id }
promote: { helmValueKey: app.image.tag }
limits: { renderTimeoutSeconds: 30, maxManifestBytes: 1048576 }
binaries: { kustomize: /opt/bin/kustomize }
theme: light
automation: false
customizations: [lua, ~/argo-cd/resource_customizations]
notifications:
  targets:
    - { name: chat, url: 'https://chat.example/hooks/1', headers: { Authorization: 'Bearer $\{CHAT_TOKEN}' } }
    - { name: log, url: 'http://127.0.0.1:9000/', body: '{"m": "{{message}}"}' }
  subscriptions:
    - { triggers: [on-sync-failed, on-health-degraded], targets: [chat], apps: ['*-prod'] }
    - { triggers: on-deployed, targets: [log], projects: [shop] }
`;

describe('parseConfig', () => {
  it('reads every key', () => {
    const c = parseConfig(full, 'bosun.yaml');
    expect(c).toEqual({
      file: 'bosun.yaml',
      repo: { path: '.', remote: 'upstream', branch: 'trunk' },
      roots: ['argocd', 'clusters/argocd'],
      clusters: [
        {
          name: 'production',
          context: 'prod-ctx',
          server: 'https://prod.example:6443',
          labels: { env: 'prod' },
          annotations: {},
          readOnly: true,
          theme: 'danger',
        },
        { name: 'dev', context: 'dev', labels: {}, annotations: {}, readOnly: false },
      ],
      inClusterContext: 'dev',
      backend: { type: 'argocd', context: 'ops', namespace: 'gitops' },
      environments: [
        { name: 'dev', production: false, requireReview: false, apps: [], clusters: [], paths: [] },
        { name: 'staging', production: false, requireReview: false, apps: [], clusters: [], paths: [] },
        { name: 'prod', production: true, requireReview: true, apps: [], clusters: [], paths: [] },
      ],
      tracking: { annotation: 'argocd.argoproj.io/tracking-id' },
      promote: { helmValueKey: 'app.image.tag' },
      limits: { renderTimeoutSeconds: 30, maxManifestBytes: 1048576 },
      binaries: { kustomize: '/opt/bin/kustomize' },
      theme: 'light',
      automation: false,
      customizations: ['lua', '~/argo-cd/resource_customizations'],
      notifications: {
        targets: [
          {
            name: 'chat',
            url: 'https://chat.example/hooks/1',
            // biome-ignore lint/suspicious/noTemplateCurlyInString: bosun.yaml's own env syntax
            headers: { Authorization: 'Bearer ${CHAT_TOKEN}' },
          },
          { name: 'log', url: 'http://127.0.0.1:9000/', headers: {}, body: '{"m": "{{message}}"}' },
        ],
        subscriptions: [
          {
            triggers: ['on-sync-failed', 'on-health-degraded'],
            targets: ['chat'],
            apps: ['*-prod'],
            projects: [],
          },
          { triggers: ['on-deployed'], targets: ['log'], apps: [], projects: ['shop'] },
        ],
      },
      warnings: [],
    });
  });

  it('refuses a notification subscription with an unknown trigger or target, in one line', () => {
    expect(
      configError(
        'notifications: { targets: [{ name: a, url: http://x/ }], subscriptions: [{ triggers: [on-sync], targets: [a] }] }',
      ).message,
    ).toBe(
      'bosun.yaml: notifications.subscriptions[0].triggers has "on-sync"; use one of on-sync-succeeded, on-sync-failed, on-health-degraded, on-deployed, on-drift-detected',
    );
    expect(
      configError(
        'notifications: { targets: [{ name: a, url: http://x/ }], subscriptions: [{ triggers: [on-deployed], targets: [b] }] }',
      ).message,
    ).toBe('bosun.yaml: notifications.subscriptions[0].targets names "b", which is not a target');
    expect(configError('notifications: { targets: [{ name: a, url: ftp://x/ }] }').message).toBe(
      'bosun.yaml: notifications.targets[0].url must be an https:// or http:// URL',
    );
  });

  it('fills defaults for an empty file and marks prod/production as production', () => {
    const c = parseConfig('', 'bosun.yaml');
    expect(c).toMatchObject({
      repo: { path: '.', remote: 'origin', branch: 'main' },
      backend: { type: 'embedded', namespace: 'argocd' },
      roots: [],
      clusters: [],
      environments: [],
      tracking: { annotation: 'bosun.dev/tracking-id' },
      promote: { helmValueKey: 'image.tag' },
      limits: { renderTimeoutSeconds: 60, maxManifestBytes: 10 * 1024 * 1024 },
      theme: 'default-dark',
    });
    expect(parseConfig('environments: [production]', 'x').environments[0]?.production).toBe(true);
    expect(defaultConfig.limits.maxManifestBytes).toBe(10485760);
    expect(Object.isFrozen(defaultConfig.limits)).toBe(true);
  });

  it('collects unknown keys as warnings', () => {
    const c = parseConfig(
      'colour: red\nclusters:\n  - { name: a, colour: blue }\nlimits: { foo: 1 }\n',
      'bosun.yaml',
    );
    expect(c.warnings).toEqual([
      'bosun.yaml: unknown key colour (ignored)',
      'bosun.yaml: unknown key clusters[0].colour (ignored)',
      'bosun.yaml: unknown key limits.foo (ignored)',
    ]);
  });

  it('refuses bad values with one line naming file, key and problem', () => {
    const cases: [string, string][] = [
      [
        'clusters:\n  - { name: a }\n  - { name: b, context: 3 }\n',
        'bosun.yaml: clusters[1].context must be a string',
      ],
      ['clusters:\n  - { context: x }\n', 'bosun.yaml: clusters[0].name is required'],
      [
        'clusters:\n  - { name: a, server: prod:6443 }\n',
        'bosun.yaml: clusters[0].server must be an https:// or http:// URL',
      ],
      [
        'clusters:\n  - { name: a }\n  - { name: a }\n',
        'bosun.yaml: clusters[1].name "a" is already used by clusters[0]',
      ],
      [
        'clusters:\n  - { name: a, labels: { env: 1 } }\n',
        'bosun.yaml: clusters[0].labels.env must be a string',
      ],
      [
        'clusters:\n  - { name: a, readOnly: yes }\n',
        'bosun.yaml: clusters[0].readOnly must be true or false',
      ],
      ['clusters: {}\n', 'bosun.yaml: clusters must be a list'],
      ['roots: []\n', 'bosun.yaml: roots must name at least one directory (omit it to scan argocd/)'],
      ['roots: [../elsewhere]\n', 'bosun.yaml: roots[0] must stay inside the repository'],
      ['roots: [/abs]\n', 'bosun.yaml: roots[0] must be relative to the repository root'],
      ['backend: { type: flux }\n', 'bosun.yaml: backend.type must be one of embedded, argocd'],
      [
        'backend: { namespace: Argo_CD }\n',
        'bosun.yaml: backend.namespace must be a Kubernetes namespace name',
      ],
      ['backend: argocd\n', 'bosun.yaml: backend must be a mapping'],
      [
        'tracking: { annotation: foo }\n',
        'bosun.yaml: tracking.annotation must be one of bosun.dev/tracking-id, argocd.argoproj.io/tracking-id',
      ],
      [
        'limits: { renderTimeoutSeconds: -1 }\n',
        'bosun.yaml: limits.renderTimeoutSeconds must be a positive number',
      ],
      ['limits: { maxManifestBytes: 1.5 }\n', 'bosun.yaml: limits.maxManifestBytes must be a whole number'],
      [
        'environments: [ { name: dev }, { name: dev } ]\n',
        'bosun.yaml: environments[1].name "dev" is already used by environments[0]',
      ],
      [
        'environments: [ { name: "a b" } ]\n',
        'bosun.yaml: environments[0].name must be letters, digits, ".", "_" or "-"',
      ],
      ['repo: main\n', 'bosun.yaml: repo must be a mapping'],
      ['- a\n- b\n', 'bosun.yaml: the top level must be a mapping'],
      ['theme: ""\n', 'bosun.yaml: theme must not be empty'],
      ['customizations: [3]\n', 'bosun.yaml: customizations[0] must be a string'],
      ['customizations: [""]\n', 'bosun.yaml: customizations[0] must not be empty'],
    ];
    for (const [text, message] of cases) {
      const err = configError(text);
      expect(err.message).toBe(message);
      expect(err.file).toBe('bosun.yaml');
    }
    expect(configError('clusters:\n  - { name: a, context: [x] }\n').key).toBe('clusters[0].context');
  });

  it('refuses invalid YAML, duplicate keys and alias bombs', () => {
    expect(configError('a: [1\n').message).toMatch(/^bosun\.yaml: invalid YAML at line \d+: /);
    const dup = configError('theme: a\ntheme: b\n');
    expect(dup.message).toBe('bosun.yaml: invalid YAML at line 2: Map keys must be unique');
    expect(dup.cause).toBeDefined();
    const levels = ['a: &a [x,x,x,x,x,x,x,x,x]'];
    for (let i = 1; i < 8; i++) {
      levels.push(
        `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9)
          .fill(`*${String.fromCharCode(96 + i)}`)
          .join(',')}]`,
      );
    }
    expect(configError(levels.join('\n')).message).toMatch(
      /^bosun\.yaml: invalid YAML: .*resource exhaustion/,
    );
  });
});

describe('loadConfig', () => {
  it('reads bosun.yaml at the repo root and resolves repo.path', async () => {
    const repo = await tempDir({ 'bosun.yaml': 'repo: { path: sub }\ntheme: x\n', 'sub/argocd/a.yaml': '' });
    const c = await loadConfig({ repoPath: repo, env: { HOME: repo } });
    expect(c.file).toBe(join(repo, 'bosun.yaml'));
    expect(c.repo.path).toBe(join(repo, 'sub'));
    expect(c.roots).toEqual(['argocd']);
    expect(c.theme).toBe('x');
    expect(c.customizations).toEqual([]);
  });

  it('resolves customization directories against the repository and ~', async () => {
    const repo = await tempDir({ 'bosun.yaml': 'customizations: [lua, ~/acd, /opt/lua]\n' });
    const c = await loadConfig({ repoPath: repo, env: { HOME: '/home/u' } });
    expect(c.customizations).toEqual([join(repo, 'lua'), '/home/u/acd', '/opt/lua']);
  });

  it('falls back to $XDG_CONFIG_HOME/bosun/config.yaml, then to defaults', async () => {
    const repo = await tempDir({ 'manifests/a.yaml': '' });
    const xdg = await tempDir({ 'bosun/config.yaml': 'theme: from-xdg\n' });
    const c = await loadConfig({ repoPath: repo, env: { XDG_CONFIG_HOME: xdg, HOME: repo } });
    expect(c.theme).toBe('from-xdg');
    expect(c.file).toBe(join(xdg, 'bosun', 'config.yaml'));
    const home = await tempDir({ '.config/bosun/config.yaml': 'theme: from-home\n' });
    expect((await loadConfig({ repoPath: repo, env: { HOME: home } })).theme).toBe('from-home');
    const d = await loadConfig({ repoPath: repo, env: { HOME: repo } });
    expect(d.file).toBeUndefined();
    expect(d.roots).toEqual(['.']);
    expect(d.repo.path).toBe(repo);
  });

  it('names the file in errors and refuses a missing explicit config', async () => {
    const repo = await tempDir({ 'bosun.yml': 'clusters:\n  - { name: a, context: 3 }\n' });
    await expect(loadConfig({ repoPath: repo, env: { HOME: repo } })).rejects.toThrow(
      'bosun.yml: clusters[0].context must be a string',
    );
    await expect(
      loadConfig({ repoPath: repo, configPath: join(repo, 'nope.yaml'), env: { HOME: repo } }),
    ).rejects.toThrow(/nope\.yaml: cannot read config file \(ENOENT\)$/);
  });
});

describe('paths', () => {
  it('follows XDG with ~/.config, ~/.local/state and ~/.cache fallbacks', () => {
    expect(userConfigFile({ XDG_CONFIG_HOME: '/x', HOME: '/h' })).toBe('/x/bosun/config.yaml');
    expect(userConfigFile({ XDG_CONFIG_HOME: 'relative', HOME: '/h' })).toBe('/h/.config/bosun/config.yaml');
    expect(userStateDir({ HOME: '/h' })).toBe('/h/.local/state/bosun');
    expect(userCacheDir({ XDG_CACHE_HOME: '/c', HOME: '/h' })).toBe('/c/bosun');
  });
});

describe('argocdNamespace', () => {
  it('is read globally and per cluster, and must be a namespace name', () => {
    const c = parseConfig(
      'argocdNamespace: ops-argocd\nclusters:\n  - { name: prod, argocdNamespace: argo }\n',
      'bosun.yaml',
    );
    expect(c.argocdNamespace).toBe('ops-argocd');
    expect(c.clusters[0]?.argocdNamespace).toBe('argo');
    expect(c.warnings).toEqual([]);
    expect(parseConfig('repo: { branch: main }\n', 'bosun.yaml').argocdNamespace).toBeUndefined();
    expect(() => parseConfig('argocdNamespace: Not_A_Namespace\n', 'bosun.yaml')).toThrow(
      'bosun.yaml: argocdNamespace must be a Kubernetes namespace name',
    );
    expect(() =>
      parseConfig('clusters:\n  - { name: prod, argocdNamespace: "x y" }\n', 'bosun.yaml'),
    ).toThrow('bosun.yaml: clusters[0].argocdNamespace must be a Kubernetes namespace name');
  });
});
