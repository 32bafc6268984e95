import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { stringify } from 'yaml';
import type { KubeObject, KustomizeOptions } from '../model/index.js';
import { type RenderLimits, runRenderTool } from './exec.js';
import { parseManifests } from './manifests.js';

/** A kustomize `images:` entry. */
export type KustomizeImage = { name: string; newName?: string; newTag?: string; digest?: string };

/**
 * Parses an Argo CD image override (`[alias=]image[:tag|@digest]`) into a kustomize `images:` entry:
 * `registry/web:v2` → name `registry/web`, newTag `v2`; `web=registry/web2:v2` also sets newName.
 */
export function parseImageOverride(spec: string): KustomizeImage {
  const eq = spec.indexOf('=');
  const alias = eq >= 0 ? spec.slice(0, eq) : undefined;
  let rest = eq >= 0 ? spec.slice(eq + 1) : spec;
  let digest: string | undefined;
  let newTag: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    newTag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  const image: KustomizeImage = { name: alias ?? rest };
  if (alias !== undefined && rest && rest !== alias) image.newName = rest;
  if (newTag) image.newTag = newTag;
  if (digest) image.digest = digest;
  return image;
}

/** True when `spec.source.kustomize` asks for anything kustomize must apply on top of the app. */
export function hasKustomizeOverrides(o: KustomizeOptions | undefined): o is KustomizeOptions {
  if (!o) return false;
  return !!(
    o.images?.length ||
    o.namePrefix ||
    o.nameSuffix ||
    o.namespace ||
    (o.commonLabels && Object.keys(o.commonLabels).length) ||
    (o.commonAnnotations && Object.keys(o.commonAnnotations).length)
  );
}

/** The wrapping kustomization that applies the Application's overrides to the app directory. */
export function wrapperKustomization(appRelToWrapper: string, o: KustomizeOptions): Record<string, unknown> {
  const k: Record<string, unknown> = {
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    resources: [appRelToWrapper],
  };
  if (o.namePrefix) k.namePrefix = o.namePrefix;
  if (o.nameSuffix) k.nameSuffix = o.nameSuffix;
  if (o.namespace) k.namespace = o.namespace;
  if (o.images?.length) k.images = o.images.map(parseImageOverride);
  if (o.commonLabels && Object.keys(o.commonLabels).length) k.commonLabels = o.commonLabels;
  if (o.commonAnnotations && Object.keys(o.commonAnnotations).length)
    k.commonAnnotations = o.commonAnnotations;
  return k;
}

/** The error of a Kustomize app when neither `kustomize` nor `kubectl` is on PATH. */
export const kustomizeMissing =
  'kustomize is not installed: install kustomize (https://kubectl.docs.kubernetes.io/installation/kustomize/) or kubectl, or set binaries.kustomize in bosun.yaml';

/** Objects built by kustomize, or a one-line reason. */
export type KustomizeResult = { ok: true; objects: KubeObject[] } | { ok: false; error: string };

/**
 * Runs `kustomize build` on the app directory. Overrides from the Application are applied by a
 * temporary wrapping kustomization that refers to the app directory by a relative path, so the
 * read-only snapshot is never edited and kustomize's load restrictions stay on.
 */
export async function renderKustomize(opts: {
  snapshotDir: string;
  appAbs: string;
  options?: KustomizeOptions;
  bin: string;
  limits: RenderLimits;
}): Promise<KustomizeResult> {
  const tmp = await mkdtemp(join(tmpdir(), 'bosun-kustomize-'));
  try {
    let target = opts.appAbs;
    if (hasKustomizeOverrides(opts.options)) {
      target = join(tmp, 'wrapper');
      await mkdir(target);
      const k = wrapperKustomization(relative(target, opts.appAbs), opts.options);
      await writeFile(join(target, 'kustomization.yaml'), stringify(k));
    }
    const run = (tool: string, bin: string, args: string[]) =>
      runRenderTool({
        tool,
        bin,
        args,
        cwd: opts.snapshotDir,
        env: {
          PATH: process.env.PATH ?? '/usr/bin:/bin',
          HOME: tmp,
          XDG_CONFIG_HOME: join(tmp, 'config'),
          ...(process.env.LANG ? { LANG: process.env.LANG } : {}),
        },
        limits: opts.limits,
        strip: [opts.snapshotDir, tmp],
      });
    let result = await run('kustomize build', opts.bin, ['build', target]);
    // Only the default binary falls back: a configured path that is missing is the user's to fix.
    if (!result.ok && result.missing && opts.bin === 'kustomize') {
      result = await run('kubectl kustomize', 'kubectl', ['kustomize', target]);
      if (!result.ok && result.missing) return { ok: false, error: kustomizeMissing };
    }
    if (!result.ok) return result;
    return parseManifests(result.stdout, 'kustomize output');
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}
