/**
 * The watch stream is decoded as one: multi-byte UTF-8 characters split across two chunks of the real API
 * server's watch response arrive intact. Labels only allow ASCII, so the multi-byte text is in annotations:
 * 60 ConfigMaps, each with a long annotation (45 KB, more than a TLS record) of 2-, 3- and 4-byte characters, are changed out of band
 * after the engine's list, so every change comes through the watch stream (megabytes: chunks split inside
 * characters). The engine's diffs must show every new value exactly, with no replacement character.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BosunEngine, createEngine, realAdapters } from '../../src/engine/index.js';
import type { FixtureRepo } from '../fixtures/repos/index.js';
import { bosun, deleteNamespace, e2eEnv, eventually, kubectl } from './helpers.js';
import { deleteBosunRecords, inProcessEnv, syncRepo } from './sync-fixtures.js';

const app = 'watch-utf8';
const ns = 'e2e-watch-utf8';
const COUNT = 60;
const NOTE = 'bosun.dev/e2e-note';

/**
 * A long value of 2-, 3- and 4-byte characters (about 45 KB), distinct per object and version: each watch
 * event spans several TLS records (16 KB), so the client reads it in chunks that split characters.
 */
const note = (i: number, version: string) =>
  `${version}-${i}: ${'größe–日本語の文字–🚢⚓️–ñandú–'.repeat(900)}end-${i}`;

const configMap = (i: number, version: string) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: `utf8-${String(i).padStart(3, '0')}`, annotations: { [NOTE]: note(i, version) } },
  data: { i: String(i) },
});

describe('multi-byte characters through the real watch stream', () => {
  let repo: FixtureRepo;
  let engine: BosunEngine | undefined;

  beforeAll(async () => {
    await deleteNamespace(ns, ['dev']);
    deleteBosunRecords('dev', [app]);
    repo = await syncRepo('watch-utf8', {
      [app]: {
        namespace: ns,
        files: { 'config.yaml': Array.from({ length: COUNT }, (_, i) => configMap(i, 'git')) },
      },
    });
  });

  afterAll(async () => {
    await engine?.stop();
    await deleteNamespace(ns, ['dev']);
    deleteBosunRecords('dev', [app]);
    await repo?.cleanup();
  });

  it('every out-of-band value arrives intact through the watch', { timeout: 300_000 }, async () => {
    const s = await bosun(['sync', app, '--repo', repo.work, '--yes'], { env: e2eEnv(), timeoutMs: 170_000 });
    expect(s.code, s.stderr).toBe(0);

    const { cacheDir, kubeconfig } = inProcessEnv();
    engine = createEngine({ repoPath: repo.work, kubeconfig, contexts: ['dev'], cacheDir }, realAdapters());
    await engine.start();
    const e = engine;
    const state = () => e.getSnapshot().apps.find((a) => a.name === app);
    await eventually('the app Synced after the list', () => state()?.sync === 'Synced', 120_000);

    // Changed after the engine listed: these objects reach it only through the watch stream.
    // Only the annotation, by another field manager: bosun's tracking id stays, the note differs from Git.
    const list = {
      apiVersion: 'v1',
      kind: 'List',
      items: Array.from({ length: COUNT }, (_, i) => {
        const { metadata } = configMap(i, 'live');
        return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { ...metadata, namespace: ns } };
      }),
    };
    kubectl(
      'dev',
      ['apply', '--server-side', '--force-conflicts', '--field-manager', 'e2e-out-of-band', '-f', '-'],
      JSON.stringify(list),
    );

    await eventually(
      'every ConfigMap OutOfSync through the watch',
      () => state()?.resources.filter((r) => r.sync === 'OutOfSync').length === COUNT,
      180_000,
    );
    const diffs = await e.diff(app);
    expect(diffs).toHaveLength(COUNT);
    const broken: string[] = [];
    for (const d of diffs) {
      const i = Number(d.key.name.slice('utf8-'.length));
      if (d.text.includes('\uFFFD') || !d.text.includes(note(i, 'live'))) broken.push(d.key.name);
    }
    expect(broken).toEqual([]);
  });
});
