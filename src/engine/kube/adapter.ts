import type { KubeAdapter } from '../core/options.js';
import { KubeCluster } from './cluster.js';
import { loadContexts } from './kubeconfig.js';

/** The real Kubernetes adapter: kubeconfig contexts and HTTPS clients of the API servers. */
export function kubeAdapter(): KubeAdapter {
  return { loadContexts: (opts) => loadContexts(opts), connect: (context) => new KubeCluster(context) };
}
