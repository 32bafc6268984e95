import type { AppSpec } from '../model/index.js';
import { type EnvironmentSetting, findPromotionApps } from './chain.js';
import { applyEditOps, type EditOp, type FileEdit } from './edits.js';
import { defaultHelmValueKey, hasHelmValue, MissingValueKeyError, readHelmValue } from './helm-values.js';
import {
  type ImageChange,
  imageFields,
  type KustomizeImage,
  readKustomizeImages,
} from './kustomize-images.js';
import { promotionMessage } from './message.js';
import {
  cachedReader,
  helmParameter,
  helmValueFiles,
  kustomizationFile,
  primarySource,
  type ReadRepoFile,
  VersionKind,
  versionKind,
} from './sources.js';
import { readTargetRevision } from './target-revision.js';

/** Options of `planPromotion`. */
export type PlanPromotionOptions = {
  /** One service, or several promoted in one commit. */
  service: string | string[];
  /** The environment whose versions are copied. */
  from: string;
  /** The environment that receives them (default: the one after `from` in the chain). */
  to?: string;
  /** All apps (after discovery), with `environment` and `service` resolved. */
  apps: AppSpec[];
  /** Reads a repo-relative file at the revision being planned (the target branch's tip). */
  readFile: ReadRepoFile;
  /** `user@host` for the `Promoted-by:` trailer. */
  identity: string;
  /** Dotted Helm values key holding the version (default `image.tag`). */
  helmValueKey?: string;
  /** The configured environment chain, if any. */
  environments?: EnvironmentSetting[];
};

/** What promoting one service does. */
export type ServicePromotion = {
  service: string;
  from: string;
  to: string;
  /** How the version is expressed: kustomize images, a Helm values key, or targetRevision. */
  kind: VersionKind;
  sourceApp: string;
  targetApps: string[];
  /** The version `to` runs now. */
  fromVersion: string;
  /** The version it will run (what `from` runs). */
  toVersion: string;
  /** `order-service v1.47.1 → v1.47.2`. */
  summary: string;
  /** Files changed for this service, with a line each saying how. */
  changes: { file: string; description: string }[];
  /** Set when source and target already match. */
  nothingToDo?: string;
  warnings: string[];
};

/** A previewed promotion: the text edits, versions and the commit message. */
export type PromotionPlan = {
  from: string;
  to: string;
  /** The services with something to promote (and those with nothing to do). */
  services: ServicePromotion[];
  /** One edit per changed file, in path order. */
  edits: FileEdit[];
  /** `order-service v1.47.1 → v1.47.2` (services joined by `, `). */
  summary: string;
  /** Set when no service has anything to promote: says why, in one line. */
  nothingToDo?: string;
  /** Full commit message (subject, body, trailers). */
  commitMessage: string;
  /** Services that cannot be promoted, one line each (naming file and key where that is why). */
  refusals: string[];
  warnings: string[];
};

/**
 * Plans promoting one or several services from `from` to `to`: compares Kustomize `images[]`
 * entries, else the Helm values key in the target's own value files, else `targetRevision`, and
 * returns the text edits, versions, and commit message. Reads files only through `readFile`.
 * Throws one line when no requested service can be promoted for a reason other than "already equal".
 */
export async function planPromotion(opts: PlanPromotionOptions): Promise<PromotionPlan> {
  const services = [...new Set(Array.isArray(opts.service) ? opts.service : [opts.service])];
  if (services.length === 0) throw new Error('no service to promote');
  const read = cachedReader(opts.readFile);
  const plans: ServicePromotion[] = [];
  const refusals: string[] = [];
  const warnings: string[] = [];
  const byFile = new Map<string, { before: string; ops: EditOp[]; descriptions: string[] }>();
  let to = opts.to;
  for (const service of services) {
    try {
      const found = findPromotionApps({
        service,
        from: opts.from,
        to,
        apps: opts.apps,
        environments: opts.environments,
      });
      to = found.to;
      const sp = await planService({
        ...found,
        read,
        helmValueKey: opts.helmValueKey ?? defaultHelmValueKey,
      });
      sp.plan.warnings.unshift(...found.warnings);
      plans.push(sp.plan);
      for (const e of sp.edits) {
        const entry = byFile.get(e.file) ?? { before: e.before, ops: [], descriptions: [] };
        entry.ops.push(...e.ops);
        entry.descriptions.push(e.description);
        byFile.set(e.file, entry);
      }
    } catch (err) {
      refusals.push(`${service}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  for (const p of plans) warnings.push(...p.warnings);
  if (plans.length === 0 || to === undefined) {
    throw new Error(refusals.length === 1 ? (refusals[0] as string) : refusals.join('; '));
  }
  const edits: FileEdit[] = [];
  for (const [file, e] of [...byFile].sort(([a], [b]) => a.localeCompare(b))) {
    const after = applyEditOps(e.before, file, e.ops);
    if (after !== e.before) {
      edits.push({
        file,
        before: e.before,
        after,
        ops: e.ops,
        description: [...new Set(e.descriptions)].join('; '),
      });
    }
  }
  const active = plans.filter((p) => !p.nothingToDo);
  const summary = (active.length > 0 ? active : plans).map((p) => p.summary).join(', ');
  const nothingToDo =
    edits.length === 0
      ? plans.map((p) => p.nothingToDo ?? `${p.service}: nothing to promote`).join('; ')
      : undefined;
  return {
    from: opts.from,
    to,
    services: plans,
    edits,
    summary,
    ...(nothingToDo ? { nothingToDo } : {}),
    commitMessage: promotionMessage({ services: active, from: opts.from, to, identity: opts.identity }),
    refusals,
    warnings,
  };
}

type ServiceCtx = {
  service: string;
  from: string;
  to: string;
  source: AppSpec;
  targets: AppSpec[];
  read: ReadRepoFile;
  helmValueKey: string;
};
type PendingEdit = { file: string; before: string; ops: EditOp[]; description: string };
type ServiceResult = { plan: ServicePromotion; edits: PendingEdit[] };

async function planService(ctx: ServiceCtx): Promise<ServiceResult> {
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
