import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { binPath } from '../../../src/demo/controlplane/bins.js';
import { serviceChartFiles } from '../../../src/demo/repos/helm-platform.js';
import type { AppSource } from '../../../src/engine/model/index.js';
import { renderApp } from '../../../src/engine/render/index.js';
import { createFixtureRepo, type FixtureRepo, yamlDocs } from '../../fixtures/repos/index.js';
import { makeSpec, snapshotOf } from './helpers.js';

/** Rendering on a bastion without kustomize (kubectl kustomize instead) or without any tool (issue 17). */

const kubectl = binPath('kubectl');
let repo: FixtureRepo;
let snap: { sha: string; snapshotDir: string };
let onlyKubectl: string;
let empty: string;
const savedPath = process.env.PATH;

beforeAll(async () => {
  repo = await createFixtureRepo({
    name: 'missing-tools',
    files: {
      ...serviceChartFiles(),
      'kz/ok/kustomization.yaml': yamlDocs({ resources: ['cm.yaml'], namePrefix: 'pre-' }),
      'kz/ok/cm.yaml': yamlDocs({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ok' } }),
    },
  });
  snap = await snapshotOf(repo);
  onlyKubectl = await mkdtemp(join(tmpdir(), 'bosun-path-kubectl-'));
  await symlink(kubectl, join(onlyKubectl, 'kubectl'));
  empty = await mkdtemp(join(tmpdir(), 'bosun-path-empty-'));
});

afterEach(() => {
  process.env.PATH = savedPath;
});

afterAll(async () => {
  await repo?.cleanup();
  for (const d of [onlyKubectl, empty]) if (d) await rm(d, { recursive: true, force: true });
});

const render = (source: Partial<AppSource>) =>
  renderApp({
    spec: makeSpec({ name: 'tools', sources: [{ repoURL: repo.repoURL, ...source }], namespace: 'tools' }),
    snapshotDir: snap.snapshotDir,
    revision: snap.sha,
  });

describe('render tools on PATH', () => {
  it('without kustomize on PATH, kustomize apps render with kubectl kustomize', async () => {
    process.env.PATH = onlyKubectl;
    const r = await render({ path: 'kz/ok' });
    expect(r.ok ? r.objects.map((o) => o.metadata.name) : r.error).toEqual(['pre-ok']);
  });

  it('without kustomize and kubectl, the error says what to install', async () => {
    process.env.PATH = empty;
    const r = await render({ path: 'kz/ok' });
    expect(r.ok ? 'rendered' : r.error).toBe(
      'kustomize is not installed: install kustomize (https://kubectl.docs.kubernetes.io/installation/kustomize/) or kubectl, or set binaries.kustomize in bosun.yaml',
    );
  });

  it('without helm, a Helm app says what to install', async () => {
    process.env.PATH = empty;
    const r = await render({ path: 'charts/service' });
    expect(r.ok ? 'rendered' : r.error).toBe(
      'helm is not installed: install helm 3 (https://helm.sh/docs/intro/install/) or set binaries.helm in bosun.yaml',
    );
  });
});
