import { maskedFileDiff } from '../diff/secret-text.js';
import type { GitChangePlan } from '../types.js';
import type { FileEdit } from './edits.js';
import type { PromotionPlan } from './plan.js';

/** Unified diff of planned file edits (`--- a/<file>` / `+++ b/<file>`, 3 lines of context). Pure. */
export function editsDiff(edits: Pick<FileEdit, 'file' | 'before' | 'after'>[], context = 3): string {
  // Values of Secret manifests are masked: keys stay, a changed value reads "changed".
  return edits.map((e) => maskedFileDiff(e, context)).join('');
}

/** The review branch a promotion pushes to when its target environment requires review. Pure. */
export function reviewBranchName(plan: Pick<PromotionPlan, 'services' | 'to'>): string {
  const active = plan.services.filter((s) => !s.nothingToDo);
  const first = active[0] ?? plan.services[0];
  const service = active.length > 1 ? `${active.length}-services` : (first?.service ?? 'promotion');
  const version = active.length > 1 ? (first?.toVersion ?? 'batch') : (first?.toVersion ?? 'unknown');
  return `bosun/promote/${refPart(service)}-${refPart(plan.to)}-${refPart(version)}`;
}

/** The facade's view of a promotion plan (the rendered diff is added by the engine). Pure. */
export function toGitChangePlan(
  plan: PromotionPlan,
  opts: { targetBranch: string; id: string; requireReview?: boolean },
): GitChangePlan {
  return {
    kind: 'promote',
    title: plan.commitMessage.split('\n')[0] ?? `promote to ${plan.to}`,
    fileDiff: editsDiff(plan.edits),
    files: plan.edits.map((e) => e.file),
    renderedDiff: [],
    commitMessage: plan.commitMessage,
    targetBranch: opts.requireReview ? reviewBranchName(plan) : opts.targetBranch,
    ...(plan.nothingToDo ? { nothingToDo: plan.nothingToDo } : {}),
    refusals: plan.refusals,
    id: opts.id,
  };
}

function refPart(s: string): string {
  const clean = s
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/\.{2,}/g, '.')
    .replace(/^[-.]+|[-.]+$/g, '')
    .replace(/\.lock$/i, '-lock');
  return clean.slice(0, 60) || 'x';
}
