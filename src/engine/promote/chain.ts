import { defaultEnvironmentRanks } from '../apps/environment.js';
import type { AppSpec } from '../model/index.js';

/** One configured environment, in chain order. */
export type EnvironmentSetting = { name: string; requireReview?: boolean; production?: boolean };

/**
 * The environment chain, first to last: the configured order, then environments only the apps name
 * (alphabetically); without config dev < test < qa < staging < prod/production. Pure.
 */
export function environmentChain(apps: AppSpec[], configured: EnvironmentSetting[] = []): string[] {
  const found = [...new Set(apps.map((a) => a.environment).filter((e): e is string => !!e))];
  if (configured.length > 0) {
    const names = configured.map((e) => e.name);
    return [...new Set([...names, ...found.filter((e) => !names.includes(e)).sort()])];
  }
  const rank = (e: string) => defaultEnvironmentRanks[e.toLowerCase()] ?? 8;
  return found.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

/** The environment after `env` in the chain; undefined when it is the last (or unknown). Pure. */
export function nextEnvironment(env: string, chain: string[]): string | undefined {
  const i = chain.indexOf(env);
  return i >= 0 ? chain[i + 1] : undefined;
}

/** The service's apps found for a promotion from one environment to another. */
export type PromotionApps = {
  service: string;
  from: string;
  to: string;
  /** The app whose version is copied (the first by name when several run in `from`). */
  source: AppSpec;
  /** Every app of the service in `to` (one per cluster, say). */
  targets: AppSpec[];
  warnings: string[];
};

/**
 * Finds, for a service, the source app (environment `from`) and the target apps (environment `to`,
 * default: the next one in the chain). Throws one line saying what is missing. Pure.
 */
export function findPromotionApps(opts: {
  service: string;
  from: string;
  to?: string;
  apps: AppSpec[];
  environments?: EnvironmentSetting[];
}): PromotionApps {
  const { service, from } = opts;
  const mine = opts.apps.filter((a) => a.service === service).sort((a, b) => a.name.localeCompare(b.name));
  if (mine.length === 0) throw new Error(`no app belongs to service ${service}`);
  const chain = environmentChain(opts.apps, opts.environments);
  const to = opts.to ?? nextEnvironment(from, chain);
  if (!to) {
    throw new Error(
      chain.includes(from)
        ? `${from} is the last environment of the chain (${chain.join(' → ')}); there is nothing to promote to`
        : `environment ${from} is not in the chain (${chain.join(' → ') || 'no environments found'})`,
    );
  }
  if (to === from) throw new Error(`cannot promote ${service} from ${from} to itself`);
  const envs = [...new Set(mine.map((a) => a.environment ?? '?'))].join(', ');
  const sources = mine.filter((a) => a.environment === from);
  const targets = mine.filter((a) => a.environment === to);
  const source = sources[0];
  if (!source) throw new Error(`${service} has no app in environment ${from} (it runs in: ${envs})`);
  if (targets.length === 0)
    throw new Error(`${service} has no app in environment ${to} (it runs in: ${envs})`);
  const warnings: string[] = [];
  if (sources.length > 1) {
    warnings.push(
      `${service} has ${sources.length} apps in ${from} (${sources.map((a) => a.name).join(', ')}); copying from ${source.name}`,
    );
  }
  const fi = chain.indexOf(from);
  const ti = chain.indexOf(to);
  if (fi >= 0 && ti >= 0 && ti < fi)
    warnings.push(`${to} comes before ${from} in the chain: this promotes backwards`);
  return { service, from, to, source, targets, warnings };
}
