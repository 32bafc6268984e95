import type { Health, KubeObject } from '../model/index.js';
import {
  type Condition,
  degraded,
  findCondition,
  healthy,
  num,
  parseConditions,
  progressing,
  reasonAndMessage,
  recordAt,
  sentence,
} from './fields.js';

/** Where autoscaling/v1 keeps the conditions that v2 has in `status.conditions`. */
const v1ConditionsAnnotation = 'autoscaling.alpha.kubernetes.io/conditions';

/** Condition type and reason pairs Argo CD reads as Degraded (any position in the list). */
const degradedPairs = new Set([
  'AbleToScale/FailedGetScale',
  'AbleToScale/FailedUpdateScale',
  'ScalingActive/FailedGetResourceMetric',
  'ScalingActive/FailedGetObjectMetric',
  'ScalingActive/FailedGetPodsMetric',
  'ScalingActive/FailedGetExternalMetric',
  'ScalingActive/FailedComputeMetricsReplicas',
  'ScalingActive/InvalidSelector',
]);

/** Conditions from `status.conditions`, else from the autoscaling/v1 annotation (invalid JSON reads as none). */
function hpaConditions(obj: KubeObject): Condition[] {
  const fromStatus = parseConditions(recordAt(obj, 'status').conditions);
  if (fromStatus.length > 0) return fromStatus;
  const annotation = obj.metadata.annotations?.[v1ConditionsAnnotation];
  if (!annotation) return [];
  try {
    return parseConditions(JSON.parse(annotation));
  } catch {
    return [];
  }
}

/** Health of a HorizontalPodAutoscaler from its AbleToScale and ScalingActive conditions. */
export function getHpaHealth(obj: KubeObject): Health | undefined {
  const name = obj.metadata.name;
  const conditions = hpaConditions(obj);
  if (conditions.length === 0) {
    return progressing(
      'hpa.conditions',
      `Waiting for HorizontalPodAutoscaler "${name}" to report its autoscaling conditions.`,
      'status.conditions (none)',
    );
  }

  // Argo CD's order: a degraded condition anywhere wins, then AbleToScale or ScalingLimited True is Healthy,
  // anything else is still Progressing.
  const bad = conditions.find((c) => degradedPairs.has(`${c.type}/${c.reason ?? ''}`));
  if (bad) {
    const hint =
      bad.type === 'AbleToScale'
        ? 'check that spec.scaleTargetRef names an existing workload with a scale subresource.'
        : 'check that the metrics API (metrics-server or an adapter) is running and that the pods set resource requests.';
    return degraded(
      bad.type === 'AbleToScale' ? 'hpa.ableToScale' : 'hpa.scalingActive',
      `HorizontalPodAutoscaler "${name}" cannot ${bad.type === 'AbleToScale' ? 'scale its target' : 'compute a replica count'} (${reasonAndMessage(bad) ?? bad.reason}); ${hint}`,
      `status.conditions[${bad.type}] (${bad.reason})`,
    );
  }
  const able = findCondition(conditions, 'AbleToScale');
  const limitedTrue = findCondition(conditions, 'ScalingLimited')?.status === 'True';
  if (able?.status !== 'True' && !limitedTrue) {
    return progressing(
      'hpa.conditions',
      `Waiting for HorizontalPodAutoscaler "${name}" to autoscale${able ? ` (AbleToScale ${able.status ?? 'Unknown'}${able.reason ? `, ${able.reason}` : ''})` : ''}.`,
      `status.conditions[AbleToScale] (${able?.status ?? 'absent'})`,
    );
  }

  if (findCondition(conditions, 'ScalingActive')?.reason === 'ScalingDisabled') {
    return healthy(
      `HorizontalPodAutoscaler "${name}" is idle: autoscaling is disabled while its target has zero replicas.`,
      'hpa.scalingActive',
    );
  }

  const spec = recordAt(obj, 'spec');
  const status = recordAt(obj, 'status');
  const current = num(status.currentReplicas) ?? 0;
  const desired = num(status.desiredReplicas) ?? current;
  const range = `${num(spec.minReplicas) ?? 1}-${num(spec.maxReplicas) ?? '?'}`;
  const limited = findCondition(conditions, 'ScalingLimited');
  const limit = limited?.status === 'True' ? (limited.message ?? limited.reason) : undefined;
  const note = limit ? ` ${sentence(`It is limited by its bounds: ${limit}`)}` : '';
  return healthy(
    `HorizontalPodAutoscaler "${name}" is active: ${current} current, ${desired} desired replicas (range ${range}).${note}`,
    'hpa.scalingActive',
  );
}
