import type { Health, KubeObject } from '../model/index.js';
import { generations, healthy, num, progressing, recordAt, str } from './fields.js';

/** Health of a DaemonSet: generation observed, then updated and available pods on every eligible node. */
export function getDaemonSetHealth(obj: KubeObject): Health | undefined {
  const spec = recordAt(obj, 'spec');
  const status = recordAt(obj, 'status');
  const name = obj.metadata.name;

  const { generation, observed } = generations(obj);
  if (observed < generation) {
    return progressing(
      'daemonset.generation',
      'Waiting for rollout to finish: observed daemon set generation less than desired generation',
      `status.observedGeneration (${observed}/${generation})`,
    );
  }

  const desired = num(status.desiredNumberScheduled) ?? 0;
  const updated = num(status.updatedNumberScheduled) ?? 0;
  const available = num(status.numberAvailable) ?? 0;

  if (str(recordAt(spec, 'updateStrategy').type) === 'OnDelete') {
    return healthy(
      `DaemonSet "${name}" uses the OnDelete strategy: ${updated} out of ${desired} pods run the current spec ` +
        'and the others pick it up only when deleted.',
      'daemonset.ondelete',
    );
  }
  if (updated < desired) {
    return progressing(
      'daemonset.rollout',
      `Waiting for daemon set "${name}" rollout to finish: ${updated} out of ${desired} new pods have been updated...`,
      `status.updatedNumberScheduled (${updated}/${desired})`,
    );
  }
  if (available < desired) {
    return progressing(
      'daemonset.rollout',
      `Waiting for daemon set "${name}" rollout to finish: ${available} of ${desired} updated pods are available...`,
      `status.numberAvailable (${available}/${desired})`,
    );
  }
  return healthy(
    `DaemonSet "${name}" is rolled out: ${available} of ${desired} pods available.`,
    'daemonset.rollout',
  );
}
