/**
 * TUI benchmark (DESIGN.md §8): key press to frame with 1,000 apps (budget ≤ 50 ms) and bytes written
 * for a one-row change (budget ≤ 4 KB), through the real `runTui` (alternate screen, incremental
 * rendering, the console's fps cap) into a fake 120×40 TTY whose output feeds a small terminal emulator, so the
 * figures are checked against what a terminal would show; then the same keys and more (filter typing,
 * columns, opening an app) while the snapshot changes 20 times a second. Run: `npx tsx test/bench/tui-bench.ts`.
 */
import { performance } from 'node:perf_hooks';
import { FakeEngine } from '../tui/fake-engine.js';
import { FakeKeyboard, FakeTtyOut } from '../tui/fake-tty.js';

// Ink renders nothing but the last frame when it believes it runs in CI.
delete process.env.CI;
delete process.env.CONTINUOUS_INTEGRATION;
// Measure what a user sees: truecolour output (stdout here is a pipe, so chalk would drop colours), and
// React's production build (what the shipped binary should run) unless NODE_ENV says otherwise.
process.env.FORCE_COLOR ??= '3';
process.env.NODE_ENV ??= 'production';

const COLUMNS = 120;
const ROWS = 40;
const PRESSES = 50;
const APPS = 1000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits for the next write that carries a frame (more than the synchronized-update markers). */
function nextFrame(out: FakeTtyOut, timeoutMs = 15_000): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      out.off('written', on);
      reject(new Error(`no frame within ${timeoutMs / 1000} s`));
    }, timeoutMs);
    const on = (s: string) => {
      if (s.length <= 16) return;
      clearTimeout(timer);
      out.off('written', on);
      resolve(performance.now());
    };
    out.on('written', on);
  });
}

async function settle(out: FakeTtyOut): Promise<void> {
  // Wait until no frame has been written for 60 ms (past Ink's 33 ms throttle window).
  do await sleep(20);
  while (performance.now() - out.lastFrameAt < 60);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

// Loaded after the environment above is set (React picks its build when first imported).
let react: typeof import('react');
let ink: typeof import('ink');
let bump = () => {};

/** A plain screen of the same size where one line changes per frame: the Ink floor. */
function Plain() {
  const [n, setN] = react.useState(0);
  bump = () => setN((x) => x + 1);
  const h = react.createElement;
  const rows = Array.from({ length: ROWS - 1 }, (_, i) =>
    h(ink.Text, { key: i }, `${i === n % (ROWS - 1) ? '>' : ' '} row ${i} `.padEnd(COLUMNS - 10, 'x')),
  );
  return h(ink.Box, { flexDirection: 'column', width: COLUMNS, height: ROWS - 1 }, rows);
}

/** Per-frame render time of Ink itself for a plain screen of the same size (no app logic, no colour). */
async function inkFloor(): Promise<number> {
  react = await import('react');
  ink = await import('ink');
  const out = new FakeTtyOut(COLUMNS, ROWS, { emulate: true });
  const times: number[] = [];
  const inst = ink.render(react.createElement(Plain), {
    stdout: out as unknown as NodeJS.WriteStream,
    patchConsole: false,
    incrementalRendering: true,
    onRender: (m) => times.push(m.renderTime),
  });
  await sleep(100);
  times.length = 0;
  for (let i = 0; i < 30; i++) {
    bump();
    await sleep(40);
  }
  inst.unmount();
  return [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)] ?? Number.NaN;
}

async function main(): Promise<void> {
  const { runTui, CONSOLE_MAX_FPS } = await import('../../src/tui/run.js');
  const engine = new FakeEngine({ apps: APPS });
  const stdout = new FakeTtyOut(COLUMNS, ROWS, { emulate: true });
  const stdin = new FakeKeyboard();
  const t0 = performance.now();
  const firstFrame = nextFrame(stdout, 10_000);
  const done = runTui({
    engine,
    readOnly: false,
    stdout: stdout as unknown as NodeJS.WriteStream,
    stdin: stdin as unknown as NodeJS.ReadStream,
    env: {},
  });
  const first = (await firstFrame) - t0;
  await settle(stdout);
  const firstBytes = stdout.bytes;

  const latencies: number[] = [];
  const cpu: number[] = [];
  const inWindowBytes: number[] = [];
  const scrollBytes: number[] = [];
  const firstListRow = () => stdout.vt.text().split('\n')[3] ?? '';
  for (let i = 0; i < PRESSES; i++) {
    const before = stdout.bytes;
    const topBefore = firstListRow().slice(2);
    const frame = nextFrame(stdout);
    const start = performance.now();
    const cpu0 = process.cpuUsage();
    stdin.press('j');
    latencies.push((await frame) - start);
    const used = process.cpuUsage(cpu0);
    cpu.push((used.user + used.system) / 1000);
    await settle(stdout);
    const bytes = stdout.bytes - before;
    // A press that moves the window (half a page) rewrites every visible row.
    (firstListRow().slice(2) === topBefore ? inWindowBytes : scrollBytes).push(bytes);
  }
  const screen = stdout.vt.text();
  const cursorRows = screen.split('\n').filter((l) => l.startsWith('▶'));
  const onExpected =
    cursorRows.length === 1 && cursorRows[0]?.includes(`svc-${String(PRESSES).padStart(4, '0')}`);

  // One-row change: one visible app turns OutOfSync (what an out-of-band `kubectl scale` does).
  const target = `svc-${String(PRESSES - 3).padStart(4, '0')}-staging`;
  const before = stdout.bytes;
  const changeFrame = nextFrame(stdout);
  engine.update((s) => ({
    apps: s.apps.map((a) => (a.name === target ? { ...a, sync: 'OutOfSync' as const } : a)),
  }));
  await changeFrame;
  await settle(stdout);
  const oneRow = stdout.bytes - before;
  const rowChanged = stdout.vt
    .text()
    .split('\n')
    .some((l) => l.includes(`svc-${String(PRESSES - 3).padStart(4, '0')}`) && l.includes('≠'));

  // Under load: the snapshot changes 20 times a second (the last app's reconciledAt, off screen, so every
  // frame the bench waits for is the key's own while each change still re-runs the fleet model and a
  // render) while a person types in the filter, moves between columns and opens an app.
  let tick = 0;
  const churn = setInterval(() => {
    tick++;
    engine.update((s) => ({
      apps: s.apps.map((a, i) =>
        i === s.apps.length - 1
          ? { ...a, reconciledAt: new Date(Date.UTC(2026, 0, 1, 0, 0, tick)).toISOString() }
          : a,
      ),
    }));
  }, 50);
  const underLoad = new Map<string, number[]>();
  const press = async (label: string, key: string) => {
    const frame = nextFrame(stdout);
    const start = performance.now();
    stdin.press(key);
    const t =
      (await frame.catch((err: Error) => {
        throw new Error(`${label} (${JSON.stringify(key)}): ${err.message}; screen:\n${stdout.vt.text()}`, {
          cause: err,
        });
      })) - start;
    underLoad.set(label, [...(underLoad.get(label) ?? []), t]);
    await settle(stdout);
  };
  const updatesBefore = engine.snapshot.version;
  for (let round = 0; round < 3; round++) {
    await press('j (cursor down)', 'j');
    await press('/ (open the filter)', '/');
    for (const c of 'svc-00') await press('typing in the filter', c);
    await press('escape (close the filter)', '\x1b');
    // Right then left, three times: each press moves the cursor (a press at the last column draws nothing).
    for (let i = 0; i < 3; i++) {
      await press('→ / ← (move between columns)', '\x1b[C');
      await press('→ / ← (move between columns)', '\x1b[D');
    }
    await press('enter (open an app)', '\r');
    await press('escape (back to the fleet)', '\x1b');
  }
  clearInterval(churn);
  const updates = engine.snapshot.version - updatesBefore;
  await settle(stdout);

  stdin.press('q');
  await done;
  const floor = await inkFloor();
  const restored = !stdout.vt.altScreen && !stdout.vt.cursorHidden;

  const sorted = [...latencies].sort((a, b) => a - b);
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
  const ms = (x: number) => `${x.toFixed(1)} ms`;
  const kb = (x: number) => `${(x / 1024).toFixed(2)} KB`;
  const verdict = (ok: boolean) => (ok ? 'ok' : 'OVER BUDGET');
  const p95 = percentile(sorted, 95);
  const lines = [
    `bosun TUI benchmark: ${engine.snapshot.apps.length} apps, ${COLUMNS}×${ROWS} terminal, incremental rendering, maxFps ${CONSOLE_MAX_FPS}, NODE_ENV=${process.env.NODE_ENV}, FORCE_COLOR=${process.env.FORCE_COLOR}`,
    `  start to first frame                 ${ms(first)} (${kb(firstBytes)} incl. alternate screen)`,
    `  key press (j) to frame, ${PRESSES} presses  median ${ms(median(latencies))}  p95 ${ms(p95)}  max ${ms(sorted[sorted.length - 1] ?? 0)}   budget ≤ 50 ms: ${verdict(p95 <= 50)}`,
    `  CPU time from key press to frame     median ${ms(median(cpu))}  p95 ${ms(
      percentile(
        [...cpu].sort((a, b) => a - b),
        95,
      ),
    )} (less sensitive to a busy machine than wall time)`,
    `  bytes per j inside the window        median ${kb(median(inWindowBytes))} (${inWindowBytes.length} presses)`,
    `  bytes per j that scrolls the window  median ${kb(median(scrollBytes))} (${scrollBytes.length} presses; the window jumps half a page)`,
    `  bytes for a one-row change           ${kb(oneRow)}   budget ≤ 4 KB: ${verdict(oneRow <= 4096)}`,
    `  Ink 6.8 floor: one frame of plain ${COLUMNS}×${ROWS - 1} text  median ${ms(floor)} (what any frame of this size costs)`,
    `  under load (${updates} snapshot changes during the run, 20 per second), key press to frame:`,
    ...[...underLoad].map(([label, xs]) => {
      const sx = [...xs].sort((a, b) => a - b);
      const p = percentile(sx, 95);
      return `    ${label.padEnd(34)} n=${String(xs.length).padStart(2)}  median ${ms(median(xs))}  p95 ${ms(p)}   budget ≤ 50 ms: ${verdict(p <= 50)}`;
    }),
    `  screen check: cursor on the expected row ${onExpected ? 'yes' : 'NO'}, changed row shown ${rowChanged ? 'yes' : 'NO'}, terminal restored after q ${restored ? 'yes' : 'NO'}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  if (!onExpected || !rowChanged || !restored) {
    process.stdout.write(`final screen:\n${screen}\n`);
    process.exitCode = 1;
  }
}

main().catch((err) => {
  process.stderr.write(
    `tui-bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exitCode = 1;
});
