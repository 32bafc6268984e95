import type { CommandContext } from '../context.js';

/**
 * `bosun watch`: the headless loop. The engine runs auto-sync and self-heal; every event is one
 * JSON log line on stdout. Exits cleanly on SIGTERM/SIGINT (leases released by engine.stop()).
 */
export async function watchCommand(ctx: CommandContext): Promise<number> {
  const line = (o: Record<string, unknown>) =>
    ctx.out(`${JSON.stringify({ time: new Date().toISOString(), ...o })}\n`);
  // Subscribe before the engine starts: automation's first decisions are made as it starts.
  let off = () => {};
  const engine = await ctx.engine({
    beforeStart: (e) => {
      off = e.onEvent((ev) => {
        if (ev.type === 'apps-changed' || ev.type === 'progress') return;
        line({ event: ev.type, ...ev });
      });
    },
  });
  const snap = engine.getSnapshot();
  line({
    event: 'started',
    apps: snap.apps.length,
    clusters: snap.clusters.map((c) => `${c.context}:${c.status}`),
  });
  await new Promise<void>((resolve) => {
    process.once('SIGTERM', resolve);
    process.once('SIGINT', resolve);
  });
  off();
  line({ event: 'stopping' });
  return 0;
}
