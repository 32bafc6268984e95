import type { NotificationSubscription, NotificationTrigger } from '../../config/index.js';
import { globMatch } from '../apps/glob.js';

/** One notification to send: what happened to which app, and its deduplication key. */
export type NotificationEvent = {
  trigger: NotificationTrigger;
  app: string;
  project: string;
  environment?: string;
  context?: string;
  revision?: string;
  operationId?: string;
  phase?: string;
  health?: string;
  /** One line: what happened. */
  message: string;
  /** The same for every operator that sees the same event (recorded in the app's history ConfigMap). */
  key: string;
};

/** The default body: Slack-compatible (`{"text": …}`), also read by Mattermost, Rocket.Chat and Teams' incoming webhooks. */
export const DEFAULT_BODY = '{"text": "{{text}}"}';

const titles: Record<NotificationTrigger, string> = {
  'on-sync-succeeded': 'sync succeeded',
  'on-sync-failed': 'sync failed',
  'on-health-degraded': 'health degraded',
  'on-deployed': 'deployed',
  'on-drift-detected': 'drift detected',
};

/** The placeholders a body template can use, with their values for one event. */
export function templateFields(e: NotificationEvent): Record<string, string> {
  const where = [e.environment, e.context].filter(Boolean).join(' on ');
  const rev = e.revision ? ` at ${e.revision.slice(0, 7)}` : '';
  return {
    trigger: e.trigger,
    app: e.app,
    project: e.project,
    environment: e.environment ?? '',
    context: e.context ?? '',
    revision: e.revision ?? '',
    operation: e.operationId ?? '',
    phase: e.phase ?? '',
    health: e.health ?? '',
    message: e.message,
    text: `bosun: ${e.app}${where ? ` (${where})` : ''} ${titles[e.trigger]}${rev}: ${e.message}`,
  };
}

/** JSON string content (no surrounding quotes): what a placeholder inside a JSON string needs. */
function jsonEscape(s: string): string {
  return JSON.stringify(s).slice(1, -1);
}

/** Fills a body template: `{{field}}` becomes the field's JSON-escaped value; unknown fields are left empty. */
export function renderBody(template: string | undefined, e: NotificationEvent): string {
  const fields = templateFields(e);
  return (template ?? DEFAULT_BODY).replace(/\{\{\s*([A-Za-z]+)\s*\}\}/g, (_, name: string) =>
    jsonEscape(fields[name] ?? ''),
  );
}

/** Expands `${NAME}` in a header value from the environment; names that are not set are reported. */
export function expandEnv(
  value: string,
  env: Record<string, string | undefined>,
): { value: string; missing: string[] } {
  const missing: string[] = [];
  const out = value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, name: string) => {
    const v = env[name];
    if (v === undefined) missing.push(name);
    return v ?? '';
  });
  return { value: out, missing };
}

const matchAny = (patterns: string[], value: string) =>
  patterns.length === 0 || patterns.some((p) => p === '*' || globMatch(p, value, { pathSeparator: false }));

/** The targets an event goes to: every subscription whose trigger, app and project globs match. */
export function targetsFor(subs: readonly NotificationSubscription[], e: NotificationEvent): string[] {
  const out = new Set<string>();
  for (const s of subs)
    if (s.triggers.includes(e.trigger) && matchAny(s.apps, e.app) && matchAny(s.projects, e.project))
      for (const t of s.targets) out.add(t);
  return [...out];
}
