import type { Health, KubeObject } from '../model/index.js';
import { healthy, loadBalancerAddresses, loadBalancerEntries, progressing, recordAt, str } from './fields.js';

/** Health of an Ingress: Healthy once its controller has published an address. */
export function getIngressHealth(obj: KubeObject): Health | undefined {
  const name = obj.metadata.name;
  const addresses = loadBalancerAddresses(obj);
  if (addresses.length > 0) {
    return healthy(`Ingress "${name}" is served at ${addresses.join(', ')}.`, 'ingress.address');
  }
  if (loadBalancerEntries(obj) > 0) {
    return healthy(
      `Ingress "${name}" has a load balancer entry without an ip or hostname (status.loadBalancer.ingress).`,
      'ingress.loadBalancer',
    );
  }
  const className = str(recordAt(obj, 'spec').ingressClassName);
  return progressing(
    'ingress.address',
    `Waiting for an ingress controller to publish an address for Ingress "${name}"` +
      (className ? ` (class "${className}")` : '') +
      '; check that a controller for its class is running and publishes status.',
    'status.loadBalancer.ingress (none)',
  );
}
