import { describe, expect, it } from 'vitest';
import { exitCodeOf } from '../../../src/cli/exit-codes.js';
import { PolicyRefusal } from '../../../src/engine/core/refusal.js';
import {
  clusterIsProduction,
  decideAppPolicy,
  environmentIsProduction,
  isProductionName,
  RefusalCode,
} from '../../../src/engine/policy/index.js';

describe('policy', () => {
  it('production names match exactly, in any case', () => {
    for (const n of ['prod', 'PROD', 'Production', ' production ']) expect(isProductionName(n)).toBe(true);
    for (const n of ['nonprod', 'prod-eu', 'preprod', 'production-like', 'kind-prod', '', undefined])
      expect(isProductionName(n)).toBe(false);
  });

  it('a configured environment wins over its name', () => {
    const envs = [
      { name: 'live', production: true },
      { name: 'prod', production: false },
    ];
    expect(environmentIsProduction('LIVE', envs)).toBe(true);
    expect(environmentIsProduction('prod', envs)).toBe(false);
    expect(environmentIsProduction('production', envs)).toBe(true);
    expect(environmentIsProduction(undefined, envs)).toBe(false);
  });

  it('a cluster is production by its apps or its own name', () => {
    const base = { environments: [], appEnvironments: [] };
    expect(clusterIsProduction({ ...base, name: 'nonprod', context: 'nonprod' })).toBe(false);
    expect(clusterIsProduction({ ...base, name: 'eu', context: 'Production' })).toBe(true);
    expect(
      clusterIsProduction({ ...base, name: 'eu', context: 'eu-1', appEnvironments: ['dev', 'prod'] }),
    ).toBe(true);
  });

  it('production needs the name typed for every action; read-only names its reason', () => {
    const p = decideAppPolicy({
      app: 'shop-prod',
      environment: 'prod',
      environments: [],
      clusterProduction: false,
      engineReadOnly: false,
      cluster: { name: 'eu', readOnly: true },
    });
    expect(p).toEqual({
      production: true,
      readOnly: { code: RefusalCode.ClusterReadOnly, reason: 'cluster eu is read-only in bosun.yaml' },
      confirm: ['sync', 'promote', 'revert'],
      confirmName: 'shop-prod',
    });
    const dev = decideAppPolicy({
      app: 'shop-dev',
      environment: 'dev',
      environments: [],
      clusterProduction: false,
      engineReadOnly: true,
    });
    expect(dev.confirm).toEqual([]);
    expect(dev.readOnly?.code).toBe(RefusalCode.ReadOnly);
  });

  it('the CLI maps every refusal code to the refused exit code, other errors to failure', () => {
    for (const code of Object.values(RefusalCode)) expect(exitCodeOf(new PolicyRefusal('no', code))).toBe(3);
    expect(exitCodeOf(new Error('push rejected'))).toBe(4);
  });
});
