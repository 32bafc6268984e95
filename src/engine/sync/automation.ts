/**
 * Automated sync and self-heal decisions, as Argo CD makes them: an app with `syncPolicy.automated` syncs
 * once per new revision when it is OutOfSync; a failed automated sync of a revision is not repeated unless
 * `selfHeal` is on; with `selfHeal` drift is corrected — the first time at once, then with a 2 s × 3 backoff
 * capped at 5 min — and repeated corrections raise a warning that something keeps changing the object.
 * Prune only with `automated.prune`; an empty desired set is never synced unless `allowEmpty`. Pure.
 */
import type { AppSpec } from '../model/index.js';

/** Input of {@link decideAutomation}. */
export type AutomationInput = {
  app: AppSpec;
  /** Revision the desired state was rendered from; undefined when the render failed. */
  revision?: string;
  /** Revision of the last successful sync. */
  lastSyncedRevision?: string;
  /** The app is OutOfSync now. */
  outOfSync: boolean;
  /** Automated attempts made for the current drift or revision (reset by the caller once Synced). */
  attempts: number;
  /** When the last automated attempt started (ms since epoch). */
  lastAttemptAt?: number;
  now: number;
  /** Revision of the last automated attempt and whether it failed (once per revision). */
  lastAttemptedRevision?: string;
  lastAttemptFailed?: boolean;
  /** Desired objects of the render (0 = empty). */
  desiredCount?: number;
  /** Resources that drifted (labels such as `Deployment/shop/web`), for the warning. */
  driftedResources?: string[];
  /** The configured backend: with `argocd`, Argo CD syncs and self-heals and bosun never does. */
  backend?: 'embedded' | 'argocd';
};

/** What automation should do now. */
export type AutomationDecision = {
  action: 'none' | 'sync';
  reason: string;
  /** Whether the sync may prune (automated.prune). */
  prune: boolean;
  /** When to look again (backoff), if waiting. */
  nextAttemptAt?: number;
  /** A sentence for the operator (repeated self-heal, empty render). */
  warning?: string;
};

/** First self-heal retry delay, factor and cap. */
export const SELF_HEAL_BACKOFF = { initialMs: 2000, factor: 3, maxMs: 300_000 } as const;
/** Corrections after which the operator is told something keeps changing the app's objects. */
export const SELF_HEAL_WARN_AFTER = 3;

/** The self-heal wait after `attempts` corrections (0 → at once, then 2 s, 6 s, 18 s … up to 5 min). */
export function selfHealDelay(attempts: number): number {
  if (attempts <= 0) return 0;
  const { initialMs, factor, maxMs } = SELF_HEAL_BACKOFF;
  return Math.min(initialMs * factor ** (attempts - 1), maxMs);
}

const short = (rev: string) => rev.slice(0, 7);

/** Decides whether automation syncs the app now. */
export function decideAutomation(input: AutomationInput): AutomationDecision {
  const automated = input.app.syncPolicy?.automated;
  const prune = automated?.prune === true;
  const none = (reason: string, extra: Partial<AutomationDecision> = {}): AutomationDecision => ({
    action: 'none',
    reason,
    prune,
    ...extra,
  });
  if (input.backend === 'argocd')
    return none('backend is argocd: Argo CD syncs and self-heals, bosun never does');
  if (!automated || automated.enabled === false) return none('automated sync is off for this app');
  if (!input.revision) return none('no rendered revision to sync (the render failed or has not run)');
  if (input.desiredCount === 0 && automated.allowEmpty !== true) {
    return none('render produced no objects; automated sync never syncs an empty app without allowEmpty', {
      warning: `${input.app.name}: the render produced no objects; not syncing (set syncPolicy.automated.allowEmpty to allow)`,
    });
  }
  if (!input.outOfSync) return none('already synced');

  const rev = input.revision;
  const newRevision = rev !== input.lastSyncedRevision;
  const failedBefore = input.lastAttemptedRevision === rev && input.lastAttemptFailed === true;
  if (newRevision && !failedBefore) {
    if (input.lastAttemptedRevision === rev && input.attempts > 0 && !automated.selfHeal)
      return none(`an automated sync to ${short(rev)} was already attempted`);
    return { action: 'sync', reason: `new revision ${short(rev)}`, prune };
  }
  if (!automated.selfHeal) {
    return none(
      failedBefore
        ? `the automated sync to ${short(rev)} failed; not retrying without selfHeal (sync manually)`
        : `drift at ${short(rev)} is not corrected: selfHeal is off`,
    );
  }

  const delay = selfHealDelay(input.attempts);
  const nextAttemptAt = input.lastAttemptAt === undefined ? input.now : input.lastAttemptAt + delay;
  const what = input.driftedResources?.length
    ? input.driftedResources.join(', ')
    : `objects of ${input.app.name}`;
  const warning =
    input.attempts >= SELF_HEAL_WARN_AFTER
      ? `something keeps changing ${what}: self-heal corrected it ${input.attempts} times`
      : undefined;
  const extra = warning ? { warning } : {};
  if (input.now < nextAttemptAt) {
    return none(`self-heal backing off until attempt ${input.attempts + 1}`, { nextAttemptAt, ...extra });
  }
  const reason =
    input.attempts === 0
      ? `self-heal: live state drifted from ${short(rev)}`
      : `self-heal attempt ${input.attempts + 1}: live state drifted from ${short(rev)} again`;
  return { action: 'sync', reason, prune, ...extra };
}
