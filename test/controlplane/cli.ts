/**
 * Starts the local control plane and keeps it running until Ctrl-C (or SIGTERM):
 *   npx tsx test/controlplane/cli.ts [--clusters dev,staging,production] [--run-dir DIR]
 * Prints the kubeconfig path; every process it started is stopped on exit.
 */
import { startControlPlane } from '../../src/demo/controlplane/controlplane.js';

const args = process.argv.slice(2);
const arg = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const clusters = (arg('--clusters') ?? 'dev,staging,production').split(',').filter(Boolean);
const runDir = arg('--run-dir');
const t0 = Date.now();
const cp = await startControlPlane({ clusters, ...(runDir ? { runDir, keepRunDir: true } : {}) });
process.stdout.write(`KUBECONFIG=${cp.kubeconfig}\n`);
process.stdout.write(`contexts: ${cp.clusters.map((c) => `${c.name} (${c.server})`).join(', ')}\n`);
process.stdout.write(
  `ready in ${((Date.now() - t0) / 1000).toFixed(1)}s; Ctrl-C stops every process started\n`,
);
let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await cp.stop();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
setInterval(() => {}, 1 << 30);
