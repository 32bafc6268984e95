import { dirname } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { binPath } from '../../../src/demo/controlplane/bins.js';
import {
  type AppSetPreviewResult,
  compareSetWithLive,
  liveDiffers,
  livePresence,
  previewAppSets,
  withLive,
} from '../../../src/engine/offline/index.js';
import {
  git,
  type HelmPlatform,
  makeHelmPlatform,
  shopClusters,
  yamlDocs,
} from '../../fixtures/repos/index.js';

/** The ApplicationSet preview compared with what is live (issue 17), on a fixture repository. */

let platform: HelmPlatform;
let preview: AppSetPreviewResult;
const savedPath = process.env.PATH;
/** Apps map to contexts as their destination names do (dev, staging, production). */
const contextOf = (app: string) => shopClusters[app.split('-').pop() ?? ''];

beforeAll(async () => {
  process.env.PATH = `${dirname(binPath('helm'))}:${savedPath ?? ''}`;
  platform = await makeHelmPlatform({ services: ['catalog', 'search'], envs: ['dev', 'prod'] });
  // A feature branch: billing is new, search leaves dev.
  const w = platform.work;
  const { writeFile, mkdir, rm } = await import('node:fs/promises');
  git(w, ['checkout', '--quiet', '-b', 'feature']);
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
  git(w, ['add', '--all']);
  git(w, ['commit', '--quiet', '-m', 'billing; search off dev']);
  git(w, ['checkout', '--quiet', 'main']);
  preview = await previewAppSets({ repoPath: w, revision: 'feature' });
});

afterAll(async () => {
  process.env.PATH = savedPath;
  await platform?.cleanup();
});

const app = (name: string) => ({ name, contexts: [contextOf(name) ?? '?'], objects: 2 });

describe('compareSetWithLive', () => {
  it('finds apps deployed but no longer generated, and apps generated but not deployed', () => {
    const set = preview.sets[0];
    if (!set) throw new Error('no set');
    const live = compareSetWithLive(
      set,
      { compared: true, apps: [app('catalog-dev'), app('search-dev'), app('catalog-prod')], unreachable: [] },
      contextOf,
    );
    expect(live).toEqual({
      compared: true,
      liveOnly: ['search-dev'],
      notDeployed: ['billing-dev', 'billing-prod', 'search-prod'],
      deployed: ['catalog-dev', 'catalog-prod'],
      unknown: [],
    });
    expect(livePresence(live, 'search-dev')).toBe('deployed');
    expect(livePresence(live, 'billing-dev')).toBe('not-deployed');
  });

  it('apps on an unreachable cluster are unknown, not "not deployed"', () => {
    const set = preview.sets[0];
    if (!set) throw new Error('no set');
    const live = compareSetWithLive(
      set,
      { compared: true, apps: [app('catalog-dev'), app('search-dev')], unreachable: ['production'] },
      contextOf,
    );
    expect(live).toMatchObject({
      liveOnly: ['search-dev'],
      notDeployed: ['billing-dev'],
      unknown: ['billing-prod', 'catalog-prod', 'search-prod'],
    });
    expect(livePresence(live, 'catalog-prod')).toBe('unknown');
  });

  it('everything generated and deployed: no live difference; offline: not compared, with the reason', () => {
    const head = {
      ...preview,
      sets: preview.sets.map((s) => ({
        ...s,
        apps: s.apps.filter((a) => a.status !== 'added' && a.name !== 'search-dev'),
      })),
    };
    const all = head.sets[0]?.apps.map((a) => app(a.name)) ?? [];
    expect(all.map((a) => a.name)).toEqual(['catalog-dev', 'catalog-prod', 'search-prod']);
    const same = withLive(head, { compared: true, apps: all, unreachable: [] }, contextOf);
    expect(liveDiffers(same)).toBe(false);
    expect(liveDiffers(withLive(preview, { compared: true, apps: all, unreachable: [] }, contextOf))).toBe(
      true,
    );
    const offline = withLive(preview, { compared: false, reason: 'no kubeconfig' }, contextOf);
    expect(offline.live).toEqual({ compared: false, reason: 'no kubeconfig' });
    expect(offline.sets[0]?.live).toEqual({ compared: false, reason: 'no kubeconfig' });
    expect(liveDiffers(offline)).toBe(false);
    expect(livePresence(offline.sets[0]?.live, 'catalog-dev')).toBeUndefined();
  });
});
