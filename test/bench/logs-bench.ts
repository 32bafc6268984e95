/**
 * Log view benchmark (issue 13): 10 pods followed at 1,000 lines/s in total, rendered by the real
 * LogsScreen (Ink, incremental rendering) into a fake 120×40 TTY. Measures key press → frame (p50/p95,
 * budget ≤ 50 ms p95) while lines stream, and memory as the stream runs on (the ring buffer keeps 10,000
 * lines per view, so memory must level off). The lines come from an in-process log port (the API client
 * is not in the loop: this measures the view and the session, not kwok or the apiserver).
 * Run: `npx tsx test/bench/logs-bench.ts [seconds]`.
 */
import { performance } from 'node:perf_hooks';
import { FakeKeyboard, FakeTtyOut } from '../tui/fake-tty.js';

delete process.env.CI;
delete process.env.CONTINUOUS_INTEGRATION;
process.env.FORCE_COLOR ??= '3';
process.env.NODE_ENV ??= 'production';

const COLUMNS = 120;
const ROWS = 40;
const PODS = 10;
const RATE = 1000; // lines per second, all pods together
const PRESSES = 60;
const SECONDS = Number(process.argv[2] ?? 30);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? Number.NaN;

function nextFrame(out: FakeTtyOut, marker: string): Promise<number> {
  return new Promise((resolve) => {
    const on = (s: string) => {
      if (!s.includes(marker)) return;
      out.off('written', on);
      resolve(performance.now());
    };
    out.on('written', on);
  });
}

async function main(): Promise<void> {
  const react = await import('react');
  const ink = await import('ink');
  const { LogSession } = await import('../../src/engine/logs/session.js');
  const { LogsScreen } = await import('../../src/tui/views/logs-screen.js');
  const { ThemeProvider } = await import('../../src/tui/theme/theme-context.js');
  const { builtinTheme } = await import('../../src/tui/theme/defaults.js');
  const { CONSOLE_MAX_FPS } = await import('../../src/tui/run.js');

  const pods = Array.from({ length: PODS }, (_, i) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `web-7d9f-${i}`,
      namespace: 'shop',
      uid: `p${i}`,
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'rs' }],
    },
    spec: { containers: [{ name: 'app' }] },
  }));
  const rs = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: 'web-7d9f',
      namespace: 'shop',
      uid: 'rs',
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'd' }],
    },
  };
  let produced = 0;
  const session = new LogSession({
    namespace: 'shop',
    roots: [
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop', uid: 'd' } },
    ],
    options: { follow: true },
    rescanMs: 60_000,
    port: {
      listOwned: async () => [rs, ...pods],
      stream: (req, onLine) =>
        new Promise<void>((resolve) => {
          // Each pod writes RATE/PODS lines per second, in 10 ms ticks.
          const perTick = RATE / PODS / 100;
          let owed = 0;
          const t = setInterval(() => {
            owed += perTick;
            while (owed >= 1) {
              owed--;
              produced++;
              onLine(
                `${new Date().toISOString()} GET /api/orders/${produced} 200 ${(produced % 97) + 3}ms user=${produced % 13} ${req.pod}`,
              );
            }
          }, 10);
          req.signal?.addEventListener('abort', () => {
            clearInterval(t);
            resolve();
          });
        }),
    },
  });
  await session.start();

  const stdout = new FakeTtyOut(COLUMNS, ROWS);
  const stdin = new FakeKeyboard();
  const theme = builtinTheme;
  const inst = ink.render(
    react.createElement(ThemeProvider, {
      theme,
      children: react.createElement(LogsScreen, {
        title: 'logs web',
        session,
        height: ROWS - 1,
        width: COLUMNS,
        onClose: () => {},
      }),
    }),
    {
      stdout: stdout as unknown as NodeJS.WriteStream,
      stdin: stdin as unknown as NodeJS.ReadStream,
      patchConsole: false,
      incrementalRendering: true,
      maxFps: CONSOLE_MAX_FPS,
      exitOnCtrlC: false,
    },
  );
  await sleep(1000);

  // Key → frame while lines stream: toggle wrap (the status line says which), 60 presses.
  const latencies: number[] = [];
  let wrap = false;
  for (let i = 0; i < PRESSES; i++) {
    wrap = !wrap;
    const frame = nextFrame(stdout, wrap ? ' wrap ·' : 'no wrap');
    const t0 = performance.now();
    stdin.press('w');
    latencies.push((await frame) - t0);
    await sleep(80);
  }
  // Filter as you type: '/' then 'e','r','r' — time to the frame that shows the typed filter.
  stdin.press('/');
  await sleep(100);
  const typing: number[] = [];
  let typed = '';
  for (const ch of 'order') {
    typed += ch;
    const frame = nextFrame(stdout, `/${typed}`);
    const t0 = performance.now();
    stdin.press(ch);
    typing.push((await frame) - t0);
    await sleep(80);
  }

  const mem: { t: number; rss: number; heap: number; lines: number }[] = [];
  const started = performance.now();
  for (let s = 0; s < SECONDS; s += 5) {
    await sleep(5000);
    global.gc?.();
    const m = process.memoryUsage();
    mem.push({
      t: Math.round((performance.now() - started) / 1000),
      rss: m.rss,
      heap: m.heapUsed,
      lines: session.lines.size,
    });
  }
  inst.unmount();
  session.stop();

  const ms = (x: number) => `${x.toFixed(1)} ms`;
  const mb = (x: number) => `${(x / 1024 / 1024).toFixed(1)} MiB`;
  const p95 = pct(latencies, 95);
  const out = [
    `bosun log view benchmark: ${PODS} pods followed, ${RATE} lines/s in total, ${COLUMNS}×${ROWS}, NODE_ENV=${process.env.NODE_ENV}`,
    `  lines produced: ${produced}; held by the view: ${session.lines.size} (ring buffer ${session.lines.capacity})`,
    `  key → frame (w, ${PRESSES} presses while streaming): p50 ${ms(pct(latencies, 50))}  p95 ${ms(p95)}  max ${ms(Math.max(...latencies))}   budget 50 ms p95: ${p95 <= 50 ? 'ok' : 'OVER BUDGET'}`,
    `  filter as you type (5 keys): p50 ${ms(pct(typing, 50))}  max ${ms(Math.max(...typing))}`,
    `  memory while streaming (every 5 s): ${mem.map((m) => `${m.t}s rss ${mb(m.rss)} heap ${mb(m.heap)}`).join(' · ')}`,
    `  bytes written: ${mb(stdout.bytes)}`,
  ];
  process.stdout.write(`${out.join('\n')}\n`);
}

main().catch((err) => {
  process.stderr.write(`logs bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
