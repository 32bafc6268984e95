import { chmod, cp, mkdir, readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { yamlMemo } from '../apps/yaml-memo.js';
import { resolveRepoPath, showRel } from './safe-path.js';

/** A chart dependency as written in Chart.yaml (or requirements.yaml). */
type Dependency = { name: string; repository?: string; alias?: string };

/** A local `file://` dependency that is not vendored in `charts/` and must be copied there. */
export type LocalDependency = { name: string; rel: string; into: string[] };

/** What rendering a chart needs beyond the chart directory itself. */
export type ChartPlan = { ok: true; local: LocalDependency[] } | { ok: false; error: string };

async function readYaml(p: string): Promise<unknown> {
  try {
    return yamlMemo.chartFile(await readFile(p, 'utf8')) ?? undefined;
  } catch {
    return undefined;
  }
}

async function dependencies(chartAbs: string): Promise<Dependency[]> {
  const out: Dependency[] = [];
  for (const f of ['Chart.yaml', 'requirements.yaml']) {
    const doc = (await readYaml(join(chartAbs, f))) as { dependencies?: unknown } | undefined;
    if (!doc || !Array.isArray(doc.dependencies)) continue;
    for (const d of doc.dependencies) {
      if (d && typeof d === 'object' && typeof (d as Dependency).name === 'string') out.push(d as Dependency);
    }
  }
  return out;
}

/** Names of the charts already in a chart's `charts/` directory (unpacked or `.tgz`). */
async function vendored(chartAbs: string): Promise<Set<string>> {
  const names = new Set<string>();
  let entries: import('node:fs').Dirent[];
  try {
    entries = await readdir(join(chartAbs, 'charts'), { withFileTypes: true });
  } catch {
    return names;
  }
  for (const ent of entries) {
    if (ent.name.endsWith('.tgz')) {
      const m = /^(.+?)-v?\d+\.\d+\.\d+.*\.tgz$/.exec(ent.name);
      names.add(m?.[1] ?? ent.name.slice(0, -4));
    } else {
      const doc = (await readYaml(join(chartAbs, 'charts', ent.name, 'Chart.yaml'))) as
        | { name?: unknown }
        | undefined;
      names.add(typeof doc?.name === 'string' ? doc.name : ent.name);
    }
  }
  return names;
}

/**
 * Finds the dependencies a chart lacks in `charts/`: local `file://` ones are planned for copying
 * (recursively, refusing paths that leave the repository); remote ones are an error, since bosun
 * renders offline.
 */
export async function planChart(snapshotDir: string, chartRel: string): Promise<ChartPlan> {
  const local: LocalDependency[] = [];
  const visit = async (rel: string, into: string[], depth: number): Promise<string | undefined> => {
    if (depth > 10) return `chart ${showRel(rel)}: local dependencies nest deeper than 10 levels`;
    const abs = join(snapshotDir, rel);
    const have = await vendored(abs);
    for (const d of await dependencies(abs)) {
      if (have.has(d.name)) continue;
      const repo = d.repository ?? '';
      if (!repo.startsWith('file://')) {
        return `chart ${showRel(rel)}: dependency ${d.name}${repo ? ` from ${repo}` : ''} is not vendored in charts/ (bosun renders offline: run helm dependency build and commit charts/)`;
      }
      const r = resolveRepoPath({
        snapshotDir,
        baseRel: rel,
        p: repo.slice('file://'.length),
        what: 'dependency',
        context: `chart ${showRel(rel)}`,
      });
      if (!r.ok) return r.error;
      try {
        await stat(join(r.value.abs, 'Chart.yaml'));
      } catch {
        return `chart ${showRel(rel)}: dependency ${d.name} (${repo}) has no Chart.yaml`;
      }
      const path = [...into, d.name];
      local.push({ name: d.name, rel: r.value.rel, into: path });
      const e = await visit(r.value.rel, path, depth + 1);
      if (e) return e;
    }
    return undefined;
  };
  const error = await visit(chartRel, [], 0);
  return error ? { ok: false, error } : { ok: true, local };
}

async function makeWritable(dir: string): Promise<void> {
  await chmod(dir, 0o755);
  for (const ent of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, ent.name);
    if (ent.isDirectory()) await makeWritable(p);
    else if (ent.isFile()) await chmod(p, 0o644);
  }
}

/** Copies a chart out of the snapshot (symlinks already checked, so dereferenced) into a writable dir. */
async function copyChart(srcAbs: string, dest: string): Promise<void> {
  await cp(srcAbs, dest, { recursive: true, dereference: true });
  await makeWritable(dest);
}

/**
 * Makes a writable copy of the chart under `tmp` with its local dependencies placed in `charts/`;
 * returns the chart directory to render (the snapshot's own when nothing is missing).
 */
export async function prepareChart(opts: {
  snapshotDir: string;
  chartAbs: string;
  plan: LocalDependency[];
  tmp: string;
}): Promise<string> {
  if (opts.plan.length === 0) return opts.chartAbs;
  const root = join(opts.tmp, 'chart');
  await copyChart(opts.chartAbs, root);
  // parents are listed before their children, so each target's charts/ exists by then
  for (const dep of opts.plan) {
    const parent = join(root, ...dep.into.slice(0, -1).flatMap((n) => ['charts', n]));
    await mkdir(join(parent, 'charts'), { recursive: true });
    await copyChart(join(opts.snapshotDir, dep.rel), join(parent, 'charts', dep.name));
  }
  return root;
}
