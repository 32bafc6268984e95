/** Nothing silently dropped or merged: repeated resources and invalid UTF-8 are errors on the app. */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppSource, RenderResult } from '../../../src/engine/model/index.js';
import { renderApp } from '../../../src/engine/render/index.js';
import { commitFiles, createFixtureRepo, type FixtureRepo, yamlDocs } from '../../fixtures/repos/index.js';
import { makeSpec, snapshotOf } from './helpers.js';

const cm = (name: string, extra: Record<string, unknown> = {}) =>
  yamlDocs({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, ...extra }, data: { a: '1' } });

let repo: FixtureRepo;
let snap: { sha: string; snapshotDir: string };

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
  await commitFiles(repo, {}, 'a Latin-1 file');
  snap = await snapshotOf(repo);
});
afterAll(async () => {
  await repo?.cleanup();
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
});
