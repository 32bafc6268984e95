import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Predictions } from '../../../src/engine/core/predictions.js';
import type { ClusterCache } from '../../../src/engine/live/cluster-cache.js';
import type { KubeObject } from '../../../src/engine/model/resource-key.js';

const dir = mkdtempSync(join(tmpdir(), 'bosun-predictions-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A cluster cache whose dry-run answers the desired object with a server-set field, counting calls. */
function fakeCache() {
  const calls: string[] = [];
  const cache = {
    context: 'dev',
    cluster: {
      apply: async (obj: KubeObject) => {
        calls.push(obj.metadata.name);
        return { ...obj, metadata: { ...obj.metadata, uid: 'server-set' } };
      },
    },
  } as unknown as ClusterCache;
  return { cache, calls };
}

const cm = (name: string, value: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'a' },
  data: { value },
});
const live = (uid: string, rv: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'one', namespace: 'a', uid, resourceVersion: rv },
});

describe('dry-run predictions', () => {
  it('a later process reuses an answer for the same desired object and the same live state only', async () => {
    const file = join(dir, 'p.json');
    const first = fakeCache();
    const a = new Predictions();
    await a.predictorFor(first.cache)(cm('one', 'x'), live('u1', '7'));
    a.save(file);

    const second = fakeCache();
    const b = new Predictions();
    b.load(file);
    const predict = b.predictorFor(second.cache);
    expect((await predict(cm('one', 'x'), live('u1', '7'))).predicted?.metadata.uid).toBe('server-set');
    expect(second.calls).toEqual([]);
    // The live object changed, was recreated, or Git changed: each is a new dry-run.
    await predict(cm('one', 'x'), live('u1', '8'));
    await predict(cm('one', 'x'), live('u2', '7'));
    await predict(cm('one', 'y'), live('u1', '7'));
    expect(second.calls).toEqual(['one', 'one', 'one']);
    expect(b.cached('dev', cm('one', 'x'), live('u1', '7'))).toBeDefined();
  });

  it('never writes a Secret to disk, and an unreadable file is an empty cache', async () => {
    const file = join(dir, 's.json');
    const { cache } = fakeCache();
    const p = new Predictions();
    const secret: KubeObject = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's', namespace: 'a' },
      data: { password: 'c2VjcmV0LXZhbHVl' },
    };
    await p.predictorFor(cache)(secret, live('u3', '1'));
    await p.predictorFor(cache)(cm('two', 'x'), live('u4', '1'));
    p.save(file);
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain('c2VjcmV0LXZhbHVl');
    expect(text).toContain('two');
    const q = new Predictions();
    q.load(join(dir, 'absent.json'));
    expect(q.cached('dev', cm('two', 'x'), live('u4', '1'))).toBeUndefined();
  });

  it('a dry-run of a create answers for ten minutes, in this process only', () => {
    const file = join(dir, 'prepared.json');
    let now = 1_000_000;
    const p = new Predictions(() => now);
    const created = { ...cm('new', 'x'), metadata: { ...cm('new', 'x').metadata, uid: 'server-set' } };
    expect(p.preparedCreate('dev', cm('new', 'x'))).toBe(false);
    p.preparedAs('dev', cm('new', 'x'), created);
    expect(p.preparedCreate('dev', cm('new', 'x'))).toBe(true);
    expect(p.cached('dev', cm('new', 'x'), undefined)).toEqual(created);
    // Another content, or another cluster, is another create.
    expect(p.cached('dev', cm('new', 'y'), undefined)).toBeUndefined();
    expect(p.cached('prod', cm('new', 'x'), undefined)).toBeUndefined();
    expect(p.preparedCount()).toBe(1);
    now += 10 * 60_000 - 1;
    expect(p.cached('dev', cm('new', 'x'), undefined)).toEqual(created);
    now += 1;
    expect(p.preparedCount()).toBe(0);
    expect(p.preparedCreate('dev', cm('new', 'x'))).toBe(false);
    expect(p.cached('dev', cm('new', 'x'), undefined)).toBeUndefined();
    // Never kept on disk: the next process has no live state to check it against.
    now -= 1;
    p.preparedAs('dev', cm('new', 'x'), created);
    p.applied('dev', cm('kept', 'x'), {
      ...live('u5', '3'),
      metadata: { ...live('u5', '3').metadata, name: 'kept' },
    });
    p.save(file);
    const q = new Predictions(() => now);
    q.load(file);
    expect(q.cached('dev', cm('new', 'x'), undefined)).toBeUndefined();
    expect(readFileSync(file, 'utf8')).not.toContain('|absent|');
  });

  it('what a real apply returned answers the next dry-run against that object, in this process and the next', async () => {
    const file = join(dir, 'a.json');
    const p = new Predictions();
    const result = { ...cm('one', 'x'), metadata: { ...live('u1', '9').metadata } };
    p.applied('dev', cm('one', 'x'), result);
    p.applied('dev', cm('two', 'x'), cm('two', 'x')); // no resourceVersion: names no state, not kept
    p.save(file);

    const next = fakeCache();
    const q = new Predictions();
    q.load(file);
    const predict = q.predictorFor(next.cache);
    expect((await predict(cm('one', 'x'), result)).predicted).toEqual(result);
    expect(next.calls).toEqual([]);
    // Anything else is asked again: another desired content, or the object changed after the apply.
    await predict(cm('one', 'y'), result);
    await predict(cm('one', 'x'), live('u1', '10'));
    expect(next.calls).toEqual(['one', 'one']);
    expect(q.cached('dev', cm('two', 'x'), undefined)).toBeUndefined();
  });
});
