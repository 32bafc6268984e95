/**
 * A second (or third) bosun process for the race tests: takes over expired leases or appends history
 * records against the real API server, in lock-step with its rival. Reads `go <epochMs>` on stdin, then
 * starts round i at epochMs + i × spacing; prints one JSON line per round.
 *
 * Usage: tsx race-worker.ts lease <context> <holder> <rounds> <spacingMs> <appPrefix>
 *        tsx race-worker.ts history <context> <writer> <count> <app> <limit>
 */
import { createInterface } from 'node:readline';
import {
  acquireLease,
  emptySummary,
  HistoryStore,
  LeaseHeldError,
} from '../../../src/engine/history/index.js';
import { KubeCluster } from '../../../src/engine/kube/cluster.js';
import { loadContexts } from '../../../src/engine/kube/kubeconfig.js';

const [mode, contextName, who, countArg, a5, a6] = process.argv.slice(2);
const count = Number(countArg);
const context = loadContexts({ contexts: [contextName ?? ''] }).contexts[0];
if (!context) throw new Error(`no context ${contextName}`);
const cluster = new KubeCluster(context);
const clock = { now: () => Date.now() };
const out = (o: object) => process.stdout.write(`${JSON.stringify(o)}\n`);
const until = (t: number) => new Promise((r) => setTimeout(r, Math.max(0, t - Date.now())));

async function go(): Promise<number> {
  out({ ready: true });
  const rl = createInterface({ input: process.stdin });
  for await (const line of rl) {
    const m = /^go (\d+)$/.exec(line.trim());
    if (m) {
      rl.close();
      return Number(m[1]);
    }
  }
  throw new Error('stdin closed before go');
}

async function leases(spacingMs: number, prefix: string): Promise<void> {
  const start = await go();
  for (let i = 0; i < count; i++) {
    await until(start + i * spacingMs);
    try {
      const lease = await acquireLease(cluster, { app: `${prefix}-${i}`, holder: who ?? '', clock });
      out({ round: i, won: true, rv: lease.info.resourceVersion });
    } catch (err) {
      if (!(err instanceof LeaseHeldError)) throw err;
      out({ round: i, won: false, holder: err.holder });
    }
  }
}

async function history(app: string, limit: number): Promise<void> {
  const store = new HistoryStore(cluster, { limit });
  await go();
  for (let i = 0; i < count; i++) {
    // startedAt orders the records (the retention rule keeps the newest); a suffix keeps it unique.
    const startedAt = `${new Date().toISOString()}-${who}-${String(i).padStart(4, '0')}`;
    const id = `${who}-${i}`;
    await store.put({
      id,
      app,
      kind: 'sync',
      initiator: `${who}@race`,
      startedAt,
      phase: 'Succeeded',
      message: 'race',
      tasks: emptySummary(),
    });
    out({ id, startedAt });
  }
}

try {
  if (mode === 'lease') await leases(Number(a5), a6 ?? 'race');
  else if (mode === 'history') await history(a5 ?? 'race', Number(a6));
  else throw new Error(`unknown mode ${mode}`);
  out({ done: true });
} finally {
  cluster.close();
}
