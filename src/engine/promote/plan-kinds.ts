import type { AppSpec } from '../model/index.js';
import type { EditOp } from './edits.js';
import { hasHelmValue, MissingValueKeyError, readHelmValue } from './helm-values.js';
import {
  type ImageChange,
  imageFields,
  type KustomizeImage,
  readKustomizeImages,
} from './kustomize-images.js';
import type { ServicePromotion } from './service-promotion.js';
import {
  helmParameter,
  helmValueFiles,
  kustomizationFile,
  primarySource,
  type ReadRepoFile,
  VersionKind,
  versionKind,
} from './sources.js';
import { readTargetRevision } from './target-revision.js';

/** What one service's promotion is planned from. */
export type ServiceCtx = {
  service: string;
  from: string;
  to: string;
  source: AppSpec;
  targets: AppSpec[];
  read: ReadRepoFile;
  helmValueKey: string;
};
/** An edit of one file before the edits of all services are merged. */
export type PendingEdit = { file: string; before: string; ops: EditOp[]; description: string };
/** One service's plan and its edits. */
export type ServiceResult = { plan: ServicePromotion; edits: PendingEdit[] };

/** Plans one service: Kustomize images, else a Helm values key, else targetRevision. */
export async function planService(ctx: ServiceCtx): Promise<ServiceResult> {
  const srcKust = await kustomizationFile(primarySource(ctx.source).source, ctx.read);
  if (srcKust) {
    const r = await planKustomize(ctx, srcKust);
    if (r) return r;
  } else if ((await versionKind(ctx.source, ctx.read)) === VersionKind.Helm) {
    const r = await planHelm(ctx);
    if (r) return r;
  }
  return planTargetRevision(ctx);
}

function result(
  ctx: ServiceCtx,
  kind: VersionKind,
  fromVersion: string,
  toVersion: string,
  edits: PendingEdit[],
  warnings: string[] = [],
): ServiceResult {
  const nothing = edits.length === 0;
  const plan: ServicePromotion = {
    service: ctx.service,
    from: ctx.from,
    to: ctx.to,
    kind,
    sourceApp: ctx.source.name,
    targetApps: ctx.targets.map((t) => t.name),
    fromVersion,
    toVersion,
    summary: nothing ? `${ctx.service} ${toVersion}` : `${ctx.service} ${fromVersion} → ${toVersion}`,
    changes: edits.map((e) => ({ file: e.file, description: e.description })),
    ...(nothing
      ? { nothingToDo: `${ctx.service}: ${ctx.from} and ${ctx.to} both run ${toVersion}; nothing to promote` }
      : {}),
    warnings,
  };
  return { plan, edits };
}

/** Kustomize: copy newName/newTag/digest of every image the source overlay sets. Undefined: fall back. */
async function planKustomize(ctx: ServiceCtx, srcFile: string): Promise<ServiceResult | undefined> {
  const srcImages = readKustomizeImages((await ctx.read(srcFile)) ?? '', srcFile);
  if (srcImages.length === 0) return undefined;
  const edits: PendingEdit[] = [];
  const warnings: string[] = [];
  let versions: { from: string; to: string } | undefined;
  for (const target of ctx.targets) {
    const tgtFile = await kustomizationFile(primarySource(target).source, ctx.read);
    if (!tgtFile)
      throw new Error(`${target.name} has no kustomization.yaml in ${primarySource(target).source.path}`);
    if (tgtFile === srcFile) return undefined;
    if (primarySource(target).source.kustomize?.images?.length) {
      warnings.push(
        `${target.name} also sets kustomize.images in its Application; those override ${tgtFile}`,
      );
    }
    const before = (await ctx.read(tgtFile)) ?? '';
    const tgtImages = readKustomizeImages(before, tgtFile);
    const ops: EditOp[] = [];
    const lines: string[] = [];
    for (const s of srcImages) {
      const t = tgtImages.find((i) => i.name === s.name);
      const change = imageChange(s, t);
      if (!change) continue;
      ops.push({ kind: 'kustomize-image', change });
      lines.push(`images[${s.name}] ${imageVersion(t)} → ${imageVersion(s)}`);
      if (!versions || s.name === ctx.service || s.name.endsWith(`/${ctx.service}`)) {
        versions = { from: imageVersion(t), to: imageVersion(s) };
      }
    }
    if (ops.length > 0) edits.push({ file: tgtFile, before, ops, description: lines.join(', ') });
  }
  if (!versions) {
    const primary = srcImages.find((i) => i.name === ctx.service) ?? (srcImages[0] as KustomizeImage);
    versions = { from: imageVersion(primary), to: imageVersion(primary) };
  }
  return result(ctx, VersionKind.Kustomize, versions.from, versions.to, dedupe(edits), warnings);
}

/**
 * What to change in the target's entry: every field the source sets; a target `digest` the source
 * lacks is removed (it would override the copied tag). A target `newName` the source lacks stays
 * (environments often pull from their own registry mirror).
 */
function imageChange(s: KustomizeImage, t: KustomizeImage | undefined): ImageChange | undefined {
  const change: ImageChange = { name: s.name };
  let any = false;
  for (const f of imageFields) {
    const want = s[f];
    if (want !== undefined && want !== t?.[f]) {
      change[f] = want;
      any = true;
    }
  }
  if (t?.digest !== undefined && s.digest === undefined) {
    change.digest = null;
    any = true;
  }
  return any ? change : undefined;
}

function imageVersion(i: KustomizeImage | undefined): string {
  if (!i) return '(base)';
  if (i.digest) return i.digest.length > 19 ? i.digest.slice(0, 19) : i.digest;
  return i.newTag ?? (i.newName ? `${i.newName}` : '(base)');
}

/** Helm: copy the values key into the target's own value file. Undefined: fall back to targetRevision. */
async function planHelm(ctx: ServiceCtx): Promise<ServiceResult | undefined> {
  const key = ctx.helmValueKey;
  const srcFiles = helmValueFiles(ctx.source);
  const srcValue = await effectiveValue(ctx.source, key, ctx.read);
  const edits: PendingEdit[] = [];
  let fromVersion: string | undefined;
  for (const target of ctx.targets) {
    const tgtFiles = helmValueFiles(target);
    const own = tgtFiles.filter((f) => !srcFiles.some((s) => s.path === f.path));
    if (own.length === 0) return undefined;
    if (helmParameter(target, key) !== undefined) {
      throw new Error(
        `${target.name} sets ${key} with helm.parameters in its Application; edit it there by hand`,
      );
    }
    const tgtValue = await effectiveValue(target, key, ctx.read);
    fromVersion ??= tgtValue.value ?? '(unset)';
    if (srcValue.value === undefined) {
      throw new MissingValueKeyError(srcValue.lastFile ?? srcFiles.at(-1)?.path ?? 'values.yaml', key);
    }
    let file: string | undefined;
    let before = '';
    for (const f of [...own].reverse()) {
      const text = await ctx.read(f.path);
      if (text === undefined) {
        if (f.optional) continue;
        throw new Error(`value file ${f.path} of ${target.name} does not exist`);
      }
      if (hasHelmValue(text, { key, file: f.path })) {
        file = f.path;
        before = text;
        break;
      }
    }
    const last = [...own].reverse().find((f) => !f.optional) ?? own.at(-1);
    if (!file) throw new MissingValueKeyError(last?.path ?? 'values.yaml', key);
    if (tgtValue.value === srcValue.value) continue;
    edits.push({
      file,
      before,
      ops: [{ kind: 'helm-value', key, value: srcValue.value }],
      description: `${key} ${tgtValue.value ?? '(unset)'} → ${srcValue.value}`,
    });
  }
  const to = srcValue.value ?? '(unset)';
  return result(ctx, VersionKind.Helm, fromVersion ?? to, to, dedupe(edits));
}

async function effectiveValue(
  app: AppSpec,
  key: string,
  read: ReadRepoFile,
): Promise<{ value?: string; lastFile?: string }> {
  const param = helmParameter(app, key);
  if (param !== undefined) return { value: param };
  let found: { value?: string; lastFile?: string } = {};
  for (const f of helmValueFiles(app)) {
    const text = await read(f.path);
    if (text === undefined) {
      if (f.optional) continue;
      throw new Error(`value file ${f.path} of ${app.name} does not exist`);
    }
    const v = readHelmValue(text, { key, file: f.path });
    found =
      v !== undefined ? { value: v, lastFile: f.path } : { ...found, lastFile: found.lastFile ?? f.path };
  }
  return found;
}

/** targetRevision: copy the source's revision into each target's Application manifest. */
async function planTargetRevision(ctx: ServiceCtx): Promise<ServiceResult> {
  const toVersion = primarySource(ctx.source).source.targetRevision || 'HEAD';
  const edits: PendingEdit[] = [];
  let fromVersion: string | undefined;
  for (const target of ctx.targets) {
    const current = primarySource(target).source.targetRevision || 'HEAD';
    fromVersion ??= current;
    if (current === toVersion) continue;
    const file = target.origin.file;
    if (!file) {
      const by = target.origin.applicationSet
        ? `ApplicationSet ${target.origin.applicationSet}`
        : `app ${target.origin.parentApp ?? '?'}`;
      throw new Error(`${target.name} is generated by ${by}; change its targetRevision there by hand`);
    }
    const before = await ctx.read(file);
    if (before === undefined) throw new Error(`${file} (the Application ${target.name}) does not exist`);
    const op = revisionOp(before, file, target);
    edits.push({
      file,
      before,
      ops: [{ ...op, value: toVersion }],
      description: `${target.name} targetRevision ${current} → ${toVersion}`,
    });
  }
  return result(ctx, VersionKind.TargetRevision, fromVersion ?? toVersion, toVersion, dedupe(edits));
}

/** Whether the manifest uses `spec.source` or `spec.sources[i]` for this app. */
function revisionOp(text: string, file: string, app: AppSpec): Extract<EditOp, { kind: 'target-revision' }> {
  const { index } = primarySource(app);
  try {
    readTargetRevision(text, { app: app.name, file });
    return { kind: 'target-revision', app: app.name, value: '' };
  } catch {
    readTargetRevision(text, { app: app.name, file, sourceIndex: index });
    return { kind: 'target-revision', app: app.name, sourceIndex: index, value: '' };
  }
}

function dedupe(edits: PendingEdit[]): PendingEdit[] {
  const seen = new Map<string, PendingEdit>();
  for (const e of edits) {
    const prev = seen.get(e.file);
    if (!prev) seen.set(e.file, e);
    else if (!prev.description.includes(e.description)) {
      prev.ops.push(...e.ops);
      prev.description += `; ${e.description}`;
    }
  }
  return [...seen.values()];
}
