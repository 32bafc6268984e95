import type { AppState } from '../../engine/index.js';
import { actionable } from '../state/dialogs.js';
import { envOf, promotionTargets } from '../state/fleet-model.js';
import type { PromoteItem, PromoteModal } from '../state/types.js';
import { oneLine } from '../state/view-models.js';
import { call, fail, mayMutate } from './actions.js';
import type { ActionContext } from './context.js';

/**
 * Opens the promote dialog: the marked services (space on the fleet), else the app's own service, from the
 * app's environment to a later one.
 */
export function openPromote(ctx: ActionContext, app: AppState): void {
  if (!mayMutate(ctx, app, 'promote')) return;
  const from = envOf(app);
  const services = ctx.ui.fleet.marked.length > 0 ? [...ctx.ui.fleet.marked].sort() : [app.spec.service];
  const sources = services.flatMap((service) => {
    const a = ctx.snapshot.apps.find((x) => x.spec.service === service && envOf(x) === from);
    return a ? [{ service, fromApp: a.name }] : [];
  });
  const missing = services.filter((s) => !sources.some((x) => x.service === s));
  if (sources.length === 0) {
    ctx.dispatch({ type: 'status', level: 'warning', text: `no marked service has an app in ${from}` });
    return;
  }
  const targets = promotionTargets(ctx.snapshot, app);
  if (targets.length === 0) {
    ctx.dispatch({
      type: 'status',
      level: 'warning',
      text: `${from} is the last environment; nothing to promote to`,
    });
    return;
  }
  if (missing.length > 0)
    ctx.dispatch({
      type: 'status',
      level: 'warning',
      text: `not in ${from}, left out: ${missing.join(', ')}`,
    });
  const modal: Omit<PromoteModal, 'id'> = {
    kind: 'promote',
    from,
    sources,
    targets,
    stage: 'pick',
    items: [],
    cursor: 0,
    typed: '',
  };
  ctx.dispatch({ type: 'modal-open', id: ctx.nextId(), modal });
}

/** Chooses the target under the cursor and loads one preview per service. */
export function choosePromoteTarget(ctx: ActionContext, m: PromoteModal): void {
  const target = m.targets[m.cursor];
  if (!target) return;
  const items: PromoteItem[] = m.sources.map((src) => {
    const to = ctx.snapshot.apps.find((a) => a.spec.service === src.service && envOf(a) === target.env);
    return { ...src, plan: { status: 'loading' }, ...(to ? { toApp: to.name } : {}) };
  });
  for (const it of items) {
    const to = ctx.snapshot.apps.find((a) => a.name === it.toApp);
    if (to && !mayMutate(ctx, to, 'promote to')) return;
  }
  ctx.dispatch({ type: 'promote-target', id: m.id, target, items });
  for (const it of items)
    call(() => ctx.engine.planPromote({ service: it.service, from: m.from, to: target.env })).then(
      (value) =>
        ctx.dispatch({
          type: 'promote-plan',
          id: m.id,
          service: it.service,
          plan: { status: 'ready', value },
        }),
      (err) =>
        ctx.dispatch({
          type: 'promote-plan',
          id: m.id,
          service: it.service,
          plan: {
            status: 'error',
            message: fail(ctx, `promotion preview of ${it.service} to ${target.env}`, err),
          },
        }),
    );
}

/** Commits and pushes each previewed promotion in turn; one failure does not stop the others. */
export async function applyPromotion(ctx: ActionContext, m: PromoteModal): Promise<void> {
  const production = m.target?.production ?? false;
  ctx.dispatch({ type: 'modal-stage', id: m.id, stage: 'applying' });
  const work = new Set(actionable(m).map((x) => x.item));
  const items: PromoteItem[] = [];
  for (const item of m.items) {
    if (!work.has(item) || item.plan.status !== 'ready') {
      items.push(item);
      continue;
    }
    try {
      // The typed name (one service) or environment (several) confirmed all of them; the engine checks each app.
      const confirm = production
        ? { confirm: m.items.length === 1 ? m.typed : (item.toApp ?? item.service) }
        : undefined;
      const result = await ctx.engine.applyGitChange(item.plan.value, confirm);
      items.push({ ...item, result });
    } catch (err) {
      items.push({ ...item, error: fail(ctx, `promotion of ${item.service}`, err) });
    }
  }
  ctx.dispatch({ type: 'promote-finished', id: m.id, items });
  const pushed = items.filter((it) => it.result);
  const failed = items.filter((it) => it.error);
  const first = pushed[0]?.result;
  if (!first) return;
  const next = first.nextStep ? ` — ${oneLine(first.nextStep)}` : '';
  ctx.dispatch({
    type: 'status',
    level: failed.length > 0 ? 'warning' : 'success',
    text:
      pushed.length === 1 && failed.length === 0
        ? `promotion pushed: ${first.commit.slice(0, 7)} to ${first.pushedTo}${next}`
        : `promoted ${pushed.length} of ${items.length} services to ${m.target?.env}${failed.length ? ` (${failed.length} failed)` : ''}${next}`,
  });
}
