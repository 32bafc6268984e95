import { describe, expect, it } from 'vitest';
import type { AppSpec } from '../../../src/engine/model/index.js';
import { editsDiff, planPromotion, toGitChangePlan } from '../../../src/engine/promote/index.js';
import { platformAppSpecs, shopAppSpecs } from './fixture-apps.js';

const repoURL = 'file:///srv/shop.git';
const who = 'alice@bastion';

function overlay(svc: string, env: string, tag: string): string {
  return `# ${svc} in ${env}
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: shop
resources:
- ../../base
images:
- name: registry.local/shop/${svc}
  newTag: ${tag}   # set by release tooling
patches:
- path: replicas.yaml
`;
}

function shopFiles(tags: Record<string, Record<string, string>>): Record<string, string> {
  const files: Record<string, string> = {};
  for (const [svc, byEnv] of Object.entries(tags)) {
    for (const [env, tag] of Object.entries(byEnv)) {
      files[`apps/${svc}/overlays/${env}/kustomization.yaml`] = overlay(svc, env, tag);
    }
  }
  return files;
}

const reader = (files: Record<string, string>) => (p: string) => files[p];

describe('planPromotion: Kustomize', () => {
  const files = shopFiles({
    'order-service': { dev: 'v1.48.0-rc.1', staging: 'v1.47.2', prod: 'v1.47.1' },
    'payment-service': { dev: 'v2.0.0-rc.1', staging: 'v2.0.0', prod: 'v1.9.9' },
    'api-gateway': { staging: 'v3.1.0', prod: 'v3.1.0' },
  });
  const apps = shopAppSpecs(repoURL, ['order-service', 'payment-service'], ['dev', 'staging', 'prod']).concat(
    shopAppSpecs(repoURL, ['api-gateway'], ['staging', 'prod']),
  );

  it('copies newTag into the target overlay only, and writes the commit message', async () => {
    const plan = await planPromotion({
      service: 'order-service',
      from: 'staging',
      apps,
      readFile: reader(files),
      identity: who,
    });
    expect(plan.to).toBe('prod');
    expect(plan.nothingToDo).toBeUndefined();
    expect(plan.summary).toBe('order-service v1.47.1 → v1.47.2');
    const file = 'apps/order-service/overlays/prod/kustomization.yaml';
    expect(plan.edits.map((e) => e.file)).toEqual([file]);
    expect(plan.edits[0]?.before).toBe(files[file]);
    expect(plan.edits[0]?.after).toBe((files[file] as string).replace('newTag: v1.47.1', 'newTag: v1.47.2'));
    expect(plan.services[0]).toMatchObject({
      kind: 'kustomize',
      sourceApp: 'order-service-staging',
      targetApps: ['order-service-prod'],
      fromVersion: 'v1.47.1',
      toVersion: 'v1.47.2',
    });
    expect(plan.commitMessage).toBe(
      [
        'promote order-service v1.47.1 → v1.47.2 to prod (from staging)',
        '',
        `- ${file}: images[registry.local/shop/order-service] v1.47.1 → v1.47.2`,
        '',
        'Promoted-by: alice@bastion',
        'Bosun-Service: order-service',
        'Bosun-From: staging',
        'Bosun-To: prod',
        '',
      ].join('\n'),
    );
    expect(editsDiff(plan.edits)).toBe(
      [
        `diff --git a/${file} b/${file}`,
        `--- a/${file}`,
        `+++ b/${file}`,
        '@@ -6,6 +6,6 @@',
        ' - ../../base',
        ' images:',
        ' - name: registry.local/shop/order-service',
        '-  newTag: v1.47.1   # set by release tooling',
        '+  newTag: v1.47.2   # set by release tooling',
        ' patches:',
        ' - path: replicas.yaml',
        '',
      ].join('\n'),
    );
  });

  it('says so when source and target already match', async () => {
    const plan = await planPromotion({
      service: 'api-gateway',
      from: 'staging',
      to: 'prod',
      apps,
      readFile: reader(files),
      identity: who,
    });
    expect(plan.edits).toEqual([]);
    expect(plan.nothingToDo).toBe('api-gateway: staging and prod both run v3.1.0; nothing to promote');
  });

  it('promotes several services in one commit and lists refusals apart', async () => {
    const plan = await planPromotion({
      service: ['order-service', 'payment-service', 'api-gateway', 'ghost'],
      from: 'staging',
      to: 'prod',
      apps,
      readFile: reader(files),
      identity: who,
    });
    expect(plan.edits.map((e) => e.file)).toEqual([
      'apps/order-service/overlays/prod/kustomization.yaml',
      'apps/payment-service/overlays/prod/kustomization.yaml',
    ]);
    expect(plan.refusals).toEqual(['ghost: no app belongs to service ghost']);
    expect(plan.summary).toBe('order-service v1.47.1 → v1.47.2, payment-service v1.9.9 → v2.0.0');
    const lines = plan.commitMessage.split('\n');
    expect(lines[0]).toBe('promote 2 services to prod (from staging)');
    expect(lines.filter((l) => l.startsWith('Bosun-Service: '))).toEqual([
      'Bosun-Service: order-service',
      'Bosun-Service: payment-service',
    ]);
    expect(lines).toContain('Promoted-by: alice@bastion');
    const cp = toGitChangePlan(plan, { targetBranch: 'main', id: 'p1', requireReview: true });
    expect(cp.targetBranch).toBe('bosun/promote/2-services-prod-v1.47.2');
    expect(cp.files).toHaveLength(2);
    expect(cp.title).toBe('promote 2 services to prod (from staging)');
  });

  it('fails in one line when the only service cannot be promoted', async () => {
    await expect(
      planPromotion({ service: 'ghost', from: 'staging', apps, readFile: reader(files), identity: who }),
    ).rejects.toThrow('ghost: no app belongs to service ghost');
  });

  it('removes a stale digest from the target (it would override the copied tag)', async () => {
    const f = { ...files };
    const prod = 'apps/order-service/overlays/prod/kustomization.yaml';
    f[prod] = (f[prod] as string).replace('   # set by release tooling\n', '\n  digest: sha256:feed\n');
    const plan = await planPromotion({
      service: 'order-service',
      from: 'staging',
      apps,
      readFile: reader(f),
      identity: who,
    });
    expect(plan.edits[0]?.after).toBe(
      (f[prod] as string).replace('v1.47.1\n  digest: sha256:feed\n', 'v1.47.2\n'),
    );
  });
});

describe('planPromotion: Helm', () => {
  const values = (svc: string, tag: string) => `replicaCount: 2
image:
  repository: registry.local/platform/${svc}
  tag: ${tag}  # the release
autoscaling:
  enabled: false
`;
  const files: Record<string, string> = {
    'charts/service/Chart.yaml': 'apiVersion: v2\nname: service\nversion: 0.3.0\n',
    'charts/service/values.yaml': 'image:\n  repository: x\n  tag: latest\n',
    'environments/staging/search/values.yaml': values('search', '2.3.1'),
    'environments/prod/search/values.yaml': values('search', '2.3.0'),
    'environments/staging/catalog/values.yaml': values('catalog', '2.3.1'),
    'environments/prod/catalog/values.yaml': 'replicaCount: 3\n',
  };
  const apps = platformAppSpecs(repoURL, ['search', 'catalog'], ['staging', 'prod']);

  it('copies the values key into the target value file of a multi-source app ($values/…)', async () => {
    const plan = await planPromotion({
      service: 'search',
      from: 'staging',
      apps,
      readFile: reader(files),
      identity: who,
    });
    const file = 'environments/prod/search/values.yaml';
    expect(plan.services[0]?.kind).toBe('helm');
    expect(plan.summary).toBe('search 2.3.0 → 2.3.1');
    expect(plan.edits).toHaveLength(1);
    expect(plan.edits[0]?.file).toBe(file);
    expect(plan.edits[0]?.after).toBe((files[file] as string).replace('tag: 2.3.0', 'tag: 2.3.1'));
    expect(plan.edits[0]?.description).toBe('image.tag 2.3.0 → 2.3.1');
  });

  it('names the file and the key when the target values file lacks the key', async () => {
    await expect(
      planPromotion({ service: 'catalog', from: 'staging', apps, readFile: reader(files), identity: who }),
    ).rejects.toThrow(
      'catalog: environments/prod/catalog/values.yaml has no key image.tag; add it there, or set promote.helmValueKey in bosun.yaml',
    );
  });

  it('uses a configured key', async () => {
    const plan = await planPromotion({
      service: 'search',
      from: 'staging',
      apps,
      readFile: reader(files),
      identity: who,
      helmValueKey: 'image.repository',
    });
    expect(plan.nothingToDo).toBe(
      'search: staging and prod both run registry.local/platform/search; nothing to promote',
    );
  });
});

describe('planPromotion: targetRevision', () => {
  const app = (env: string, rev: string): AppSpec => ({
    name: `billing-${env}`,
    project: 'default',
    sources: [{ repoURL, targetRevision: rev, path: 'billing' }],
    destination: {},
    labels: {},
    annotations: {},
    origin: { file: `argocd/billing-${env}.yaml` },
    environment: env,
    service: 'billing',
  });
  const manifest = (env: string, rev: string) => `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: billing-${env}
spec:
  source:
    repoURL: ${repoURL}
    targetRevision: ${rev} # release
    path: billing
`;
  it('copies targetRevision into the target Application manifest', async () => {
    const files = {
      'argocd/billing-staging.yaml': manifest('staging', 'v2.1.0'),
      'argocd/billing-prod.yaml': manifest('prod', 'v2.0.0'),
      'billing/deploy.yaml': 'kind: ConfigMap\n',
    };
    const plan = await planPromotion({
      service: 'billing',
      from: 'staging',
      apps: [app('staging', 'v2.1.0'), app('prod', 'v2.0.0')],
      readFile: reader(files),
      identity: who,
    });
    expect(plan.services[0]?.kind).toBe('targetRevision');
    expect(plan.edits[0]?.file).toBe('argocd/billing-prod.yaml');
    expect(plan.edits[0]?.after).toBe(files['argocd/billing-prod.yaml'].replace('v2.0.0', 'v2.1.0'));
    expect(plan.commitMessage.split('\n')[0]).toBe('promote billing v2.0.0 → v2.1.0 to prod (from staging)');
  });
});
