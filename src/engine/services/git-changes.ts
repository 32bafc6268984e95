import { randomBytes } from 'node:crypto';
import { chmod, cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { applyPatch, parsePatch } from 'diff';
import { appPolicyOf } from '../core/app-policy.js';
import { compareApp, prepareDesired } from '../core/compare-app.js';
import type { EngineContext } from '../core/context.js';
import { customizationsFor } from '../core/customizations.js';
import { PolicyRefusal } from '../core/refusal.js';
import { normalizeObject, unifiedDiff } from '../diff/index.js';
import { revertChangePlan, revertCommit } from '../git/revert.js';
import { appendJournal } from '../history/index.js';
import { ResourceSync } from '../model/status.js';
import { environmentIsProduction, MutatingAction, RefusalCode, readOnlyReason } from '../policy/index.js';
import { type PromotionPlan, planPromotion, promote, toGitChangePlan } from '../promote/index.js';
import { inputPaths, renderApp } from '../render/index.js';
import type { GitChangePlan, GitChangeResult, ResourceDiff } from '../types.js';
import { capabilitiesOf } from './desired.js';
import type { Reconciler } from './reconciler.js';

type Pending =
  | {
      kind: 'promote';
      plan: PromotionPlan;
      view: GitChangePlan;
      production: boolean;
      name: string;
      requireReview: boolean;
    }
  | { kind: 'revert'; commit: string; app: string; view: GitChangePlan; production: boolean };

/** What the git-change service needs of the reconciler. */
type ReconcilerPort = Pick<Reconciler, 'predictions' | 'refreshHead'>;

/** New contents of files after a multi-file unified diff (from a revert preview) is applied to the snapshot. */
async function filesAfterPatch(snapshotDir: string, fileDiff: string): Promise<Map<string, string | null>> {
  const out = new Map<string, string | null>();
  for (const p of parsePatch(fileDiff)) {
    const name = (
      p.newFileName && p.newFileName !== '/dev/null' ? p.newFileName : (p.oldFileName ?? '')
    ).replace(/^[ab]\//, '');
    if (!name) continue;
    if (p.newFileName === '/dev/null') {
      out.set(name, null);
      continue;
    }
    const before =
      p.oldFileName === '/dev/null' ? '' : await readFile(join(snapshotDir, name), 'utf8').catch(() => '');
    const after = applyPatch(before, p);
    if (after === false) throw new Error(`the revert's diff does not apply to ${name} at the branch head`);
    out.set(name, after);
  }
  return out;
}

/**
 * The rendered diff of the apps a file change touches, against their live state: the snapshot is
 * copied, the changed files written, each affected app rendered from the copy and compared live.
 */
export async function renderedPreview(
  core: EngineContext,
  reconciler: ReconcilerPort,
  files: Map<string, string | null>,
): Promise<{ app: string; diffs: ResourceDiff[] }[]> {
  if (!core.snapshotDir || files.size === 0) return [];
  const changed = [...files.keys()];
  const affected: string[] = [];
  for (const rt of core.apps.values()) {
    const inputs = await inputPaths({ spec: rt.spec, snapshotDir: core.snapshotDir });
    if (inputs.some((i) => changed.some((f) => f === i || f.startsWith(`${i.replace(/\/$/, '')}/`))))
      affected.push(rt.spec.name);
  }
  if (affected.length === 0) return [];
  const dir = await mkdtemp(join(tmpdir(), 'bosun-preview-'));
  try {
    await cp(core.snapshotDir, dir, { recursive: true });
    for (const [f, text] of files) {
      const p = join(dir, f);
      await chmod(dirname(p), 0o755).catch(() => {});
      await rm(p, { force: true });
      if (text !== null) await writeFile(p, text);
    }
    const out: { app: string; diffs: ResourceDiff[] }[] = [];
    for (const name of affected) {
      const rt = core.apps.get(name);
      const cache = rt?.context ? core.caches.get(rt.context) : undefined;
      if (!rt || !cache) continue;
      const r = await renderApp({
        spec: rt.spec,
        snapshotDir: dir,
        revision: core.head ?? 'preview',
        timeoutMs: core.config.limits.renderTimeoutSeconds * 1000,
        ...(core.config.binaries.kustomize ? { kustomizeBin: core.config.binaries.kustomize } : {}),
        ...(core.config.binaries.helm ? { helmBin: core.config.binaries.helm } : {}),
        ...capabilitiesOf(core, rt.context),
      });
      if (!r.ok) {
        out.push({
          app: name,
          diffs: [
            {
              key: { group: '', kind: 'Render', namespace: '', name },
              sync: ResourceSync.OutOfSync,
              changedPaths: [],
              text: `# render failed: ${r.error}\n`,
              explain: [r.error],
            },
          ],
        });
        continue;
      }
      const desired = prepareDesired(rt.spec, r.objects, {
        trackingAnnotation: core.tracking,
        namespaced: (g, k) => cache.cluster.discovery.find(g, k)?.namespaced,
      });
      const compares = await compareApp({
        app: rt.spec,
        desired,
        cache,
        predict: reconciler.predictions.predictorFor(cache),
        trackingAnnotation: core.tracking,
        ...withCustomizations(customizationsFor(core, rt.context)),
        systemIgnores: (rt.context && core.systemIgnores.get(rt.context)) || [],
      });
      const diffs: ResourceDiff[] = compares
        .filter((c) => c.sync !== ResourceSync.Synced)
        .map((c) => ({
          key: c.key,
          sync: c.sync,
          changedPaths: c.result?.changedPaths ?? [],
          explain: c.explain,
          text: c.result
            ? unifiedDiff({ key: c.key, live: c.result.normalizedLive, target: c.result.normalizedTarget })
            : c.desired
              ? unifiedDiff({ key: c.key, target: normalizeObject(c.desired) })
              : c.live
                ? unifiedDiff({ key: c.key, live: normalizeObject(c.live) })
                : '',
        }));
      out.push({ app: name, diffs });
    }
    return out;
  } finally {
    await rm(dir, { recursive: true, force: true }).catch(() => {});
  }
}

const newId = () => randomBytes(6).toString('hex');

/** Promotions and reverts: previews, then commit and push; owns the previewed (pending) changes. */
export class GitChanges {
  /** Changes previewed by this engine, by plan id: only these can be applied. */
  private readonly pending = new Map<string, Pending>();
  /** Set by the facade: called with the apps a change pushed to the branch touches (the argocd backend refreshes them). */
  onPushed?: (apps: string[]) => Promise<void>;

  constructor(
    private readonly ctx: EngineContext,
    private readonly reconciler: ReconcilerPort,
  ) {}

  /** Previews a promotion: file diff, rendered diff of the target environment against live, commit message. */
  async planPromote(opts: { service: string; from: string; to: string }): Promise<GitChangePlan> {
    const core = this.ctx;
    await this.reconciler.refreshHead();
    const snapshotDir = core.snapshotDir;
    if (!snapshotDir) throw new Error('the repository has no snapshot yet');
    const apps = [...core.apps.values()].map((r) => r.spec);
    if (!apps.some((a) => a.service === opts.service)) throw new Error(`unknown service "${opts.service}"`);
    const plan = await planPromotion({
      service: opts.service,
      from: opts.from,
      to: opts.to,
      apps,
      readFile: async (p) => readFile(join(snapshotDir, p), 'utf8').catch(() => undefined),
      identity: core.who,
      helmValueKey: core.config.promote.helmValueKey,
      environments: core.store.getSnapshot().environments.map((e) => ({
        name: e.name,
        production: e.production,
        requireReview: e.requireReview,
      })),
    });
    const env = core.store.getSnapshot().environments.find((e) => e.name === plan.to);
    const requireReview = env?.requireReview ?? false;
    const id = newId();
    const view = toGitChangePlan(plan, { targetBranch: core.config.repo.branch, id, requireReview });
    view.renderedDiff = await renderedPreview(
      core,
      this.reconciler,
      new Map(plan.edits.map((e) => [e.file, e.after])),
    );
    const production =
      environmentIsProduction(plan.to, core.config.environments) ||
      plan.services.some((sv) =>
        sv.targetApps.some((a) => {
          const target = core.apps.get(a);
          return target ? appPolicyOf(core, target).confirm.includes(MutatingAction.Promote) : false;
        }),
      );
    view.production = production;
    this.pending.set(id, { kind: 'promote', plan, view, production, name: opts.service, requireReview });
    return view;
  }

  /** Previews reverting a commit of an app's history. */
  async planRevert(opts: { app: string; commit: string }): Promise<GitChangePlan> {
    const core = this.ctx;
    const rt = core.apps.get(opts.app);
    if (!rt) throw new Error(`unknown application "${opts.app}"`);
    await this.reconciler.refreshHead();
    const r = await revertCommit({
      repoPath: core.opts.repoPath,
      cacheDir: core.cacheDir,
      commit: opts.commit,
      targetBranch: core.config.repo.branch,
      remote: core.config.repo.remote,
      identity: core.who,
      preview: true,
    });
    const id = newId();
    const view = revertChangePlan(r, { id, targetBranch: core.config.repo.branch });
    if (core.snapshotDir)
      view.renderedDiff = await renderedPreview(
        core,
        this.reconciler,
        await filesAfterPatch(core.snapshotDir, r.fileDiff),
      );
    const production = appPolicyOf(core, rt).confirm.includes(MutatingAction.Revert);
    view.production = production;
    this.pending.set(id, { kind: 'revert', commit: r.reverted, app: opts.app, view, production });
    return view;
  }

  /** Commits and pushes a previewed change (production needs the name typed as `confirm`). */
  async apply(plan: GitChangePlan, opts: { confirm?: string } = {}): Promise<GitChangeResult> {
    const core = this.ctx;
    const p = this.pending.get(plan.id);
    if (!p) throw new Error('this change was not previewed by this engine (preview it again)');
    const readOnly = readOnlyReason({ engineReadOnly: core.opts.readOnly ?? false });
    if (readOnly) throw new PolicyRefusal(`refused: ${readOnly.reason}`, readOnly.code);
    const name = p.kind === 'promote' ? p.name : p.app;
    // A promotion is confirmed by its service name (CLI) or by the name of a target app (the TUI asks for that).
    const accepted =
      p.kind === 'promote' ? [p.name, ...p.plan.services.flatMap((s) => s.targetApps)] : [p.app];
    if (p.production && !accepted.includes(opts.confirm ?? '')) {
      throw new PolicyRefusal(
        `refused: this change targets production; confirm by typing ${name}`,
        RefusalCode.ConfirmationRequired,
      );
    }
    const journal = (result: string, message: string, extra: Record<string, unknown> = {}) =>
      appendJournal(
        { identity: core.who, action: p.kind, app: name, result, message, details: extra },
        { redact: core.redactions.forApp(p.kind === 'revert' ? p.app : undefined).text },
      ).catch(() => {});
    try {
      let result: GitChangeResult;
      if (p.kind === 'promote') {
        const r = await promote({
          repoPath: core.opts.repoPath,
          cacheDir: core.cacheDir,
          remote: core.config.repo.remote,
          targetBranch: core.config.repo.branch,
          plan: p.plan,
          identity: core.who,
          requireReview: p.requireReview,
        });
        result = {
          commit: r.commit,
          pushedTo: r.pushedTo,
          branch: r.branch,
          retries: r.retries,
          ...(r.nextStep ? { nextStep: r.nextStep } : {}),
        };
      } else {
        const r = await revertCommit({
          repoPath: core.opts.repoPath,
          cacheDir: core.cacheDir,
          commit: p.commit,
          targetBranch: core.config.repo.branch,
          remote: core.config.repo.remote,
          identity: core.who,
        });
        result = {
          commit: r.commit,
          pushedTo: r.pushedTo ?? core.config.repo.remote,
          branch: r.branch,
          retries: r.retries,
        };
      }
      this.pending.delete(plan.id);
      await journal('pushed', plan.title, { commit: result.commit, branch: result.branch });
      core.store.emit({
        type: 'log',
        level: 'info',
        message: `${plan.title}: pushed ${result.commit.slice(0, 7)} to ${result.pushedTo} ${result.branch}`,
      });
      await this.reconciler.refreshHead({ fetch: true }).catch(() => {});
      if (this.onPushed && result.branch === core.config.repo.branch) {
        const apps = [
          ...(p.kind === 'promote' ? p.plan.services.flatMap((s) => s.targetApps) : [p.app]),
          ...p.view.renderedDiff.map((r) => r.app),
        ];
        await this.onPushed([...new Set(apps)]).catch((err: Error) =>
          core.store.emit({ type: 'log', level: 'warn', message: `refresh after the push: ${err.message}` }),
        );
      }
      return result;
    } catch (err) {
      await journal('failed', (err as Error).message);
      throw new Error((err as Error).message, { cause: err });
    }
  }
}

function withCustomizations<T>(c: T | undefined): { customizations?: T } {
  return c ? { customizations: c } : {};
}
