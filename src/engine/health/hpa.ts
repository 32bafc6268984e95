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

/** AbleToScale=False reasons that only mean "waiting for a backoff window", not a fault. */
const benignAbleToScaleReasons = new Set(['BackoffBoth', 'BackoffDownscale', 'BackoffUpscale']);

/**
 * ScalingActive=False reasons that only mean "metrics cannot be read": the HPA keeps the current replica
 * count, the workload is unaffected. Argo CD in practice reports these Healthy; so do we (with the reason),
 * so that a cluster without metrics-server does not stall every sync wave.
 */
const metricsUnavailableReasons = new Set([
  'FailedGetResourceMetric',
  'FailedGetContainerResourceMetric',
  'FailedGetPodsMetric',
  'FailedGetObjectMetric',
  'FailedGetExternalMetric',
]);

/** ScalingActive=False reasons that are deliberate (the target was scaled to zero). */
const benignScalingActiveReasons = new Set(['ScalingDisabled']);

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

  const able = findCondition(conditions, 'AbleToScale');
  if (able?.status === 'False' && !benignAbleToScaleReasons.has(able.reason ?? '')) {
    return degraded(
      'hpa.ableToScale',
      `HorizontalPodAutoscaler "${name}" cannot scale its target (${reasonAndMessage(able) ?? 'no reason given'}); ` +
        'check that spec.scaleTargetRef names an existing workload with a scale subresource.',
      `status.conditions[AbleToScale] (${able.reason ?? 'False'})`,
    );
  }

  const active = findCondition(conditions, 'ScalingActive');
  if (
    active?.status === 'False' &&
    able?.status === 'True' &&
    metricsUnavailableReasons.has(active.reason ?? '')
  ) {
    return healthy(
      `HorizontalPodAutoscaler "${name}" keeps the current replica count: it cannot read metrics (${reasonAndMessage(active) ?? active.reason}); ` +
        'autoscaling resumes once the metrics API (metrics-server or an adapter) answers.',
      'hpa.scalingActive',
    );
  }
  if (active?.status === 'False' && !benignScalingActiveReasons.has(active.reason ?? '')) {
    return degraded(
      'hpa.scalingActive',
      `HorizontalPodAutoscaler "${name}" cannot compute a replica count (${reasonAndMessage(active) ?? 'no reason given'}); ` +
        'check that the metrics API (metrics-server or an adapter) is running and that the pods set resource requests.',
      `status.conditions[ScalingActive] (${active.reason ?? 'False'})`,
    );
  }
  if (active?.status === 'False') {
    return healthy(
      `HorizontalPodAutoscaler "${name}" is idle: autoscaling is disabled while its target has zero replicas.`,
      'hpa.scalingActive',
    );
  }

  if (able?.status !== 'True' && active?.status !== 'True') {
    return progressing(
      'hpa.conditions',
      `Waiting for HorizontalPodAutoscaler "${name}" to become able to scale.`,
      `status.conditions[AbleToScale] (${able?.status ?? 'absent'})`,
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
