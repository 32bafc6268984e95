/**
 * Optimistic concurrency against the real API server: lease takeover and history writes carry the
 * resourceVersion they read (a race loses with 409 and retries from a fresh read), and prune deletes carry
 * uid + resourceVersion preconditions (an object replaced after bosun read it is not deleted).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HISTORY_LIMIT, parseRecords } from '../../src/engine/history/index.js';
import { KubeCluster } from '../../src/engine/kube/cluster.js';
import { loadContexts } from '../../src/engine/kube/kubeconfig.js';
import type { KubeObject } from '../../src/engine/model/index.js';
import { type GateContext, pruneTask } from '../../src/engine/sync/gate.js';
import type { SyncTask } from '../../src/engine/sync/plan-types.js';
import { systemClock } from '../../src/engine/sync/step.js';
import { deleteNamespace, e2eEnv, eventually, kubectl } from './helpers.js';

const root = resolve(import.meta.dirname, '../..');
const worker = join(root, 'test/e2e/workers/race-worker.ts');
const tsx = join(root, 'node_modules/.bin/tsx');

type Line = Record<string, unknown>;

/** A worker process and the JSON lines it printed. */
function startWorker(args: string[]): {
  child: ChildProcess;
  lines: Line[];
  stderr: () => string;
  exited: Promise<number | null>;
} {
  const child = spawn(tsx, [worker, ...args], { env: e2eEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
  const lines: Line[] = [];
  let buf = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => {
    buf += d.toString();
    for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
      lines.push(JSON.parse(buf.slice(0, i)) as Line);
      buf = buf.slice(i + 1);
    }
  });
  child.stderr?.on('data', (d: Buffer) => {
    err += d.toString();
  });
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return { child, lines, stderr: () => err, exited };
}

/** Starts the workers, waits until each is ready, then releases them at one instant. */
async function race(argsOf: string[][]): Promise<Line[][]> {
  const ws = argsOf.map(startWorker);
  await eventually(
    'workers ready',
    () => ws.every((w) => w.lines.some((l) => l.ready === true) || w.child.exitCode !== null),
    120_000,
  );
  const at = Date.now() + 500;
  for (const w of ws) w.child.stdin?.end(`go ${at}\n`);
  const codes = await Promise.all(ws.map((w) => w.exited));
  codes.forEach((code, i) => {
    expect(ws[i]!.stderr(), `worker ${i} stderr`).toBe('');
    expect(code, `worker ${i} exit code`).toBe(0);
  });
  return ws.map((w) => w.lines);
}

const longAgo = () => new Date(Date.now() - 3600_000).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');

function deleteBosunObjects(selector: string): void {
  for (const kind of ['lease', 'configmap']) {
    try {
      kubectl('dev', ['-n', 'bosun-system', 'delete', kind, '-l', selector, '--ignore-not-found']);
    } catch {
      /* ignore */
    }
  }
}

describe('lease takeover races (two processes)', () => {
  const rounds = 50;
  const prefix = `race-lease-${process.pid}`;
  beforeAll(() => {
    const docs = Array.from({ length: rounds }, (_, i) =>
      JSON.stringify({
        apiVersion: 'coordination.k8s.io/v1',
        kind: 'Lease',
        metadata: {
          name: `bosun-sync-${prefix}-${i}`,
          namespace: 'bosun-system',
          labels: { 'bosun.dev/race': prefix },
        },
        spec: {
          holderIdentity: 'ghost@gone pid=1',
          leaseDurationSeconds: 30,
          acquireTime: longAgo(),
          renewTime: longAgo(),
        },
      }),
    );
    try {
      kubectl('dev', ['create', 'namespace', 'bosun-system']);
    } catch {
      /* exists */
    }
    kubectl(
      'dev',
      ['apply', '-f', '-'],
      JSON.stringify({ apiVersion: 'v1', kind: 'List', items: docs.map((d) => JSON.parse(d)) }),
    );
  });
  afterAll(() => deleteBosunObjects(`bosun.dev/race=${prefix}`));

  it('exactly one of two processes takes over each expired lease, 50 times', async () => {
    const [a, b] = await race([
      ['lease', 'dev', 'alice@bastion-1 pid=1', String(rounds), '250', prefix],
      ['lease', 'dev', 'bob@bastion-2 pid=2', String(rounds), '250', prefix],
    ]);
    const wins = (lines: Line[] | undefined) =>
      new Set((lines ?? []).filter((l) => l.won === true).map((l) => Number(l.round)));
    const wa = wins(a);
    const wb = wins(b);
    const both = [...wa].filter((r) => wb.has(r));
    const neither = Array.from({ length: rounds }, (_, i) => i).filter((r) => !wa.has(r) && !wb.has(r));
    expect(both, 'rounds both processes believe they won').toEqual([]);
    expect(neither, 'rounds nobody won').toEqual([]);
    // The lease in the cluster names the one winner of each round.
    for (let i = 0; i < rounds; i++) {
      const holder = kubectl('dev', [
        '-n',
        'bosun-system',
        'get',
        'lease',
        `bosun-sync-${prefix}-${i}`,
        '-o',
        'jsonpath={.spec.holderIdentity}',
      ]);
      expect(holder).toBe(wa.has(i) ? 'alice@bastion-1 pid=1' : 'bob@bastion-2 pid=2');
    }
  }, 300_000);
});

describe('history appends race (two processes)', () => {
  const app = `race-history-${process.pid}`;
  const history = (name: string) =>
    parseRecords(
      JSON.parse(
        kubectl('dev', ['-n', 'bosun-system', 'get', 'configmap', `bosun-history-${name}`, '-o', 'json']),
      ) as KubeObject,
    );
  afterAll(() => {
    for (const name of [`${app}-all`, `${app}-kept`]) {
      try {
        kubectl('dev', [
          '-n',
          'bosun-system',
          'delete',
          'configmap',
          `bosun-history-${name}`,
          '--ignore-not-found',
        ]);
      } catch {
        /* ignore */
      }
    }
  });

  it('keeps every one of 2 × 100 records when the limit allows them all', async () => {
    await race([
      ['history', 'dev', 'alice', '100', `${app}-all`, '1000'],
      ['history', 'dev', 'bob', '100', `${app}-all`, '1000'],
    ]);
    const ids = new Set(history(`${app}-all`).map((r) => r.id));
    const missing = ['alice', 'bob'].flatMap((w) =>
      Array.from({ length: 100 }, (_, i) => `${w}-${i}`).filter((id) => !ids.has(id)),
    );
    expect(missing).toEqual([]);
    expect(ids.size).toBe(200);
  }, 300_000);

  it('with the retention rule, keeps exactly the newest records of both writers', async () => {
    const [a, b] = await race([
      ['history', 'dev', 'alice', '100', `${app}-kept`, String(HISTORY_LIMIT)],
      ['history', 'dev', 'bob', '100', `${app}-kept`, String(HISTORY_LIMIT)],
    ]);
    const written = [...(a ?? []), ...(b ?? [])].filter((l) => typeof l.startedAt === 'string');
    expect(written).toHaveLength(200);
    const newest = written
      .map((l) => ({ id: String(l.id), startedAt: String(l.startedAt) }))
      .sort((x, y) => x.startedAt.localeCompare(y.startedAt))
      .slice(-HISTORY_LIMIT)
      .map((r) => r.id);
    expect(history(`${app}-kept`).map((r) => r.id)).toEqual(newest);
  }, 300_000);
});

describe('prune preconditions (uid + resourceVersion)', () => {
  const ns = `e2e-precond-${process.pid}`;
  const tracking = `precond:/ConfigMap:${ns}/victim`;
  let cluster: KubeCluster;
  const cm = (data: Record<string, string>, trackingId = tracking) =>
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'victim', namespace: ns, annotations: { 'bosun.dev/tracking-id': trackingId } },
      data,
    });
  const read = async () => cluster.get({ group: '', kind: 'ConfigMap', namespace: ns, name: 'victim' }, 'v1');
  const task = (live: KubeObject): SyncTask => ({
    id: 'prune-victim',
    key: { group: '', kind: 'ConfigMap', namespace: ns, name: 'victim' },
    phase: 'Sync',
    wave: 0,
    action: 'prune',
    step: 0,
    kindOrder: 0,
    apiVersion: 'v1',
    validate: true,
    live,
    prune: { last: false, propagation: 'Foreground' },
  });
  const gate = (): GateContext => ({
    port: cluster,
    clock: systemClock,
    concurrency: 2,
    waitTimeoutMs: 10_000,
    pollMs: 200,
    crdKinds: new Set(),
    update: (t, patch) => Object.assign(t, patch),
    pause: (ms) => systemClock.sleep(ms),
  });

  beforeAll(() => {
    kubectl('dev', ['create', 'namespace', ns]);
    const ctx = loadContexts({ kubeconfig: e2eEnv().KUBECONFIG ?? '', contexts: ['dev'] }).contexts[0];
    if (!ctx) throw new Error('no dev context');
    cluster = new KubeCluster(ctx);
  });
  afterAll(async () => {
    cluster?.close();
    await deleteNamespace(ns, ['dev']);
  });

  it('does not delete an object replaced (same name, new uid) after bosun read it', async () => {
    kubectl('dev', ['apply', '-f', '-'], cm({ v: 'old' }));
    const seen = await read();
    expect(seen).toBeDefined();
    kubectl('dev', ['-n', ns, 'delete', 'configmap', 'victim']);
    kubectl(
      'dev',
      ['apply', '-f', '-'],
      cm({ v: 'someone else made this' }, 'other-app:/ConfigMap:x/victim'),
    );
    const t = task(seen!);
    await pruneTask(gate(), t);
    expect(t.status).toBe('Skipped');
    expect(t.message).toMatch(/replaced since bosun read it/);
    expect((await read())?.data).toEqual({ v: 'someone else made this' });
  });

  it('does not delete an object whose tracking id changed after bosun read it', async () => {
    kubectl('dev', ['apply', '-f', '-'], cm({ v: 'old' }));
    const seen = await read();
    kubectl('dev', [
      '-n',
      ns,
      'annotate',
      '--overwrite',
      'configmap',
      'victim',
      'bosun.dev/tracking-id=other-app:/ConfigMap:x/victim',
    ]);
    const t = task(seen!);
    await pruneTask(gate(), t);
    expect(t.status).toBe('Skipped');
    expect(t.message).toMatch(/tracking id changed/);
    expect(await read()).toBeDefined();
  });

  it('still prunes an object that only changed otherwise (re-read, still ours)', async () => {
    kubectl('dev', ['-n', ns, 'delete', 'configmap', 'victim', '--ignore-not-found']);
    kubectl('dev', ['apply', '-f', '-'], cm({ v: 'old' }));
    const seen = await read();
    kubectl('dev', ['-n', ns, 'label', 'configmap', 'victim', 'touched=yes']);
    const t = task(seen!);
    await pruneTask(gate(), t);
    expect(t.status).toBe('Succeeded');
    expect(t.message).toBe('pruned');
    // Foreground deletion: the garbage collector removes the object once its dependents are gone.
    await eventually('the pruned object is gone', async () => (await read()) === undefined, 60_000);
  });
});
