import type { EngineAdapters } from '../core/options.js';
import { gitAdapter } from '../git/adapter.js';
import { kubeAdapter } from '../kube/adapter.js';
import { sendWebhook } from '../notify/webhook.js';

/** The real adapters: simple-git for the repository, HTTPS clients for the clusters, node:http for webhooks. */
export function realAdapters(): EngineAdapters {
  return { git: gitAdapter(), kube: kubeAdapter(), webhook: sendWebhook };
}
