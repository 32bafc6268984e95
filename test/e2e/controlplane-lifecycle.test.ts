import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { startControlPlane } from '../../src/demo/controlplane/controlplane.js';
import { portInUse } from '../../src/demo/controlplane/processes.js';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('control plane lifecycle', () => {
  it('starting and stopping twice in a row leaves no process, port or directory behind', async () => {
    for (let round = 0; round < 2; round++) {
      const cp = await startControlPlane({ clusters: ['a', 'b'], workloads: false, log: () => {} });
      const pids = cp.pids();
      const ports = [cp.etcdPort, ...cp.clusters.map((c) => c.port)];
      expect(pids.every(alive)).toBe(true);
      const version = execFileSync(
        `${cp.binDir}/kubectl`,
        ['--kubeconfig', cp.kubeconfig, '--context', 'b', 'version', '-o', 'json'],
        {
          encoding: 'utf8',
        },
      );
      expect(JSON.parse(version).serverVersion.gitVersion).toMatch(/^v1\.36\./);
      await cp.stop();
      expect(pids.filter(alive)).toEqual([]);
      for (const p of ports) expect(await portInUse(p)).toBe(false);
      expect(existsSync(cp.runDir)).toBe(false);
    }
  });
});
