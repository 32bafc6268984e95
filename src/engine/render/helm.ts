import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { AppSource, HelmCapabilities, HelmOptions, KubeObject } from '../model/index.js';
import { withChartDir } from './chart-copies.js';
import { formatSeconds, type RenderLimits, runRenderTool, toolError } from './exec.js';
import type { LocalDependency } from './helm-chart.js';
import { type HelmRenderRequest, helmServerFor, offlineHelmEnv } from './helm-server.js';
import { parseManifests } from './manifests.js';
import { type Checked, type RepoPath, realInside, resolveRepoPath } from './safe-path.js';

/** Value files of a Helm source, resolved inside the snapshot. */
export type ValueFiles = { files: RepoPath[]; declared: string[] };

/**
 * Resolves `helm.valueFiles`: relative to the chart, or `$ref/path` from the repository root of the
 * source with that `ref`. Absolute paths, URLs and paths that leave the repository are refused; a
 * missing file is an error unless `ignoreMissingValueFiles`. `declared` lists every in-repo path
 * (present or not) for the render cache key.
 */
export async function resolveValueFiles(opts: {
  snapshotDir: string;
  chartRel: string;
  helm: HelmOptions | undefined;
  sources: AppSource[];
}): Promise<Checked<ValueFiles>> {
  const out: ValueFiles = { files: [], declared: [] };
  for (const vf of opts.helm?.valueFiles ?? []) {
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(vf)) {
      return {
        ok: false,
        error: `value file "${vf}" is a URL; bosun renders offline from the repository only`,
      };
    }
    let baseRel = opts.chartRel;
    let p = vf;
    if (vf.startsWith('$')) {
      const slash = vf.indexOf('/');
      const ref = vf.slice(1, slash < 0 ? undefined : slash);
      if (!opts.sources.some((s) => s.ref === ref)) {
        return { ok: false, error: `value file "${vf}" refers to $${ref}, but no source has ref: ${ref}` };
      }
      baseRel = '';
      p = slash < 0 ? '' : vf.slice(slash + 1).replace(/^\/+/, '');
      if (p.startsWith('/')) return { ok: false, error: `value file "${vf}" is an absolute path` };
    }
    const r = resolveRepoPath({ snapshotDir: opts.snapshotDir, baseRel, p, what: 'value file' });
    if (!r.ok) return { ok: false, error: r.error.replace(`"${p}"`, `"${vf}"`) };
    out.declared.push(r.value.rel);
    const real = await realInside(opts.snapshotDir, r.value.abs, `value file "${vf}"`);
    if (!real.ok) return real;
    let isFile = false;
    if (real.value) {
      try {
        isFile = (await stat(real.value)).isFile();
      } catch {
        isFile = false;
      }
    }
    if (!isFile) {
      if (opts.helm?.ignoreMissingValueFiles) continue;
      return { ok: false, error: `value file "${vf}" not found in the repository` };
    }
    out.files.push({ rel: r.value.rel, abs: real.value! });
  }
  return { ok: true, value: out };
}

/** The error of a Helm app when no `helm` is on PATH. */
export const helmMissing =
  'helm is not installed: install helm 3 (https://helm.sh/docs/intro/install/) or set binaries.helm in bosun.yaml';

/** Escapes commas in a `--set` value like Argo CD (a `{a,b}` list stays a list). */
export function cleanSetValue(v: string): string {
  if (v.startsWith('{') && v.endsWith('}')) return v;
  return v.replace(/(?<!\\),/g, '\\,');
}

/**
 * The Kubernetes version and API versions a chart sees, as Argo CD picks them: the source's
 * `helm.kubeVersion` / `helm.apiVersions` when set, else the destination cluster's. The version keeps
 * its numeric components only (`v1.36.3-eks.1` → `1.36.3`), as Argo CD's parseKubeVersion does.
 */
export function chartCapabilities(
  helm: HelmOptions | undefined,
  cluster: HelmCapabilities | undefined,
): { ok: true; value: HelmCapabilities } | { ok: false; error: string } {
  const raw = helm?.kubeVersion || cluster?.kubeVersion;
  const apiVersions = helm?.apiVersions?.length ? helm.apiVersions : cluster?.apiVersions;
  let kubeVersion: string | undefined;
  if (raw) {
    const m = /^\s*v?(\d+(?:\.\d+)*)/.exec(raw);
    if (!m?.[1]) return { ok: false, error: `could not parse kubernetes version ${raw}` };
    kubeVersion = m[1];
  }
  return {
    ok: true,
    value: { ...(kubeVersion ? { kubeVersion } : {}), ...(apiVersions?.length ? { apiVersions } : {}) },
  };
}

/** The arguments of `helm template`, in Argo CD's order: value files, inline values, parameters. */
export function helmTemplateArgs(opts: {
  releaseName: string;
  chartDir: string;
  namespace?: string;
  valueFiles: string[];
  inlineValues?: string;
  parameters?: HelmOptions['parameters'];
  capabilities?: HelmCapabilities;
}): string[] {
  const args = ['template', opts.releaseName, opts.chartDir, '--include-crds'];
  if (opts.namespace) args.push('--namespace', opts.namespace);
  if (opts.capabilities?.kubeVersion) args.push('--kube-version', opts.capabilities.kubeVersion);
  for (const v of opts.capabilities?.apiVersions ?? []) args.push('--api-versions', v);
  for (const f of opts.valueFiles) args.push('--values', f);
  if (opts.inlineValues) args.push('--values', opts.inlineValues);
  for (const p of opts.parameters ?? []) {
    args.push(p.forceString ? '--set-string' : '--set', `${p.name}=${cleanSetValue(p.value)}`);
  }
  return args;
}

/** Objects rendered by Helm, or a one-line reason. */
export type HelmResult = { ok: true; objects: KubeObject[] } | { ok: false; error: string };

/**
 * Runs `helm template` offline: Helm's cache, config and data homes are temporary directories, no
 * kubeconfig, plugins off, and a proxy that refuses every connection. Local `file://` dependencies
 * that are not in `charts/` are placed in a shared temporary copy of the chart (`withChartDir`).
 * Goes through bosun-helm-render instead when it links the same Helm version (`helmServerFor`).
 */
export async function renderHelm(opts: {
  snapshotDir: string;
  chartRel: string;
  source: AppSource;
  appName: string;
  namespace?: string;
  values: ValueFiles;
  localDeps: LocalDependency[];
  bin: string;
  limits: RenderLimits;
  /** What the destination cluster tells charts (Kubernetes and API versions); Helm's defaults without. */
  capabilities?: HelmCapabilities;
}): Promise<HelmResult> {
  const helm = opts.source.helm;
  const releaseName = helm?.releaseName || opts.appName;
  if (!/^[a-z0-9]/i.test(releaseName))
    return { ok: false, error: `helm release name "${releaseName}" is not valid` };
  const caps = chartCapabilities(helm, opts.capabilities);
  if (!caps.ok) return caps;
  const capabilities = caps.value;
  let tmp: string | undefined;
  const tmpDir = async () => {
    tmp ??= await mkdtemp(join(tmpdir(), 'bosun-helm-'));
    return tmp;
  };
  const chartAbs = join(opts.snapshotDir, opts.chartRel);
  try {
    return await withChartDir(
      { snapshotDir: opts.snapshotDir, chartAbs, plan: opts.localDeps },
      async (chartDir) => {
        let inlineValues: string | undefined;
        if (helm?.valuesObject && Object.keys(helm.valuesObject).length > 0) {
          inlineValues = join(await tmpDir(), 'values-inline.yaml');
          await writeFile(inlineValues, stringify(helm.valuesObject));
        } else if (helm?.values?.trim()) {
          inlineValues = join(await tmpDir(), 'values-inline.yaml');
          await writeFile(inlineValues, helm.values);
        }
        const valueFiles = opts.values.files.map((f) => f.abs);
        const strip = () => [chartDir === chartAbs ? '' : chartDir, opts.snapshotDir, tmp ?? ''];
        const served = await renderServed({
          bin: opts.bin,
          limits: opts.limits,
          strip: strip(),
          req: {
            release: releaseName,
            chart: chartDir,
            ...(opts.namespace ? { namespace: opts.namespace } : {}),
            valueFiles: inlineValues ? [...valueFiles, inlineValues] : valueFiles,
            ...(capabilities.kubeVersion ? { kubeVersion: capabilities.kubeVersion } : {}),
            apiVersions: capabilities.apiVersions ?? [],
            set: (helm?.parameters ?? [])
              .filter((p) => !p.forceString)
              .map((p) => `${p.name}=${cleanSetValue(p.value)}`),
            setString: (helm?.parameters ?? [])
              .filter((p) => p.forceString)
              .map((p) => `${p.name}=${cleanSetValue(p.value)}`),
          },
        });
        if (served) return served.ok ? parseManifests(served.stdout, 'helm output') : served;
        const home = join(await tmpDir(), 'home');
        await mkdir(home);
        const result = await runRenderTool({
          tool: 'helm template',
          bin: opts.bin,
          args: helmTemplateArgs({
            releaseName,
            chartDir,
            namespace: opts.namespace,
            valueFiles,
            inlineValues,
            parameters: helm?.parameters,
            capabilities,
          }),
          cwd: opts.snapshotDir,
          env: offlineHelmEnv(home),
          limits: opts.limits,
          strip: strip(),
        });
        if (!result.ok)
          return result.missing && opts.bin === 'helm' ? { ok: false, error: helmMissing } : result;
        return parseManifests(result.stdout, 'helm output');
      },
    );
  } finally {
    if (tmp) await rm(tmp, { recursive: true, force: true });
  }
}

/**
 * Renders through the shared bosun-helm-render when there is one for this helm binary; undefined
 * when there is none or it could not answer (the caller then runs `helm template`).
 */
async function renderServed(opts: {
  bin: string;
  req: HelmRenderRequest;
  limits: RenderLimits;
  strip: string[];
}): Promise<{ ok: true; stdout: string } | { ok: false; error: string } | undefined> {
  const server = await helmServerFor(opts.bin);
  if (!server) return undefined;
  const { limits } = opts;
  const remaining = limits.deadline - Date.now();
  if (remaining <= 0)
    return { ok: false, error: `render timed out after ${formatSeconds(limits.timeoutMs)}` };
  const r = await server.render(opts.req, {
    timeoutMs: remaining,
    maxBytes: limits.maxBytes,
    ...(limits.signal ? { signal: limits.signal } : {}),
  });
  if (r.ok) return r;
  if (r.reason === 'unavailable') return undefined;
  return {
    ok: false,
    error: toolError({
      tool: 'helm template',
      result: r,
      timeoutMs: limits.timeoutMs,
      maxBytes: limits.maxBytes,
      strip: opts.strip,
    }),
  };
}
