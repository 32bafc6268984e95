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
  suspended,
} from './fields.js';

/** Kubernetes' default `spec.progressDeadlineSeconds`. */
const defaultProgressDeadlineSeconds = 600;

/** Health of a Deployment, in the order `kubectl rollout status` checks it. */
export function getDeploymentHealth(obj: KubeObject): Health | undefined {
  const spec = recordAt(obj, 'spec');
  const status = recordAt(obj, 'status');
  const name = obj.metadata.name;

  if (spec.paused === true) {
    return suspended(
      `Deployment "${name}" is paused; resume it (kubectl rollout resume) to continue its rollout.`,
      'deployment.paused',
    );
  }

  const { generation, observed } = generations(obj);
  if (observed < generation) {
    return progressing(
      'deployment.generation',
      'Waiting for rollout to finish: observed deployment generation less than desired generation',
      `status.observedGeneration (${observed}/${generation})`,
    );
  }

  const cond = findCondition(parseConditions(status.conditions), 'Progressing');
  if (cond?.reason === 'ProgressDeadlineExceeded') {
    const deadline = num(spec.progressDeadlineSeconds) ?? defaultProgressDeadlineSeconds;
    const detail = cond.message ? ` (${cond.message.replace(/\.$/, '')})` : '';
    return degraded(
      'deployment.deadline',
      `Deployment "${name}" exceeded its progress deadline of ${deadline}s${detail}; ` +
        'check the events and logs of its new pods.',
      'status.conditions[Progressing] (ProgressDeadlineExceeded)',
    );
  }

  const replicas = num(spec.replicas) ?? 1;
  const updated = num(status.updatedReplicas) ?? 0;
  const total = num(status.replicas) ?? 0;
  const available = num(status.availableReplicas) ?? 0;

  if (updated < replicas) {
    return progressing(
      'deployment.rollout',
      `Waiting for rollout to finish: ${updated} out of ${replicas} new replicas have been updated...`,
      `status.updatedReplicas (${updated}/${replicas})`,
    );
  }
  if (total > updated) {
    return progressing(
      'deployment.rollout',
      `Waiting for rollout to finish: ${total - updated} old replicas are pending termination...`,
      `status.replicas (${total} running, ${updated} updated)`,
    );
  }
  if (available < updated) {
    return progressing(
      'deployment.rollout',
      `Waiting for rollout to finish: ${available} of ${updated} updated replicas are available...`,
      `status.availableReplicas (${available}/${updated})`,
    );
  }
  return healthy(
    sentence(`Deployment "${name}" is rolled out: ${available} of ${replicas} replicas available`),
    'deployment.rollout',
  );
}
