import { describe, expect, it } from 'vitest';
import { compressPaths } from '../../../src/engine/render/analyze.js';
import { formatBytes, formatSeconds, lastMeaningfulLine } from '../../../src/engine/render/exec.js';
import { globToRegExp } from '../../../src/engine/render/glob.js';
import { cleanSetValue, helmTemplateArgs } from '../../../src/engine/render/helm.js';
import { parseImageOverride, parseJsonManifest, parseManifests } from '../../../src/engine/render/index.js';
import { wrapperKustomization } from '../../../src/engine/render/kustomize.js';
import { isRemoteRef } from '../../../src/engine/render/kustomize-inputs.js';

describe('parseManifests', () => {
  it('reads YAML like Kubernetes: 1.1 booleans, timestamps stay strings, empty documents skipped', () => {
    const r = parseManifests(
      '---\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {enabled: yes, day: 2024-01-02}\n---\n',
      'x',
    );
    expect(r).toEqual({
      ok: true,
      objects: [
        {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'a' },
          data: { enabled: true, day: '2024-01-02' },
        },
      ],
    });
  });

  it('flattens Lists and checks their items', () => {
    const list =
      'apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: A, metadata: {name: a}}\n- {apiVersion: v1, kind: B, metadata: {name: b}}\n';
    expect(parseManifests(list, 'x')).toMatchObject({ ok: true, objects: [{ kind: 'A' }, { kind: 'B' }] });
    expect(parseManifests('apiVersion: v1\nkind: List\nitems:\n- {kind: A}\n', 'x')).toEqual({
      ok: false,
      error: 'x: document 1: List item 1 has no apiVersion',
    });
  });

  it('names the document and the Helm template of a bad object', () => {
    const out =
      '---\n# Source: svc/templates/a.yaml\napiVersion: v1\nkind: A\nmetadata: {name: a}\n---\n# Source: svc/templates/b.yaml\nkind: B\n';
    expect(parseManifests(out, 'helm output')).toEqual({
      ok: false,
      error: 'helm output: document 2 (svc/templates/b.yaml): object has no apiVersion',
    });
    expect(parseManifests('- a\n- b\n', 'x')).toEqual({
      ok: false,
      error: 'x: document 1: object is not a mapping',
    });
  });

  it('parses JSON objects and lists', () => {
    expect(
      parseJsonManifest('{"apiVersion":"v1","kind":"A","metadata":{"name":"a"}}', 'a.json'),
    ).toMatchObject({ ok: true });
    expect(parseJsonManifest('{"apiVersion":', 'a.json')).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^a\.json: /),
    });
  });
});

describe('globToRegExp (Argo CD include/exclude)', () => {
  it.each([
    ['*.yaml', 'a.yaml', true],
    ['*.yaml', 'sub/a.yaml', true],
    ['*.yaml', 'a.json', false],
    ['{a.yaml,b.json}', 'b.json', true],
    ['{a.yaml,b.json}', 'c.json', false],
    ['sub/**', 'sub/x/y.yaml', true],
    ['config-?.yaml', 'config-1.yaml', true],
    ['[!x]*.yaml', 'xa.yaml', false],
    ['[a-c]*.yaml', 'b.yaml', true],
    ['*.{yml,yaml}', 'a.yml', true],
    ['a.b', 'aXb', false],
  ])('%s matches %s: %s', (glob, path, want) => {
    expect(globToRegExp(glob).test(path)).toBe(want);
  });
});

describe('Kustomize helpers', () => {
  it('parses Argo CD image overrides', () => {
    expect(parseImageOverride('registry.local/web:v2')).toEqual({ name: 'registry.local/web', newTag: 'v2' });
    expect(parseImageOverride('localhost:5000/web')).toEqual({ name: 'localhost:5000/web' });
    expect(parseImageOverride('localhost:5000/web:1.0')).toEqual({
      name: 'localhost:5000/web',
      newTag: '1.0',
    });
    expect(parseImageOverride('web=mirror/web:v3')).toEqual({
      name: 'web',
      newName: 'mirror/web',
      newTag: 'v3',
    });
    expect(parseImageOverride('web@sha256:abc')).toEqual({ name: 'web', digest: 'sha256:abc' });
  });

  it('writes a wrapping kustomization that refers to the app by a relative path', () => {
    expect(
      wrapperKustomization('../../snap/apps/web', {
        namePrefix: 'p-',
        images: ['web:v1'],
        commonLabels: { a: 'b' },
      }),
    ).toEqual({
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      resources: ['../../snap/apps/web'],
      namePrefix: 'p-',
      images: [{ name: 'web', newTag: 'v1' }],
      commonLabels: { a: 'b' },
    });
  });

  it('recognises remote references', () => {
    expect(isRemoteRef('https://github.com/org/repo//base?ref=v1')).toBe(true);
    expect(isRemoteRef('github.com/org/repo/base?ref=main')).toBe(true);
    expect(isRemoteRef('../base')).toBe(false);
  });
});

describe('Helm helpers', () => {
  it('escapes commas in --set values like Argo CD', () => {
    expect(cleanSetValue('a,b')).toBe('a\\,b');
    expect(cleanSetValue('a\\,b')).toBe('a\\,b');
    expect(cleanSetValue('{a,b}')).toBe('{a,b}');
  });

  it('builds helm template arguments in Argo CD order', () => {
    expect(
      helmTemplateArgs({
        releaseName: 'web',
        chartDir: '/c',
        namespace: 'ns',
        valueFiles: ['/c/values-prod.yaml'],
        inlineValues: '/tmp/v.yaml',
        parameters: [
          { name: 'a', value: '1' },
          { name: 'b', value: 'x,y', forceString: true },
        ],
      }),
    ).toEqual([
      'template',
      'web',
      '/c',
      '--include-crds',
      '--namespace',
      'ns',
      '--values',
      '/c/values-prod.yaml',
      '--values',
      '/tmp/v.yaml',
      '--set',
      'a=1',
      '--set-string',
      'b=x\\,y',
    ]);
  });
});

describe('small helpers', () => {
  it('compresses input paths', () => {
    expect(compressPaths(['a/b', 'a', 'a-b/c', 'a/c/d', 'x/y', 'x/y'])).toEqual(['a', 'a-b/c', 'x/y']);
    expect(compressPaths(['a', ''])).toEqual(['']);
  });

  it('formats limits and picks the meaningful stderr line', () => {
    expect(formatSeconds(60_000)).toBe('60s');
    expect(formatSeconds(500)).toBe('0.5s');
    expect(formatBytes(10 * 1024 * 1024)).toBe('10 MiB');
    expect(
      lastMeaningfulLine('Error: YAML parse error on x: bad\nUse --debug flag to render out invalid YAML\n'),
    ).toBe('YAML parse error on x: bad');
    expect(
      lastMeaningfulLine("# Warning: 'commonLabels' is deprecated\nError: accumulating resources: boom\n"),
    ).toBe('accumulating resources: boom');
    expect(lastMeaningfulLine('\n\n')).toBeUndefined();
  });
});
