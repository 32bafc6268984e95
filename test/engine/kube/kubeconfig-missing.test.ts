import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubeconfigMissing, loadContexts } from '../../../src/engine/kube/kubeconfig.js';

let home: string;
const savedHome = process.env.HOME;
const savedKubeconfig = process.env.KUBECONFIG;

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'bosun-home-'));
});
afterAll(async () => {
  process.env.HOME = savedHome;
  if (savedKubeconfig === undefined) delete process.env.KUBECONFIG;
  else process.env.KUBECONFIG = savedKubeconfig;
  await rm(home, { recursive: true, force: true });
});

describe('no kubeconfig at all', () => {
  it('is reported instead of client-node inventing a localhost:8080 context', () => {
    process.env.HOME = home;
    delete process.env.KUBECONFIG;
    const r = loadContexts();
    expect(r.contexts).toEqual([]);
    expect(r.missing).toMatch(/^no kubeconfig found \(set KUBECONFIG/);
  });

  it('is not reported when KUBECONFIG, --kubeconfig or ~/.kube/config exists', async () => {
    expect(kubeconfigMissing({ env: {}, home })).toBeDefined();
    expect(kubeconfigMissing({ env: { KUBECONFIG: '/somewhere/config' }, home })).toBeUndefined();
    expect(kubeconfigMissing({ kubeconfig: '/x', env: {}, home })).toBeUndefined();
    await mkdir(join(home, '.kube'));
    await writeFile(join(home, '.kube', 'config'), 'apiVersion: v1\nkind: Config\n');
    expect(kubeconfigMissing({ env: {}, home })).toBeUndefined();
  });
});
