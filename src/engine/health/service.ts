import type { Health, KubeObject } from '../model/index.js';
import { healthy, loadBalancerAddresses, loadBalancerEntries, progressing, recordAt, str } from './fields.js';

/** Health of a Service: a LoadBalancer waits for its address; every other type is Healthy. */
export function getServiceHealth(obj: KubeObject): Health | undefined {
  const name = obj.metadata.name;
  const type = str(recordAt(obj, 'spec').type) ?? 'ClusterIP';
  if (type !== 'LoadBalancer')
    return healthy(`Service "${name}" (${type}) needs no external address.`, 'service.type');

  const addresses = loadBalancerAddresses(obj);
  if (addresses.length > 0) {
    return healthy(`Service "${name}" is exposed at ${addresses.join(', ')}.`, 'service.loadBalancer');
  }
  if (loadBalancerEntries(obj) > 0) {
    return healthy(
      `Service "${name}" has a load balancer entry without an ip or hostname (status.loadBalancer.ingress).`,
      'service.loadBalancer',
    );
  }
  return progressing(
    'service.loadBalancer',
    `Waiting for a load balancer address for Service "${name}"; if it never comes, check that the cluster ` +
      'has a load balancer controller (cloud provider, MetalLB…) and read the Service events.',
    'status.loadBalancer.ingress (none)',
  );
}
