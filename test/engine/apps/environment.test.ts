import { describe, expect, it } from 'vitest';
import {
  environmentFromPaths,
  environmentOrder,
  parseApplication,
  resolveEnvironment,
  resolveService,
} from '../../../src/engine/apps/index.js';
import type { AppSpec } from '../../../src/engine/model/index.js';
import { application, config } from './helpers.js';

function app(
  name: string,
  path: string,
  opts: { labels?: Record<string, string>; dest?: string } = {},
): AppSpec {
  return parseApplication(
    application(name, { path, ...(opts.dest ? { dest: opts.dest } : {}) }, { labels: opts.labels ?? {} }),
  );
}

const none = config();

describe('resolveEnvironment', () => {
  it('reads overlay and environment folders, value files and plain segments', () => {
    expect(resolveEnvironment(app('a', 'apps/a/overlays/staging'), { config: none })).toBe('staging');
    expect(resolveEnvironment(app('a', 'environments/prod/a'), { config: none })).toBe('prod');
    expect(resolveEnvironment(app('a', 'apps/a/overlays/eu-west'), { config: none })).toBe('eu-west');
    expect(resolveEnvironment(app('a', 'clusters/qa/a'), { config: none })).toBe('qa');
    expect(resolveEnvironment(app('a', 'apps/a/base'), { config: none })).toBeUndefined();
    expect(environmentFromPaths(['charts/web/values-prod.yaml'], new Set(['prod']))).toBe('prod');
    expect(environmentFromPaths(['charts/web/values/dev.yaml'], new Set(['dev']))).toBe('dev');
    expect(environmentFromPaths(['charts/web/values-common.yaml'], new Set(['dev']))).toBeUndefined();
  });

  it('reads helm value files of the app', () => {
    const a = parseApplication({
      ...application('web', {}),
      spec: {
        sources: [
          {
            repoURL: 'r',
            path: 'charts/web',
            helm: { valueFiles: ['values.yaml', '$v/envs/values-staging.yaml'] },
          },
          { repoURL: 'r', ref: 'v' },
        ],
        destination: { name: 'x', namespace: 'web' },
      },
    });
    expect(resolveEnvironment(a, { config: none })).toBe('staging');
  });

  it('follows the precedence config > label > ApplicationSet param > path > cluster label', () => {
    const cfg = config(`
clusters:
  - { name: east, labels: { env: dr } }
environments:
  - { name: dev }
  - { name: canary, apps: ['*-canary'] }
  - { name: prod, clusters: [prod-cluster] }
`);
    const p = 'apps/web/overlays/dev';
    expect(resolveEnvironment(app('web-canary', p, { labels: { env: 'x' } }), { config: cfg })).toBe(
      'canary',
    );
    expect(resolveEnvironment(app('web', p, { dest: 'prod-cluster' }), { config: cfg })).toBe('prod');
    expect(
      resolveEnvironment(app('web', p, { labels: { environment: 'lbl' } }), {
        config: cfg,
        appSetEnv: 'set',
      }),
    ).toBe('lbl');
    expect(resolveEnvironment(app('web', p, { labels: { env: 'lbl2' } }), { config: cfg })).toBe('lbl2');
    expect(resolveEnvironment(app('web', p), { config: cfg, appSetEnv: 'set' })).toBe('set');
    expect(resolveEnvironment(app('web', p), { config: cfg })).toBe('dev');
    expect(resolveEnvironment(app('web', 'apps/web', { dest: 'east' }), { config: cfg })).toBe('dr');
  });

  it('matches config path globs', () => {
    const cfg = config("environments:\n  - { name: live, paths: ['deploy/live/**'] }\n");
    expect(resolveEnvironment(app('web', 'deploy/live/web'), { config: cfg })).toBe('live');
  });
});

describe('resolveService', () => {
  it('prefers labels, then the name without the environment, then the path', () => {
    expect(resolveService(app('x', 'p', { labels: { 'app.kubernetes.io/name': 'cart' } }), 'dev')).toBe(
      'cart',
    );
    expect(resolveService(app('x', 'p', { labels: { service: 'svc' } }), 'dev')).toBe('svc');
    expect(resolveService(app('checkout-staging', 'p'), 'staging')).toBe('checkout');
    expect(resolveService(app('prod-checkout', 'p'), 'prod')).toBe('checkout');
    expect(resolveService(app('checkout-prod', 'p'), 'production')).toBe('checkout');
    expect(resolveService(app('web-1', 'apps/cart/overlays/dev'), 'dev')).toBe('cart');
    expect(resolveService(app('web-1', 'environments/prod/orders'), 'prod')).toBe('orders');
    expect(resolveService(app('web-1', 'orders/prod'), 'prod')).toBe('orders');
    expect(resolveService(app('lonely', 'prod'), 'prod')).toBe('lonely');
  });
});

describe('environmentOrder', () => {
  it('uses the default chain and puts unknown environments before production', () => {
    expect(environmentOrder(none, ['production', 'staging', 'dev', 'qa', 'test', 'perf'])).toEqual([
      'dev',
      'test',
      'qa',
      'staging',
      'perf',
      'production',
    ]);
  });

  it('uses the config order, then other environments alphabetically', () => {
    const cfg = config('environments: [ { name: int }, { name: stage }, { name: live } ]');
    expect(environmentOrder(cfg, ['live', 'zeta', 'alpha', 'int'])).toEqual([
      'int',
      'stage',
      'live',
      'alpha',
      'zeta',
    ]);
  });
});
