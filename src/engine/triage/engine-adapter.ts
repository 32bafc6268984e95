/** Builds triage's narrow view of the engine core, and the TriageApi over it. */
import type { EngineContext } from '../core/context.js';
import { customizationsFor, luaVmOf } from '../core/customizations.js';
import { assessHealth } from '../health/index.js';
import { holderIdentity } from '../history/index.js';
import type { AppState } from '../model/app.js';
import type { AppPolicy } from '../policy/index.js';
import { type LuaActions, listActions, runAction } from './actions.js';
import type { TriageApi } from './api.js';
import type { TriageApp, TriageContext } from './context.js';
import { luaActionsOf } from './lua-actions.js';
import { appEvents, openLogs, resourceYaml, why } from './views.js';

/** The policy the engine published for an app (undefined before its first snapshot). */
function policyOf(core: EngineContext, app: string): AppPolicy | undefined {
  return core.store.getSnapshot().apps.find((a) => a.name === app)?.policy;
}

/** How triage reaches the engine: re-compare after a change; apps only the Argo CD backend knows. */
export type TriageHooks = {
  changed: (app: string) => void;
  /** An app that is in Argo CD but not in the repository bosun reads (its published state), if any. */
  externalApp?: (name: string) => AppState | undefined;
};

/** Triage's view of an app known only from its published state (Argo CD's resources, bosun's live cache). */
function publishedApp(core: EngineContext, a: AppState): TriageApp {
  const cache = a.context ? core.caches.get(a.context) : undefined;
  const customizations = customizationsFor(core, a.context);
  return {
    name: a.name,
    ...(a.context ? { context: a.context } : {}),
    selfHeal: Boolean(a.spec.syncPolicy?.automated?.selfHeal),
    resources: a.resources.map((r) => {
      const live = cache?.get(r.key);
      // Argo CD v3 keeps resource health out of the Application: assess the live object, as it would.
      const health =
        r.health ??
        (live
          ? assessHealth(live, customizations ? { customizations } : {})
          : r.sync === 'Missing' || cache?.status === 'Connected'
            ? { status: 'Missing', message: 'the object does not exist in the cluster' }
            : undefined);
      return { key: r.key, ...(live ? { live } : {}), ...(health ? { health } : {}) };
    }),
  };
}

/** The engine core as triage sees it. */
export function triageContext(core: EngineContext, o: TriageHooks): TriageContext {
  return {
    app(name) {
      const rt = core.apps.get(name);
      if (!rt) {
        const external = o.externalApp?.(name);
        if (external) return publishedApp(core, external);
        throw new Error(`unknown application "${name}"`);
      }
      return {
        name,
        ...(rt.context ? { context: rt.context } : {}),
        selfHeal: Boolean(rt.spec.syncPolicy?.automated?.selfHeal),
        resources: rt.compares.map((c) => ({
          key: c.key,
          ...(c.live ? { live: c.live } : {}),
          ...(c.desired ? { desired: c.desired } : {}),
          ...(c.health ? { health: c.health } : {}),
        })),
      };
    },
    cluster(context) {
      const cache = core.caches.get(context);
      return cache && cache.status === 'Connected' ? cache.cluster : undefined;
    },
    ownedBy(context, uid) {
      return core.caches.get(context)?.ownedBy(uid) ?? [];
    },
    // The one policy, as published on the snapshot; the config is read only for an app not in it yet.
    readOnly(app) {
      const policy = policyOf(core, app.name);
      if (policy) return policy.readOnly?.reason;
      if (core.opts.readOnly) return 'bosun runs --read-only';
      const cfg = core.config.clusters.find((c) => c.context === app.context);
      return cfg?.readOnly ? `cluster ${cfg.name} is read-only in bosun.yaml` : undefined;
    },
    production(app) {
      const policy = policyOf(core, app.name);
      if (policy) return policy.production;
      const snap = core.store.getSnapshot();
      const rt = core.apps.get(app.name);
      const cluster = snap.clusters.find((c) => c.context === app.context);
      const env = snap.environments.find((e) => e.name === rt?.spec.environment);
      return Boolean(cluster?.production || env?.production);
    },
    who: core.who,
    holder: holderIdentity(),
    emit: (e) => core.store.emit(e),
    changed: o.changed,
    redact: (app) => core.redactions.forApp(app).text,
  };
}

/** The triage methods of the facade. */
export function triageApi(core: EngineContext, o: TriageHooks): TriageApi {
  // The Lua actions of the app's cluster: its argocd-cm over the customization directories.
  const lua = async (app: string): Promise<LuaActions | undefined> => {
    const c = customizationsFor(core, core.apps.get(app)?.context);
    if (!c?.layers.some((l) => l.actions.size > 0)) return undefined;
    return luaActionsOf(c, await luaVmOf(core));
  };
  const ctx = () => triageContext(core, o);
  return {
    logs: (app, opts) => {
      const { resource, ...options } = opts;
      return openLogs(ctx(), { app, ...(resource ? { resource } : {}), options });
    },
    events: (app, opts = {}) => appEvents(ctx(), { app, ...opts }),
    resourceYaml: (app, resource, opts = {}) => resourceYaml(ctx(), { app, resource, ...opts }),
    actions: async (app, resource) => {
      const l = await lua(app);
      return listActions(ctx(), { app, resource, ...(l ? { lua: l } : {}) });
    },
    runAction: async (req) => {
      const l = await lua(req.app);
      return runAction(ctx(), { ...req, ...(l ? { lua: l } : {}) });
    },
    why: (app) => why(ctx(), { app }),
  };
}
