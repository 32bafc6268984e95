/**
 * Sync preparation of a long-running engine (console, watch) against the real control plane: the
 * objects it sees Missing are dry-run in the background, so the sync sends only its applies; a create
 * the server refuses is not prepared, so the sync's pre-flight still stops before anything is applied;
 * a command's engine (no preparation) sends no dry-run it does not need.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type BosunEngine,
  createEngine,
  type EngineAdapters,
  type EngineOptions,
  realAdapters,
} from '../../src/engine/index.js';
import type { FixtureRepo } from '../fixtures/repos/index.js';
import { deleteNamespace, kubectl } from './helpers.js';
import { configMap, deleteBosunRecords, exists, inProcessEnv, syncRepo, task } from './sync-fixtures.js';

/** The real adapters, with every dry-run apply recorded by object name. */
function countingAdapters(dryRuns: string[]): EngineAdapters {
  const real = realAdapters();
  return {
    ...real,
    kube: {
      loadContexts: (o) => real.kube.loadContexts(o),
      connect: (c) => {
        const cluster = real.kube.connect(c);
        const apply = cluster.apply.bind(cluster);
        cluster.apply = (obj, o) => {
          if (o?.dryRun) dryRuns.push(obj.metadata.name);
          return apply(obj, o);
        };
        return cluster;
      },
    },
  };
}

describe('a long-running engine prepares syncs', () => {
  let repo: FixtureRepo;
  const engines: BosunEngine[] = [];
  const [good, bad] = ['prep-good', 'prep-bad'];
  const [goodNs, badNs] = ['e2e-prep-good', 'e2e-prep-bad'];
  const names = ['one', 'two', 'three'];

  const start = async (dryRuns: string[], opts: Partial<EngineOptions>) => {
    const { cacheDir, kubeconfig } = inProcessEnv();
    const engine = createEngine(
      { repoPath: repo.work, kubeconfig, contexts: ['dev'], cacheDir, fetch: false, ...opts },
      countingAdapters(dryRuns),
    );
    engines.push(engine);
    await engine.start();
    return engine;
  };

  beforeAll(async () => {
    // The namespaces exist: every object is a plain create the server can dry-run now.
    for (const ns of [goodNs, badNs]) kubectl('dev', ['create', 'namespace', ns]);
    repo = await syncRepo('prep', {
      [good]: { namespace: goodNs, files: { 'cms.yaml': names.map((n) => configMap(n, { k: n })) } },
      [bad]: {
        namespace: badNs,
        files: {
          'ok.yaml': configMap('ok-config', { k: 'v' }),
          'bad.yaml': { ...configMap('bad-field'), spec: { unknown: true } },
        },
      },
    });
  });
  afterAll(async () => {
    for (const e of engines) await e.stop();
    await deleteNamespace(goodNs, ['dev']);
    await deleteNamespace(badNs, ['dev']);
    deleteBosunRecords('dev', [good, bad]);
    await repo?.cleanup();
  });

  it('a command engine sends no dry-run for objects that do not exist', async () => {
    const dryRuns: string[] = [];
    const engine = await start(dryRuns, {});
    await engine.settled();
    expect(engine.getSnapshot().apps.find((a) => a.name === good)?.sync).toBe('OutOfSync');
    expect(dryRuns).toEqual([]);
  });

  it('dry-runs the Missing objects in the background; the sync then sends only the applies', async () => {
    const dryRuns: string[] = [];
    const engine = await start(dryRuns, { prepareSyncs: true });
    await engine.settled();
    expect(dryRuns.filter((n) => names.includes(n)).sort()).toEqual([...names].sort());
    expect(names.some((n) => exists('dev', goodNs, `cm/${n}`))).toBe(false);

    dryRuns.length = 0;
    const r = await engine.sync(good);
    expect(r.phase, r.message).toBe('Succeeded');
    // (CreateNamespace=true: the Namespace task, not an object of the app's, is still dry-run at sync.)
    expect(dryRuns.filter((n) => n !== goodNs)).toEqual([]);
    for (const n of names) {
      expect(task(r, 'ConfigMap', n)?.status).toBe('Succeeded');
      expect(exists('dev', goodNs, `cm/${n}`)).toBe(true);
    }
  });

  it('a create the server refuses is not prepared: the pre-flight stops the sync before anything is applied', async () => {
    const dryRuns: string[] = [];
    const engine = await start(dryRuns, { prepareSyncs: true });
    await engine.settled();
    // Both were dry-run ahead; only the accepted one is kept.
    expect(dryRuns).toEqual(expect.arrayContaining(['ok-config', 'bad-field']));

    dryRuns.length = 0;
    const r = await engine.sync(bad);
    expect(r.phase).toBe('Failed');
    expect(r.message).toMatch(/^dry run failed: /);
    expect(task(r, 'ConfigMap', 'bad-field')?.message).toMatch(/field not declared in schema/);
    expect(task(r, 'ConfigMap', 'ok-config')?.status).toBe('Skipped');
    // The refusal came from the server at sync time, and the prepared one was not sent again.
    expect(dryRuns.filter((n) => n !== badNs)).toEqual(['bad-field']);
    expect(exists('dev', badNs, 'cm/ok-config')).toBe(false);
  });
});
