import type { Health, KubeObject } from '../model/index.js';
import { generations, healthy, num, progressing, recordAt, str } from './fields.js';

/** Health of a StatefulSet: generation observed, pods ready, then the update strategy's progress. */
export function getStatefulSetHealth(obj: KubeObject): Health | undefined {
  const spec = recordAt(obj, 'spec');
  const status = recordAt(obj, 'status');
  const name = obj.metadata.name;

  const { generation, observed } = generations(obj);
  if (observed === 0 || observed < generation) {
    return progressing(
      'statefulset.generation',
      `Waiting for the StatefulSet controller to observe the spec of "${name}"...`,
      `status.observedGeneration (${observed}/${generation})`,
    );
  }

  const replicas = num(spec.replicas) ?? 1;
  const ready = num(status.readyReplicas) ?? 0;
  if (ready < replicas) {
    return progressing(
      'statefulset.ready',
      `Waiting for ${replicas - ready} pods of StatefulSet "${name}" to be ready (pods start one by one in order)...`,
      `status.readyReplicas (${ready}/${replicas})`,
    );
  }

  const strategy = recordAt(spec, 'updateStrategy');
  const updated = num(status.updatedReplicas) ?? 0;
  if (str(strategy.type) === 'OnDelete') {
    return healthy(
      `StatefulSet "${name}" has ${ready} ready pods; with the OnDelete strategy, ${updated} of ${replicas} ` +
        'run the current spec and the others pick it up only when deleted.',
      'statefulset.ondelete',
    );
  }

  const partition = num(recordAt(strategy, 'rollingUpdate').partition) ?? 0;
  if (partition > 0) {
    const target = Math.max(replicas - partition, 0);
    if (updated < target) {
      return progressing(
        'statefulset.partition',
        `Waiting for partitioned roll out to finish: ${updated} out of ${target} new pods have been updated...`,
        `status.updatedReplicas (${updated}/${target})`,
      );
    }
    return healthy(
      `Partitioned roll out of StatefulSet "${name}" is complete: ${updated} new pods have been updated; ` +
        `lower spec.updateStrategy.rollingUpdate.partition (${partition}) to update the rest.`,
      'statefulset.partition',
    );
  }

  const updateRevision = str(status.updateRevision);
  const currentRevision = str(status.currentRevision);
  if (updated < replicas || (updateRevision && currentRevision && updateRevision !== currentRevision)) {
    return progressing(
      'statefulset.rollout',
      `Waiting for StatefulSet "${name}" rolling update to complete: ${updated} of ${replicas} pods ` +
        `at revision ${updateRevision ?? '(unknown)'}...`,
      `status.updatedReplicas (${updated}/${replicas})`,
    );
  }
  return healthy(
    `StatefulSet "${name}" is rolled out: ${ready} of ${replicas} pods ready` +
      (currentRevision ? ` at revision ${currentRevision}.` : '.'),
    'statefulset.rollout',
  );
}
