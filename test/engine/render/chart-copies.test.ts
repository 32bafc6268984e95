import { mkdir, mkdtemp, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withChartDir } from '../../../src/engine/render/chart-copies.js';

let snap: string;

beforeAll(async () => {
  snap = await mkdtemp(join(tmpdir(), 'bosun-chart-copies-'));
  for (const [p, text] of [
    ['charts/app/Chart.yaml', 'apiVersion: v2\nname: app\nversion: 0.1.0\n'],
    ['charts/lib/Chart.yaml', 'apiVersion: v2\nname: lib\nversion: 0.1.0\ntype: library\n'],
  ] as const) {
    await mkdir(join(snap, p, '..'), { recursive: true });
    await writeFile(join(snap, p), text);
  }
});

afterAll(async () => {
  await rm(snap, { recursive: true, force: true });
});

const plan = [{ name: 'lib', rel: 'charts/lib', into: ['lib'] }];

describe('withChartDir', () => {
  it('renders from the snapshot itself when there is nothing to place', async () => {
    const chartAbs = join(snap, 'charts/app');
    expect(await withChartDir({ snapshotDir: snap, chartAbs, plan: [] }, async (d) => d)).toBe(chartAbs);
  });

  it('makes one copy with the local dependency in charts/, shared by every render of that chart', async () => {
    const chartAbs = join(snap, 'charts/app');
    const dirs = await Promise.all(
      Array.from({ length: 5 }, () =>
        withChartDir({ snapshotDir: snap, chartAbs, plan }, async (d) => {
          expect(await readFile(join(d, 'charts/lib/Chart.yaml'), 'utf8')).toContain('name: lib');
          return d;
        }),
      ),
    );
    expect(new Set(dirs).size).toBe(1);
    expect(dirs[0]).not.toBe(chartAbs);
    const again = await withChartDir({ snapshotDir: snap, chartAbs, plan }, async (d) => d);
    expect(again).toBe(dirs[0]);
  });

  it('removes the oldest unused copies once more than 64 are kept', async () => {
    // 71 snapshots (links to the same tree): one copy each.
    const snaps = join(snap, 'snapshots');
    await mkdir(snaps);
    const at = async (i: number) => {
      const s = join(snaps, String(i));
      await symlink(snap, s);
      return withChartDir({ snapshotDir: s, chartAbs: join(s, 'charts/app'), plan }, async (d) => d);
    };
    const first = await at(0);
    for (let i = 1; i <= 70; i++) await at(i);
    await new Promise((r) => setTimeout(r, 200));
    await expect(stat(first)).rejects.toThrow();
  });
});
