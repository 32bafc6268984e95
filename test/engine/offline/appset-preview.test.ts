import { dirname } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { binPath } from '../../../src/demo/controlplane/bins.js';
import { type HelmPlatform, makeHelmPlatform } from '../../../src/demo/repos/helm-platform.js';
import { PreviewError, previewAppSets } from '../../../src/engine/offline/index.js';
import { git, yamlDocs } from '../../fixtures/repos/index.js';

/** `bosun appset preview`: what an ApplicationSet generates at a branch, against HEAD, offline (issue 17). */

let platform: HelmPlatform;
const savedPath = process.env.PATH;

beforeAll(async () => {
  process.env.PATH = `${dirname(binPath('helm'))}:${savedPath ?? ''}`;
  platform = await makeHelmPlatform({ services: ['catalog', 'search'], envs: ['dev', 'prod'] });
  // A feature branch: billing is new, search leaves dev, catalog's prod tag moves.
  const w = platform.work;
  git(w, ['checkout', '--quiet', '-b', 'feature']);
  const { writeFile, mkdir, rm, readFile } = await import('node:fs/promises');
  for (const env of ['dev', 'prod']) {
    await mkdir(`${w}/environments/${env}/billing`, { recursive: true });
    await writeFile(
      `${w}/environments/${env}/billing/values.yaml`,
      yamlDocs({
        replicaCount: 1,
        image: { repository: 'registry.local/platform/billing', tag: '0.1.0' },
        autoscaling: { enabled: false, minReplicas: 1, maxReplicas: 1 },
      }),
    );
  }
  await rm(`${w}/environments/dev/search`, { recursive: true });
  const prodCatalog = `${w}/environments/prod/catalog/values.yaml`;
  await writeFile(prodCatalog, (await readFile(prodCatalog, 'utf8')).replace('tag: 2.3.0', 'tag: 2.3.1'));
  git(w, ['add', '--all']);
  git(w, ['commit', '--quiet', '-m', 'billing, search off dev, catalog 2.3.1 in prod']);
  git(w, ['checkout', '--quiet', 'main']);
});

afterAll(async () => {
  process.env.PATH = savedPath;
  await platform?.cleanup();
});

describe('previewAppSets', () => {
  it('lists added, removed and changed apps with the rendered diff of each changed one', async () => {
    const p = await previewAppSets({ repoPath: platform.work, revision: 'feature' });
    expect(p.changed).toBe(true);
    expect(p.sets.map((s) => s.name)).toEqual(['platform']);
    const apps = Object.fromEntries((p.sets[0]?.apps ?? []).map((a) => [a.name, a]));
    expect(Object.fromEntries(Object.entries(apps).map(([n, a]) => [n, a.status]))).toEqual({
      'billing-dev': 'added',
      'billing-prod': 'added',
      'catalog-dev': 'unchanged',
      'catalog-prod': 'changed',
      'search-dev': 'removed',
      'search-prod': 'unchanged',
    });
    const cat = apps['catalog-prod'];
    expect(cat?.specChanges).toEqual([]);
    expect(cat?.resources.map((r) => [r.resource, r.status, r.changedPaths])).toEqual([
      ['apps/Deployment/catalog', 'changed', ['/spec/template/spec/containers/0/image']],
    ]);
    expect(cat?.resources[0]?.diff).toMatch(/^\+ +image: "?registry.local\/platform\/catalog:2.3.1"?$/m);
    expect(apps['billing-dev']?.resources.map((r) => r.status)).toEqual(['only-b', 'only-b']);
    expect(apps['billing-dev']?.destination).toBe('dev/platform');
  });

  it('HEAD against itself changes nothing; an unknown set is a one-line error', async () => {
    const p = await previewAppSets({ repoPath: platform.work, name: 'platform' });
    expect(p.changed).toBe(false);
    expect(p.sets[0]?.apps.every((a) => a.status === 'unchanged')).toBe(true);
    await expect(previewAppSets({ repoPath: platform.work, name: 'nope' })).rejects.toThrow(
      'no ApplicationSet "nope" at HEAD (sets: platform)',
    );
    await expect(previewAppSets({ repoPath: platform.work, name: 'nope' })).rejects.toBeInstanceOf(
      PreviewError,
    );
  });
});
