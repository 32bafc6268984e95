import { describe, expect, it } from 'vitest';
import type { AppSpec } from '../../../src/engine/model/index.js';
import { environmentChain, findPromotionApps, nextEnvironment } from '../../../src/engine/promote/chain.js';

function app(name: string, service: string, environment?: string): AppSpec {
  return {
    name,
    project: 'default',
    sources: [{ repoURL: 'x', path: name }],
    destination: {},
    labels: {},
    annotations: {},
    origin: {},
    service,
    ...(environment ? { environment } : {}),
  };
}

const apps = [
  app('a-production', 'a', 'production'),
  app('a-dev', 'a', 'dev'),
  app('a-qa', 'a', 'qa'),
  app('a-staging', 'a', 'staging'),
  app('a-test', 'a', 'test'),
  app('b-staging', 'b', 'staging'),
  app('b-prod-eu', 'b', 'prod'),
  app('b-prod-us', 'b', 'prod'),
];

describe('environment chain', () => {
  it('orders dev < test < qa < staging < prod/production without config', () => {
    expect(environmentChain(apps)).toEqual(['dev', 'test', 'qa', 'staging', 'prod', 'production']);
    expect(nextEnvironment('staging', environmentChain(apps))).toBe('prod');
    expect(nextEnvironment('production', environmentChain(apps))).toBeUndefined();
  });

  it('follows the configured order first', () => {
    const chain = environmentChain(apps, [{ name: 'qa' }, { name: 'dev' }, { name: 'production' }]);
    expect(chain).toEqual(['qa', 'dev', 'production', 'prod', 'staging', 'test']);
  });
});

describe('findPromotionApps', () => {
  it('finds the source and every target app of a service', () => {
    const found = findPromotionApps({ service: 'b', from: 'staging', apps });
    expect(found.to).toBe('prod');
    expect(found.source.name).toBe('b-staging');
    expect(found.targets.map((a) => a.name)).toEqual(['b-prod-eu', 'b-prod-us']);
  });

  it('says what is missing, in one line', () => {
    expect(() => findPromotionApps({ service: 'zzz', from: 'dev', apps })).toThrow(
      'no app belongs to service zzz',
    );
    expect(() => findPromotionApps({ service: 'b', from: 'dev', to: 'prod', apps })).toThrow(
      'b has no app in environment dev (it runs in: prod, staging)',
    );
    expect(() => findPromotionApps({ service: 'a', from: 'production', apps })).toThrow(
      /production is the last environment of the chain/,
    );
    expect(() => findPromotionApps({ service: 'a', from: 'dev', to: 'dev', apps })).toThrow(/to itself/);
  });

  it('warns when promoting backwards', () => {
    expect(findPromotionApps({ service: 'a', from: 'staging', to: 'dev', apps }).warnings).toEqual([
      'dev comes before staging in the chain: this promotes backwards',
    ]);
  });
});
