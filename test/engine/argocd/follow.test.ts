import { describe, expect, it } from 'vitest';
import { followOperation } from '../../../src/engine/argocd/follow.js';
import type { ArgoApp } from '../../../src/engine/argocd/source.js';
import { type ArgoApplicationObject, argoAppStatus } from '../../../src/engine/argocd/status.js';
import type { PlanTask } from '../../../src/engine/types.js';

const spec = {
  name: 'web',
  project: 'default',
  sources: [],
  destination: {},
  labels: {},
  annotations: {},
  origin: {},
  service: 'web',
};
const appOf = (object: ArgoApplicationObject): ArgoApp => ({ spec, status: argoAppStatus(object), object });
const op = (phase: string, startedAt: string, finishedAt?: string) => ({
  phase,
  startedAt,
  ...(finishedAt ? { finishedAt } : {}),
  message: phase === 'Succeeded' ? 'successfully synced (all tasks run)' : 'running',
  operation: { initiatedBy: { username: 'ana@bastion' } },
  syncResult: {
    resources: [
      {
        group: 'apps',
        kind: 'Deployment',
        namespace: 'ns',
        name: 'web',
        status: 'Synced',
        syncPhase: 'Sync',
      },
    ],
  },
});

/** The watch as a list of states, advanced by `next()`. */
function watch(states: ArgoApplicationObject[]) {
  let i = 0;
  const fns = new Set<() => void>();
  return {
    current: () => {
      const s = states[i];
      return s ? appOf(s) : undefined;
    },
    subscribe: (fn: () => void) => {
      fns.add(fn);
      return () => fns.delete(fn);
    },
    next: () => {
      i++;
      for (const f of [...fns]) f();
    },
    listeners: () => fns.size,
  };
}

describe('followOperation', () => {
  it("waits past the previous operation and the pending request, to the new operation's end", async () => {
    const meta = { name: 'web' };
    const old = { status: { operationState: op('Succeeded', 't0', 't1') } };
    const w = watch([
      { metadata: meta, ...old, operation: { sync: {} } },
      { metadata: meta, operation: { sync: {} }, status: { operationState: op('Running', 't2') } },
      { metadata: meta, status: { operationState: op('Succeeded', 't2', 't3') } },
    ]);
    const tasks: PlanTask[] = [];
    let done: ArgoApp | undefined;
    const p = followOperation({
      name: 'web',
      before: 't0',
      current: w.current,
      subscribe: w.subscribe,
      limitMs: 60_000,
      dryRun: false,
      onTask: (t) => tasks.push(t),
    }).then((a) => {
      done = a;
    });
    await Promise.resolve();
    expect(done).toBeUndefined();
    w.next();
    await Promise.resolve();
    expect(done).toBeUndefined();
    expect(tasks.map((t) => `${t.key.name}:${t.status}`)).toEqual(['web:Succeeded']);
    w.next();
    await p;
    expect(done?.status.operation?.finishedAt).toBe('t3');
    // The same result is reported once, and the watch listener is gone.
    expect(tasks).toHaveLength(1);
    expect(w.listeners()).toBe(0);
  });

  it('rejects with a one-line reason when the app leaves Argo CD or the time runs out', async () => {
    const gone = watch([]);
    await expect(
      followOperation({
        name: 'web',
        current: gone.current,
        subscribe: gone.subscribe,
        limitMs: 1000,
        dryRun: false,
        onTask: () => {},
      }),
    ).rejects.toThrow('the sync of web was not followed to its end');
    const stuck = watch([{ metadata: { name: 'web' }, operation: { sync: {} } }]);
    await expect(
      followOperation({
        name: 'web',
        current: stuck.current,
        subscribe: stuck.subscribe,
        limitMs: 20,
        dryRun: true,
        onTask: () => {},
      }),
    ).rejects.toThrow('Argo CD did not end the sync of web within 0 s; it goes on there (dry run)');
  });
});
