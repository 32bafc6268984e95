import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type LocalDependency, prepareChart } from './helm-chart.js';

/** A prepared chart copy, shared by the renders of one chart at one snapshot. */
type Copy = { dir: Promise<string>; base: Promise<string>; users: number };

/** Copies kept after their last render (the newest ones: one per chart of the current snapshot). */
const keep = 64;
const copies = new Map<string, Copy>();
let root: Promise<string> | undefined;
let rootPath: string | undefined;

function rootDir(): Promise<string> {
  if (!root) {
    root = mkdtemp(join(tmpdir(), 'bosun-charts-')).then((dir) => {
      rootPath = dir;
      return dir;
    });
    process.once('exit', () => {
      if (rootPath) rmSync(rootPath, { recursive: true, force: true });
    });
  }
  return root;
}

function evict(): void {
  for (const [key, c] of copies) {
    if (copies.size <= keep) return;
    if (c.users > 0) continue;
    copies.delete(key);
    void c.base.then((b) => rm(b, { recursive: true, force: true })).catch(() => {});
  }
}

/**
 * Runs `use` with the directory to render a chart from: the snapshot's own when it has no local
 * `file://` dependency to place, else a writable copy with them in `charts/`, made once per chart
 * and snapshot and shared by every render of it (120 apps of one chart copy it once). Copies are
 * removed when more than a few dozen are kept, and when bosun exits.
 */
export async function withChartDir<T>(
  opts: { snapshotDir: string; chartAbs: string; plan: LocalDependency[] },
  use: (chartDir: string) => Promise<T>,
): Promise<T> {
  if (opts.plan.length === 0) return use(opts.chartAbs);
  const key = `${opts.snapshotDir}\0${opts.chartAbs}`;
  let copy = copies.get(key);
  if (copy) copies.delete(key);
  else {
    const base = rootDir().then((r) => mkdtemp(join(r, 'c-')));
    const dir = base.then((tmp) =>
      prepareChart({ snapshotDir: opts.snapshotDir, chartAbs: opts.chartAbs, plan: opts.plan, tmp }),
    );
    copy = { dir, base, users: 0 };
  }
  copies.set(key, copy);
  copy.users++;
  try {
    let chartDir: string;
    try {
      chartDir = await copy.dir;
    } catch (err) {
      if (copies.get(key) === copy) copies.delete(key);
      throw err;
    }
    return await use(chartDir);
  } finally {
    copy.users--;
    evict();
  }
}
