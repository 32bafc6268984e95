import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { holderIdentity, identity, personOf } from '../../../src/engine/history/identity.js';
import { appendJournal, journalPath, readJournal } from '../../../src/engine/history/journal.js';
import {
  acquireLease,
  clockTime,
  LeaseHeldError,
  leaseKey,
  readLease,
} from '../../../src/engine/history/lease.js';
import {
  inventoryKinds,
  inventoryOf,
  markInterrupted,
  newOperationId,
  type OperationRecord,
  summarizeTasks,
  toOperationSummary,
  upsertRecord,
} from '../../../src/engine/history/records.js';
import { HistoryStore, historyKey } from '../../../src/engine/history/store.js';
import type { PlanTask } from '../../../src/engine/types.js';
import { FakeClock, FakePort } from '../sync/fakes.js';

function record(i: number, over: Partial<OperationRecord> = {}): OperationRecord {
  return {
    id: `op-${i}`,
    app: 'shop',
    kind: 'sync',
    revision: `rev${i}`,
    initiator: 'alice@bastion-2',
    startedAt: new Date(Date.UTC(2025, 0, 1, 0, i)).toISOString(),
    phase: 'Succeeded',
    message: 'ok',
    tasks: summarizeTasks([]),
    ...over,
  };
}

describe('records', () => {
  it('keeps the last 10, replacing by id', () => {
    let rs: OperationRecord[] = [];
    for (let i = 0; i < 13; i++) rs = upsertRecord(rs, record(i));
    expect(rs.map((r) => r.id)).toEqual([
      'op-3',
      'op-4',
      'op-5',
      'op-6',
      'op-7',
      'op-8',
      'op-9',
      'op-10',
      'op-11',
      'op-12',
    ]);
    rs = upsertRecord(rs, record(12, { phase: 'Failed' }));
    expect(rs).toHaveLength(10);
    expect(rs.at(-1)?.phase).toBe('Failed');
  });

  it('marks a Running record whose lease expired as Interrupted', () => {
    const now = Date.UTC(2025, 0, 1, 1, 0);
    const running = record(1, { phase: 'Running', message: 'wave 2' });
    const live = {
      holder: 'alice@b pid=1',
      renewedAt: now - 5_000,
      durationSeconds: 30,
      operationId: 'op-1',
    };
    expect(markInterrupted([running], live, now)[0]?.phase).toBe('Running');
    const expired = { ...live, renewedAt: now - 31_000 };
    const out = markInterrupted([running, record(2)], expired, now);
    expect(out[0]?.phase).toBe('Interrupted');
    expect(out[0]?.message).toMatch(
      /^interrupted: its console stopped renewing lease at .*\(last known: wave 2\)$/,
    );
    expect(out[0]?.finishedAt).toBe(new Date(now).toISOString());
    expect(out[1]?.phase).toBe('Succeeded');
    expect(markInterrupted([running], undefined, now)[0]?.phase).toBe('Interrupted');
    expect(markInterrupted([running], { ...live, operationId: 'op-9' }, now)[0]?.phase).toBe('Interrupted');
  });

  it('summarises tasks, failures first when capped', () => {
    const t = (name: string, status: PlanTask['status'], action: PlanTask['action'] = 'apply'): PlanTask => ({
      key: { group: '', kind: 'ConfigMap', namespace: 'shop', name },
      phase: 'Sync',
      wave: 0,
      action,
      status,
    });
    const s = summarizeTasks(
      [t('a', 'Succeeded'), t('b', 'Skipped'), t('c', 'Failed'), t('d', 'Succeeded', 'prune')],
      2,
    );
    expect(s).toMatchObject({ total: 4, succeeded: 2, failed: 1, skipped: 1, pruned: 1, omitted: 2 });
    expect(s.resources.map((r) => r.key)).toEqual(['/ConfigMap/shop/a', '/ConfigMap/shop/c']);
    expect(toOperationSummary(record(1))).toMatchObject({
      id: 'op-1',
      phase: 'Succeeded',
      initiator: 'alice@bastion-2',
    });
    expect(newOperationId(1000, () => 0.5)).toMatch(/^rs-[0-9a-z]{6}$/);
  });

  it('keeps an inventory of what a sync applied or left live, not of hooks or what it pruned', () => {
    const t = (
      kind: string,
      name: string,
      action: PlanTask['action'],
      status: PlanTask['status'],
      group = '',
    ): PlanTask => ({
      key: { group, kind, namespace: 'shop', name },
      phase: 'Sync',
      wave: 0,
      action,
      status,
    });
    const inv = inventoryOf([
      t('Deployment', 'web', 'apply', 'Succeeded', 'apps'),
      t('ConfigMap', 'left', 'skip', 'Skipped'),
      t('CronJob', 'gone', 'prune', 'Succeeded', 'batch'),
      t('Secret', 'stuck', 'prune', 'Failed'),
      t('Job', 'migrate', 'hook', 'Succeeded', 'batch'),
    ]);
    expect(inv.kinds).toEqual(['/ConfigMap', '/Secret', 'apps/Deployment']);
    expect(inv.keys).toEqual(['/ConfigMap/shop/left', '/Secret/shop/stuck', 'apps/Deployment/shop/web']);
    const capped = inventoryOf(
      [t('ConfigMap', 'a', 'apply', 'Succeeded'), t('ConfigMap', 'b', 'apply', 'Succeeded')],
      1,
    );
    expect(capped).toEqual({ kinds: ['/ConfigMap'], keys: ['/ConfigMap/shop/a'], omitted: 1 });
  });

  it('names the kinds of every record: inventories, and the results of records written before them', () => {
    const withInventory = record(1, { inventory: { kinds: ['batch/CronJob'], keys: [] } });
    const older = record(2, {
      tasks: {
        ...summarizeTasks([]),
        resources: [
          { key: '/ConfigMap/shop/a', phase: 'Sync', action: 'apply', status: 'Succeeded' },
          { key: 'batch/Job/shop/hook', phase: 'PreSync', action: 'hook', status: 'Succeeded' },
          { key: 'not-a-key', phase: 'Sync', action: 'apply', status: 'Succeeded' },
        ],
      },
    });
    expect(inventoryKinds([withInventory, older])).toEqual([
      { group: '', kind: 'ConfigMap' },
      { group: 'batch', kind: 'CronJob' },
    ]);
  });
});

describe('HistoryStore', () => {
  it('writes ConfigMap bosun-history-<app> in bosun-system, creating the namespace', async () => {
    const port = new FakePort();
    const store = new HistoryStore(port);
    for (let i = 0; i < 12; i++) await store.put(record(i));
    expect(port.objects.has('/Namespace//bosun-system')).toBe(true);
    const cm = port.objects.get('/ConfigMap/bosun-system/bosun-history-shop');
    expect(JSON.parse((cm?.data as Record<string, string> | undefined)?.operations ?? '[]')).toHaveLength(10);
    const list = await store.list('shop');
    expect(list.map((r) => r.id).at(-1)).toBe('op-11');
    expect(historyKey('shop').name).toBe('bosun-history-shop');
  });

  it('retries on a resourceVersion conflict', async () => {
    const port = new FakePort();
    const store = new HistoryStore(port);
    await store.put(record(1));
    const orig = port.get.bind(port);
    let raced = false;
    port.get = async (key) => {
      const got = await orig(key);
      if (!raced && key.kind === 'ConfigMap') {
        raced = true;
        port.seed({ ...got!, data: { operations: JSON.stringify([record(0)]) } }); // someone else wrote meanwhile
      }
      return got;
    };
    const out = await store.put(record(2));
    expect(out.map((r) => r.id)).toEqual(['op-0', 'op-2']);
  });
});

describe('lease', () => {
  it('refuses a second console with the holder identity, lets the holder renew and release', async () => {
    const clock = new FakeClock();
    const port = new FakePort(clock);
    const first = await acquireLease(port, {
      app: 'shop',
      holder: 'alice@bastion-2 pid=41',
      clock,
      operationId: 'op-1',
    });
    const since = clock.now();
    clock.t += 5_000;
    const err = await acquireLease(port, { app: 'shop', holder: 'bob@bastion-1 pid=7', clock }).catch(
      (e) => e,
    );
    expect(err).toBeInstanceOf(LeaseHeldError);
    expect(err.message).toBe(
      `sync of shop is held by alice@bastion-2 since ${clockTime(since)} (lease bosun-sync-shop)`,
    );
    await first.renew();
    const lease = readLease(port.objects.get('coordination.k8s.io/Lease/bosun-system/bosun-sync-shop'));
    expect(lease).toMatchObject({
      holder: 'alice@bastion-2 pid=41',
      durationSeconds: 30,
      operationId: 'op-1',
    });
    expect(port.objects.get('coordination.k8s.io/Lease/bosun-system/bosun-sync-shop')?.spec).toMatchObject({
      renewTime: new Date(clock.now()).toISOString().replace('Z', '000Z'),
    });
    await first.release();
    const second = await acquireLease(port, { app: 'shop', holder: 'bob@bastion-1 pid=7', clock });
    expect(second.info.holder).toBe('bob@bastion-1 pid=7');
    expect(leaseKey('shop').name).toBe('bosun-sync-shop');
  });

  it('takes over an expired lease; the old holder learns it lost it', async () => {
    const clock = new FakeClock();
    const port = new FakePort(clock);
    const first = await acquireLease(port, { app: 'shop', holder: 'alice@b pid=1', clock });
    clock.t += 31_000;
    const second = await acquireLease(port, { app: 'shop', holder: 'bob@c pid=2', clock });
    expect(second.info.holder).toBe('bob@c pid=2');
    await expect(first.renew()).rejects.toThrow(/held by bob@c/);
  });

  it('renews in the background until released', async () => {
    const clock = new FakeClock();
    const port = new FakePort(clock);
    const lease = await acquireLease(port, { app: 'shop', holder: 'alice@b pid=1', clock });
    lease.startRenewing(clock);
    for (let i = 0; i < 10; i++) await new Promise((r) => setImmediate(r));
    await lease.release();
    const renewals = port.mutations().filter((c) => c.key.includes('Lease'));
    expect(renewals.length).toBeGreaterThan(2);
    expect(clock.sleeps.every((ms) => ms === 10_000)).toBe(true);
  });
});

describe('journal and identity', () => {
  let dir = '';
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('appends JSON lines under XDG_STATE_HOME without secret values', async () => {
    dir = await mkdtemp(join(tmpdir(), 'bosun-journal-'));
    const env = { XDG_STATE_HOME: dir, HOME: '/nonexistent' };
    expect(journalPath(env)).toBe(join(dir, 'bosun', 'audit.log'));
    const base = { identity: 'alice@bastion-2', app: 'shop', context: 'prod', revision: 'abc' };
    await appendJournal(
      { ...base, action: 'sync', result: 'Succeeded', time: '2025-01-01T00:00:00.000Z' },
      { env },
    );
    await appendJournal(
      {
        ...base,
        action: 'adopt',
        result: 'Succeeded',
        details: {
          object: { kind: 'Secret', data: { password: 'aHVudGVyMg==' }, stringData: { token: 'x' } },
        },
      },
      { env, now: () => Date.UTC(2025, 0, 1, 0, 1) },
    );
    const text = await readFile(journalPath(env), 'utf8');
    expect(text.split('\n').filter(Boolean)).toHaveLength(2);
    expect(text).not.toContain('aHVudGVyMg==');
    const entries = await readJournal(journalPath(env));
    expect(entries[0]).toMatchObject({
      action: 'sync',
      result: 'Succeeded',
      identity: 'alice@bastion-2',
      time: '2025-01-01T00:00:00.000Z',
    });
    expect(entries[1]?.details).toEqual({
      object: { kind: 'Secret', data: { password: '********' }, stringData: { token: '********' } },
    });
    expect(entries[1]?.time).toBe('2025-01-01T00:01:00.000Z');
    expect((await stat(journalPath(env))).mode & 0o777).toBe(0o600);
    expect(await readJournal(join(dir, 'missing.log'))).toEqual([]);
  });

  it('identity is user@host; BOSUN_USER overrides', () => {
    expect(identity({ BOSUN_USER: 'carol' }, 'bastion-9.example.com')).toBe('carol@bastion-9');
    expect(identity({ BOSUN_USER: 'dave@laptop' }, 'x')).toBe('dave@laptop');
    expect(identity({}, 'h')).toMatch(/^.+@h$/);
    expect(personOf(holderIdentity({ BOSUN_USER: 'e@f' }, 12))).toBe('e@f');
  });
});
