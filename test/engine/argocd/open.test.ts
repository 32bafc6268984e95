import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/index.js';
import { appIsProduction, destinationReadOnly } from '../../../src/engine/argocd/open.js';
import type { AppSpec } from '../../../src/engine/model/app.js';

const config = parseConfig(
  [
    'backend: { type: argocd, context: ops }',
    'clusters:',
    '  - { name: prod-eu, context: prod-eu-ctx, server: https://prod.example:6443/, readOnly: true }',
    '  - { name: dev }',
    'environments:',
    '  - { name: live, production: true, clusters: [prod-eu] }',
    '  - { name: staging }',
  ].join('\n'),
  'bosun.yaml',
);

const app = (destination: AppSpec['destination'], labels: Record<string, string> = {}): AppSpec => ({
  name: 'a',
  project: 'default',
  sources: [],
  destination,
  labels,
  annotations: {},
  origin: {},
  service: 'a',
});

describe('Argo CD backend policy inputs', () => {
  it('read-only comes from the command line or the registry, by cluster name, context or server', () => {
    expect(destinationReadOnly(config, {}, { name: 'prod-eu' })).toBe(true);
    expect(destinationReadOnly(config, {}, { name: 'prod-eu-ctx' })).toBe(true);
    expect(destinationReadOnly(config, {}, { server: 'https://prod.example:6443' })).toBe(true);
    expect(destinationReadOnly(config, {}, { name: 'dev' })).toBe(false);
    expect(destinationReadOnly(config, { readOnly: true }, { name: 'dev' })).toBe(true);
  });

  it('production comes from the configured environment, else from the names prod and production', () => {
    expect(appIsProduction(config, app({ name: 'prod-eu' }))).toBe(true);
    expect(appIsProduction(config, app({ name: 'dev' }, { env: 'live' }))).toBe(true);
    expect(appIsProduction(config, app({ name: 'dev' }, { env: 'staging' }))).toBe(false);
    expect(appIsProduction(config, app({ name: 'production' }))).toBe(true);
    expect(appIsProduction(config, app({ name: 'dev' }, { environment: 'prod' }))).toBe(true);
    expect(appIsProduction(config, app({ name: 'dev' }))).toBe(false);
    // The one naming rule: exact names in any case; nonprod is not production.
    expect(appIsProduction(config, app({ name: 'Production' }))).toBe(true);
    expect(appIsProduction(config, app({ name: 'dev' }, { env: 'PROD' }))).toBe(true);
    expect(appIsProduction(config, app({ name: 'nonprod' }, { env: 'nonprod' }))).toBe(false);
  });
});
