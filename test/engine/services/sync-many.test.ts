import { describe, expect, it } from 'vitest';
import { forEachPerKey } from '../../../src/engine/core/pool.js';
import { PolicyRefusal } from '../../../src/engine/core/refusal.js';
import type { AppState } from '../../../src/engine/model/app.js';
import { RefusalCode } from '../../../src/engine/policy/index.js';
import {
  batchPhrase,
  planSyncMany,
  type SyncManyHost,
  syncMany,
} from '../../../src/engine/services/sync-many.js';
import type {
  EngineSnapshot,
  OperationResult,
  SyncManyEvent,
  SyncOptions,
  SyncPlanView,
} from '../../../src/engine/types.js';

const tick = () => new Promise((r) => setTimeout(r, 0));

/** A minimal app: its name, destination context and the policy's decision. */
function app(
  name: string,
  context: string,
  opts: { production?: boolean; readOnly?: boolean } = {},
): AppState {
  return {
    name,
    context,
    sync: 'OutOfSync',
    policy: {
      production: opts.production ?? false,
      confirm: opts.production ? ['sync', 'promote', 'revert'] : [],
      confirmName: name,
      ...(opts.readOnly
        ? { readOnly: { code: 'cluster-read-only', reason: `${context} is read-only` } }
        : {}),
    },
  } as unknown as AppState;
}

/**
 * An engine double whose syncs wait until released one by one, recording what ran, when, with what
 * options, and how many ran at once per context.
 */
class Host implements SyncManyHost {
  readonly started: string[] = [];
  readonly options = new Map<string, SyncOptions | undefined>();
  readonly peak = new Map<string, number>();
  private readonly inFlight = new Map<string, number>();
  private readonly waiting: (() => void)[] = [];
  readonly failures = new Map<string, Error>();
  readonly refusals = new Map<string, string[]>();
  constructor(readonly apps: AppState[]) {}
  getSnapshot(): EngineSnapshot {
    return { apps: this.apps } as unknown as EngineSnapshot;
  }
  async planSync(name: string, opts?: SyncOptions): Promise<SyncPlanView> {
    const a = this.apps.find((x) => x.name === name);
    return {
      app: name,
      context: a?.context ?? '',
      revision: 'abc1234',
      tasks: [],
      refusals: this.refusals.get(name) ?? [],
      warnings: [],
      options: opts ?? {},
    };
  }
  async sync(name: string, opts?: SyncOptions): Promise<OperationResult> {
    const ctx = this.apps.find((x) => x.name === name)?.context ?? '';
    this.started.push(name);
    this.options.set(name, opts);
    this.inFlight.set(ctx, (this.inFlight.get(ctx) ?? 0) + 1);
    this.peak.set(ctx, Math.max(this.peak.get(ctx) ?? 0, this.inFlight.get(ctx) ?? 0));
    await new Promise<void>((r) => this.waiting.push(r));
    this.inFlight.set(ctx, (this.inFlight.get(ctx) ?? 1) - 1);
    const failure = this.failures.get(name);
    if (failure) throw failure;
    return { id: `op-${name}`, phase: 'Succeeded', message: 'synced', tasks: [], startedAt: '' };
  }
  /** Releases the syncs waiting, one per turn, until `done` settles. */
  async drain(done: Promise<unknown>): Promise<void> {
    let settled = false;
    done.then(
      () => (settled = true),
      () => (settled = true),
    );
    while (!settled) {
      this.waiting.shift()?.();
      await tick();
    }
  }
}

describe('forEachPerKey', () => {
  it('runs keys side by side, at most `limit` per key, each key in its order; a failure stops nothing', async () => {
    const items = ['a1', 'a2', 'a3', 'a4', 'a5', 'b1', 'b2', 'c1'];
    const started: string[] = [];
    const release: (() => void)[] = [];
    const inFlight = new Map<string, number>();
    const peak = new Map<string, number>();
    const done = forEachPerKey(items, { key: (i) => i[0] ?? '', limit: 2 }, async (i) => {
      const k = i[0] ?? '';
      started.push(i);
      inFlight.set(k, (inFlight.get(k) ?? 0) + 1);
      peak.set(k, Math.max(peak.get(k) ?? 0, inFlight.get(k) ?? 0));
      await new Promise<void>((r) => release.push(r));
      inFlight.set(k, (inFlight.get(k) ?? 1) - 1);
      if (i === 'a2') throw new Error('boom');
    });
    await tick();
    // Every key started at once: two of a, both of b, c's one.
    expect([...started].sort()).toEqual(['a1', 'a2', 'b1', 'b2', 'c1']);
    while (started.length < items.length || release.length > 0) {
      release.shift()?.();
      await tick();
    }
    await done;
    expect(started.filter((s) => s.startsWith('a'))).toEqual(['a1', 'a2', 'a3', 'a4', 'a5']);
    expect(Object.fromEntries(peak)).toEqual({ a: 2, b: 2, c: 1 });
  });
});

describe('syncMany', () => {
  const fleet = () => [
    app('a1', 'dev'),
    app('a2', 'dev'),
    app('a3', 'dev'),
    app('a4', 'dev'),
    app('b1', 'staging'),
    app('b2', 'staging'),
  ];

  it('bounds the apps in flight per cluster, starts each cluster in order, and returns results in the order named', async () => {
    const host = new Host(fleet());
    const names = ['b2', 'a1', 'a2', 'b1', 'a3', 'a4'];
    const done = syncMany(host, names, { perCluster: 2 });
    await tick();
    expect([...host.started].sort()).toEqual(['a1', 'a2', 'b1', 'b2']);
    await host.drain(done);
    const items = await done;
    expect(items.map((i) => i.app)).toEqual(names);
    expect(items.every((i) => i.phase === 'Succeeded')).toBe(true);
    expect(Object.fromEntries(host.peak)).toEqual({ dev: 2, staging: 2 });
    expect(host.started.filter((s) => s.startsWith('a'))).toEqual(['a1', 'a2', 'a3', 'a4']);
    expect(host.started.filter((s) => s.startsWith('b'))).toEqual(['b2', 'b1']);
  });

  it('isolates failures: an error and a refusal end their app, every other app still syncs', async () => {
    const host = new Host(fleet());
    host.failures.set('a2', new Error('the cluster said no\nstack…'));
    host.failures.set('b1', new PolicyRefusal('bosun-sync-b1 is held by ops@bastion', RefusalCode.LeaseHeld));
    const events: SyncManyEvent[] = [];
    const done = syncMany(host, ['a1', 'a2', 'a3', 'b1', 'b2'], {
      perCluster: 1,
      onProgress: (e) => events.push(e),
    });
    await host.drain(done);
    const items = await done;
    expect(items.map((i) => [i.app, i.phase, i.code ?? ''])).toEqual([
      ['a1', 'Succeeded', ''],
      ['a2', 'Error', ''],
      ['a3', 'Succeeded', ''],
      ['b1', 'Refused', 'lease-held'],
      ['b2', 'Succeeded', ''],
    ]);
    expect(items[1]?.message).toBe('the cluster said no');
    // Each app started once and finished once, started before finished.
    for (const n of ['a1', 'a2', 'a3', 'b1', 'b2']) {
      const s = events.findIndex((e) => e.type === 'started' && e.app === n);
      const f = events.findIndex((e) => e.type === 'finished' && e.item.app === n);
      expect(s, n).toBeGreaterThanOrEqual(0);
      expect(f, n).toBeGreaterThan(s);
    }
    expect(events).toHaveLength(10);
  });

  it('a listener that throws loses no app', async () => {
    const host = new Host(fleet());
    const done = syncMany(host, ['a1', 'b1'], {
      onProgress: () => {
        throw new Error('listener broke');
      },
    });
    await host.drain(done);
    expect((await done).map((i) => i.phase)).toEqual(['Succeeded', 'Succeeded']);
  });

  it('measures each app from its start to its end', async () => {
    const host = new Host([app('a1', 'dev')]);
    let t = 1000;
    const done = syncMany(host, ['a1'], { now: () => (t += 250) });
    await host.drain(done);
    expect((await done)[0]?.ms).toBe(250);
  });

  it('with production apps, runs nothing without the batch phrase, and with it confirms each production app', async () => {
    const host = new Host([app('web-dev', 'dev'), app('web-prod', 'production', { production: true })]);
    const refused = syncMany(host, ['web-dev', 'web-prod'], { confirm: 'web-prod' });
    await expect(refused).rejects.toMatchObject({
      name: 'PolicyRefusal',
      code: 'confirmation-required',
      message: expect.stringContaining('"sync 2 apps"'),
    });
    expect(host.started).toEqual([]);
    const done = syncMany(host, ['web-dev', 'web-prod'], { confirm: 'sync 2 apps' });
    await host.drain(done);
    expect((await done).map((i) => i.phase)).toEqual(['Succeeded', 'Succeeded']);
    expect(host.options.get('web-prod')?.confirm).toBe('web-prod');
    expect(host.options.get('web-dev')?.confirm).toBeUndefined();
  });

  it('a dry run of production apps needs no confirmation', async () => {
    const host = new Host([app('web-prod', 'production', { production: true })]);
    const done = syncMany(host, ['web-prod'], { dryRun: true });
    await host.drain(done);
    expect((await done)[0]?.phase).toBe('Succeeded');
    expect(host.options.get('web-prod')).toMatchObject({ dryRun: true });
  });

  it('refuses an unknown or repeated name before anything runs', async () => {
    const host = new Host(fleet());
    await expect(syncMany(host, ['a1', 'nope'])).rejects.toThrow('unknown application: nope');
    await expect(syncMany(host, ['a1', 'a1'])).rejects.toThrow('a1 is named twice');
    expect(host.started).toEqual([]);
  });
});

describe('planSyncMany', () => {
  it('gives each refusal its reason code, and the phrase and production list of the runnable apps', async () => {
    const host = new Host([
      app('web-dev', 'dev'),
      app('web-prod', 'production', { production: true }),
      app('api-prod', 'production', { production: true }),
      app('ro-app', 'audit', { readOnly: true }),
    ]);
    host.refusals.set('ro-app', ['audit is read-only']);
    host.refusals.set('api-prod', ['the render failed, nothing is synced or pruned: boom']);
    const plan = await planSyncMany(host, ['web-dev', 'web-prod', 'api-prod', 'ro-app']);
    expect(plan.runnable).toEqual(['web-dev', 'web-prod']);
    expect(plan.production).toEqual(['web-prod']);
    expect(plan.phrase).toBe('sync 2 apps');
    expect(plan.items.map((i) => i.refusal?.code ?? '')).toEqual([
      '',
      '',
      'plan-refused',
      'cluster-read-only',
    ]);
    expect(plan.items[2]?.production).toBe(true);
  });

  it('a dry run lists no production app', async () => {
    const host = new Host([app('web-prod', 'production', { production: true })]);
    expect((await planSyncMany(host, ['web-prod'], { dryRun: true })).production).toEqual([]);
  });

  it('says "app" for one', () => {
    expect(batchPhrase(1)).toBe('sync 1 app');
    expect(batchPhrase(63)).toBe('sync 63 apps');
  });
});
