import type { Health, KubeObject } from '../model/index.js';
import {
  degraded,
  findCondition,
  generations,
  healthy,
  num,
  parseConditions,
  progressing,
  recordAt,
  sentence,
} from './fields.js';

/** Health of a ReplicaSet: generation observed, no ReplicaFailure, all replicas available. */
export function getReplicaSetHealth(obj: KubeObject): Health | undefined {
  const spec = recordAt(obj, 'spec');
  const status = recordAt(obj, 'status');
  const name = obj.metadata.name;

  const { generation, observed } = generations(obj);
  if (observed < generation) {
    return progressing(
      'replicaset.generation',
      'Waiting for rollout to finish: observed replica set generation less than desired generation',
      `status.observedGeneration (${observed}/${generation})`,
    );
  }

  const failure = findCondition(parseConditions(status.conditions), 'ReplicaFailure');
  if (failure?.status === 'True') {
    const why = failure.message ?? failure.reason ?? 'no reason given';
    return degraded(
      'replicaset.failure',
      sentence(`ReplicaSet "${name}" cannot create its pods: ${why.replace(/\.$/, '')}`) +
        ' Check quotas, limit ranges and admission policies in the namespace.',
      `status.conditions[ReplicaFailure] (${failure.reason ?? 'True'})`,
    );
  }

  const replicas = num(spec.replicas) ?? 1;
  const available = num(status.availableReplicas) ?? 0;
  if (available < replicas) {
    return progressing(
      'replicaset.available',
      `Waiting for rollout to finish: ${available} out of ${replicas} new replicas are available...`,
      `status.availableReplicas (${available}/${replicas})`,
    );
  }
  return healthy(
    `ReplicaSet "${name}" has ${available} of ${replicas} replicas available.`,
    'replicaset.available',
  );
}
