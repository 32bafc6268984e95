import type { TestProject } from 'vitest/node';
import { type ControlPlane, startControlPlane } from '../../src/demo/controlplane/controlplane.js';

/** What the e2e global setup hands to every e2e test file. */
export type ControlPlaneInfo = {
  kubeconfig: string;
  runDir: string;
  binDir: string;
  clusters: { name: string; server: string; token: string }[];
};

declare module 'vitest' {
  export interface ProvidedContext {
    controlPlane: ControlPlaneInfo;
  }
}

let cp: ControlPlane | undefined;

/** Starts one shared control plane (dev, staging, production) for all e2e test files. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  cp = await startControlPlane({ clusters: ['dev', 'staging', 'production'] });
  project.provide('controlPlane', {
    kubeconfig: cp.kubeconfig,
    runDir: cp.runDir,
    binDir: cp.binDir,
    clusters: cp.clusters.map((c) => ({ name: c.name, server: c.server, token: c.token })),
  });
  return async () => {
    await cp?.stop();
  };
}
