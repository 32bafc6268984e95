import type { AppSpec } from '../model/index.js';
import { type EnvironmentSetting, findPromotionApps } from './chain.js';
import { applyEditOps, type EditOp, type FileEdit } from './edits.js';
import { defaultHelmValueKey } from './helm-values.js';
import { promotionMessage } from './message.js';
import { planService } from './plan-kinds.js';
import type { ServicePromotion } from './service-promotion.js';
import { cachedReader, type ReadRepoFile } from './sources.js';

export type { ServicePromotion } from './service-promotion.js';

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
