import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readJournal } from '../../../src/engine/history/journal.js';
import { acquireLease, LeaseHeldError, readAppLease } from '../../../src/engine/history/lease.js';
import { runSyncOperation } from '../../../src/engine/history/operation.js';
import { HistoryStore } from '../../../src/engine/history/store.js';
import { planSync } from '../../../src/engine/sync/plan.js';
import { app, cm, FakeClock, FakePort, liveMap, TRACK, tracked } from '../sync/fakes.js';

let dir = '';
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bosun-op-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function setup(options = {}, desired = [cm('a')]) {
  const clock = new FakeClock();
  const port = new FakePort(clock);
  const plan = planSync({
    app: app(),
    desired,
    live: new Map(),
    options,
    trackingAnnotation: TRACK,
    context: 'prod',
    revision: 'abc1234',
  });
  const journalFile = join(dir, 'audit.log');
  const base = {
    plan,
    port,
    clock,
    initiator: 'alice@bastion-2',
    holder: 'alice@bastion-2 pid=41',
    journal: { path: journalFile },
    run: { waveDelayMs: 0 },
  };
  return { clock, port, plan, base, journalFile };
}

describe('runSyncOperation', () => {
  it('takes the lease, records the operation, releases, journals', async () => {
    const { port, base, journalFile } = setup();
    const out = await runSyncOperation({ ...base, operationId: 'op-1' });
    expect(out.state.phase).toBe('Succeeded');
    expect(out.warnings).toEqual([]);
    const records = await new HistoryStore(port).list('shop');
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      id: 'op-1',
      phase: 'Succeeded',
      initiator: 'alice@bastion-2',
      revision: 'abc1234',
      context: 'prod',
    });
    expect(records[0]?.tasks).toMatchObject({ total: 1, succeeded: 1 });
    expect((await readAppLease(port, 'shop'))?.holder).toBeUndefined();
    const lines = await readJournal(journalFile);
    expect(lines.map((l) => `${l.action}:${l.result}`)).toEqual(['sync:started', 'sync:Succeeded']);
    expect(lines[1]).toMatchObject({
      identity: 'alice@bastion-2',
      app: 'shop',
      context: 'prod',
      revision: 'abc1234',
      operationId: 'op-1',
    });
  });

  it("passes the app's redaction step: the record in the cluster and the journal quote no Secret value", async () => {
    const value = 'live-only-value-Kx7';
    const { port, base, journalFile } = setup({}, [cm('a'), cm('bad')]);
    port.reject.set('/ConfigMap/shop/bad', {
      status: 422,
      reason: 'Invalid',
      message: `ConfigMap "bad" is invalid: data.k: Invalid value: "${value}"`,
    });
    // The value is known to the app (a live Secret) but not to the plan: only the given step knows it.
    const redact = (t: string) => t.split(value).join('<redacted>');
    const out = await runSyncOperation({ ...base, operationId: 'op-r', redact });
    expect(out.state.phase).toBe('Failed');
    const cm_ = await port.get({
      group: '',
      kind: 'ConfigMap',
      namespace: 'bosun-system',
      name: 'bosun-history-shop',
    });
    const stored = JSON.stringify(cm_);
    expect(stored).toContain('is invalid: data.k: Invalid value');
    expect(stored).toContain('<redacted>');
    expect(stored).not.toContain(value);
    const journal = JSON.stringify(await readJournal(journalFile));
    expect(journal).toContain('<redacted>');
    expect(journal).not.toContain(value);
    expect(out.state.tasks.map((t) => t.message ?? '').join('\n')).not.toContain(value);
  });

  it('a second console is refused with the holder identity and changes nothing', async () => {
    const { port, base, clock } = setup();
    await acquireLease(port, { app: 'shop', holder: 'bob@bastion-1 pid=9', clock });
    const before = port.mutations().length;
    const err = await runSyncOperation(base).catch((e) => e);
    expect(err).toBeInstanceOf(LeaseHeldError);
    expect(err.message).toMatch(
      /^sync of shop is held by bob@bastion-1 since \d\d:\d\d:\d\d \(lease bosun-sync-shop\)$/,
    );
    expect(port.mutations().length).toBe(before);
  });

  it('a refused plan touches nothing in the cluster and is journalled', async () => {
    const clock = new FakeClock();
    const port = new FakePort(clock);
    const plan = planSync({
      app: app(),
      desired: [],
      live: liveMap(tracked(cm('a'), 'shop')),
      options: {},
      trackingAnnotation: TRACK,
    });
    const journalFile = join(dir, 'audit.log');
    const out = await runSyncOperation({
      plan,
      port,
      clock,
      initiator: 'a@b',
      holder: 'a@b pid=1',
      journal: { path: journalFile },
    });
    expect(out.state.phase).toBe('Failed');
    expect(port.calls).toEqual([]);
    expect((await readJournal(journalFile))[0]).toMatchObject({ action: 'sync', result: 'refused' });
  });

  it('an operation cut off without releasing its lease shows as Interrupted once the lease expires', async () => {
    const { port, base, clock } = setup();
    const store = new HistoryStore(port);
    // A console that died mid-sync: its lease and its Running record stay behind.
    await acquireLease(port, { app: 'shop', holder: 'carol@b pid=3', clock, operationId: 'op-dead' });
    await store.put({
      id: 'op-dead',
      app: 'shop',
      kind: 'sync',
      initiator: 'carol@b',
      startedAt: new Date(clock.now()).toISOString(),
      phase: 'Running',
      message: 'wave 1',
      tasks: {
        total: 0,
        succeeded: 0,
        failed: 0,
        skipped: 0,
        pruned: 0,
        hooks: 0,
        resources: [],
        omitted: 0,
      },
    });
    const lease = await readAppLease(port, 'shop');
    expect((await store.list('shop', { lease, now: clock.now() }))[0]?.phase).toBe('Running');
    clock.t += 60_000;
    expect((await store.list('shop', { lease, now: clock.now() }))[0]?.phase).toBe('Interrupted');
    // and the expired lease is taken over by the next sync
    const out = await runSyncOperation(base);
    expect(out.state.phase).toBe('Succeeded');
  });
});
