/** Nothing silently dropped or merged: repeated resources and invalid UTF-8 are errors on the app. */
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppSource, RenderResult } from '../../../src/engine/model/index.js';
import { renderApp } from '../../../src/engine/render/index.js';
import { commitFiles, createFixtureRepo, type FixtureRepo, yamlDocs } from '../../fixtures/repos/index.js';
import { bins, makeSpec, snapshotOf } from './helpers.js';

const cm = (name: string, extra: Record<string, unknown> = {}) =>
  yamlDocs({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, ...extra }, data: { a: '1' } });

let repo: FixtureRepo;
let snap: { sha: string; snapshotDir: string };
let fakes = '';

/** A manifest whose value holds "größe" in Latin-1: bytes that are not valid UTF-8. */
const latin1 = (text: string) => {
  const [head, tail] = text.split('a: "1"');
  return Buffer.concat([Buffer.from(`${head}a: "gr`), Buffer.from([0xf6, 0xdf]), Buffer.from(`e"${tail}`)]);
};

beforeAll(async () => {
  repo = await createFixtureRepo({
    name: 'trust-render',
    files: {
      'dup/a.yaml': cm('same'),
      'dup/b.yaml': cm('same'),
      'dupns/a.yaml': cm('same', { namespace: 'team' }),
      'dupns/b.yaml': cm('same'),
      'fine/a.yaml': cm('one'),
      'fine/b.yaml': cm('two'),
      'fine/c.yaml': cm('one', { namespace: 'elsewhere' }),
      'latin1/ok.yaml': cm('ok'),
      'kz-latin1/kustomization.yaml': yamlDocs({ resources: ['ok.yaml', 'bad.yaml'] }),
      'kz-latin1/ok.yaml': cm('ok'),
      'chart-latin1/Chart.yaml': yamlDocs({ apiVersion: 'v2', name: 'latin', version: '0.1.0' }),
      'chart-latin1/templates/ok.yaml': cm('ok'),
      'chart-ok/Chart.yaml': yamlDocs({ apiVersion: 'v2', name: 'fine', version: '0.1.0' }),
      'chart-ok/templates/ok.yaml': cm('ok'),
    },
  });
  // "größe" in Latin-1: bytes that are not valid UTF-8.
  await writeFile(
    join(repo.work, 'latin1/bad.yaml'),
    Buffer.concat([
      Buffer.from(cm('bad').replace('a: "1"', 'a: "gr')),
      Buffer.from([0xf6, 0xdf]),
      Buffer.from('e"\n'),
    ]),
  );
  for (const f of ['kz-latin1/bad.yaml', 'chart-latin1/templates/bad.yaml'])
    await writeFile(join(repo.work, f), latin1(cm('bad')));
  await commitFiles(repo, {}, 'Latin-1 files');
  fakes = await mkdtemp(join(tmpdir(), 'bosun-fake-helm-'));
  snap = await snapshotOf(repo);
});
afterAll(async () => {
  await repo?.cleanup();
  if (fakes) await rm(fakes, { recursive: true, force: true });
});

const render = (path: string, namespace = 'team'): Promise<RenderResult> =>
  // Directory sources only: no kustomize or helm binary is needed.
  renderApp({
    spec: makeSpec({ name: 'trust', sources: [{ repoURL: repo.repoURL, path } as AppSource], namespace }),
    snapshotDir: snap.snapshotDir,
    revision: snap.sha,
  });

describe('renders that would lose or merge objects are errors', () => {
  it('two objects with the same key are a RepeatedResourceWarning error on the app', async () => {
    const r = await render('dup');
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.error).toBe(
        'RepeatedResourceWarning: the render has the same resource more than once: ConfigMap/team/same (2 times)',
      );
  });

  it('an explicit namespace equal to the destination namespace is the same key', async () => {
    const r = await render('dupns');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/RepeatedResourceWarning: .*ConfigMap\/team\/same \(2 times\)/);
  });

  it('same name in another namespace or kind is fine', async () => {
    const r = await render('fine');
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.objects).toHaveLength(3);
  });

  it('a manifest with invalid UTF-8 is an error naming the file', async () => {
    const r = await render('latin1');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toBe('latin1/bad.yaml is not valid UTF-8 text');
  });

  it('kustomize: a resource with invalid UTF-8 is an app error naming the file', async () => {
    const r = await renderTool('kz-latin1');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error).toMatch(/^kustomize build failed: .*UTF-8/);
      expect(r.error).toContain('bad.yaml');
    }
  });

  it('helm: a template with invalid UTF-8 is an app error naming the template', async () => {
    const r = await renderTool('chart-latin1');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error).toMatch(/^helm template failed: .*UTF-8/);
      expect(r.error).toContain('templates/bad.yaml');
    }
  });

  it('a renderer whose output is not UTF-8 is an app error naming the source document', async () => {
    // A helm (or plugin) that passes bytes through unchecked: the output is refused, never decoded lossily.
    await mkdir(fakes, { recursive: true });
    const helm = join(fakes, 'helm');
    const doc = `# Source: fine/templates/ok.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ok\ndata:\n  a: "gr\\366\\337e"\n`;
    await writeFile(helm, `#!/bin/sh\ncase "$1" in version) echo v3.21.4;; *) printf '${doc}';; esac\n`);
    await chmod(helm, 0o755);
    // It reports bosun-helm-render's Helm version: keep the renderer out so the fake runs.
    process.env.BOSUN_HELM_RENDER = 'off';
    const r = await renderTool('chart-ok', { helmBin: helm }).finally(() => {
      delete process.env.BOSUN_HELM_RENDER;
    });
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.error).toBe('helm template output is not valid UTF-8 text (in fine/templates/ok.yaml)');
    const real = await renderTool('chart-ok');
    expect(real.ok).toBe(true);
  });
});

const renderTool = (path: string, o: { helmBin?: string } = {}): Promise<RenderResult> =>
  renderApp({
    spec: makeSpec({
      name: 'trust',
      sources: [{ repoURL: repo.repoURL, path } as AppSource],
      namespace: 'team',
    }),
    snapshotDir: snap.snapshotDir,
    revision: snap.sha,
    ...bins(),
    ...o,
  });
