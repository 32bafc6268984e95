import type { Health, KubeObject } from '../model/index.js';
import {
  degraded,
  findCondition,
  healthy,
  num,
  parseConditions,
  progressing,
  reasonAndMessage,
  recordAt,
  sentence,
  suspended,
} from './fields.js';

/** Health of a Job: Failed beats Complete beats Suspended; anything else is still running. */
export function getJobHealth(obj: KubeObject): Health | undefined {
  const spec = recordAt(obj, 'spec');
  const status = recordAt(obj, 'status');
  const name = obj.metadata.name;
  const conditions = parseConditions(status.conditions);
  const isTrue = (type: string) => {
    const c = findCondition(conditions, type);
    return c?.status === 'True' ? c : undefined;
  };

  const active = num(status.active) ?? 0;
  const succeeded = num(status.succeeded) ?? 0;
  const failedPods = num(status.failed) ?? 0;
  const completions = num(spec.completions) ?? 1;

  // FailureTarget is set (Kubernetes 1.31+) as soon as the Job is doomed, before its pods are gone.
  const failed = isTrue('Failed') ?? isTrue('FailureTarget');
  if (failed) {
    const why = reasonAndMessage(failed) ?? 'no reason reported';
    return degraded(
      'job.failed',
      sentence(`Job "${name}" failed: ${why.replace(/\.$/, '')}`) +
        ` ${failedPods} pods failed; read their logs (kubectl logs job/${name}).`,
      `status.conditions[${failed.type}] (${failed.reason ?? 'True'})`,
    );
  }

  const complete = isTrue('Complete') ?? isTrue('SuccessCriteriaMet');
  if (complete) {
    return healthy(`Job "${name}" completed: ${succeeded} of ${completions} pods succeeded.`, 'job.complete');
  }

  if (isTrue('Suspended') || spec.suspend === true) {
    return suspended(`Job "${name}" is suspended; set spec.suspend to false to run it.`, 'job.suspended');
  }

  return progressing(
    'job.complete',
    `Job "${name}" is running: ${active} active, ${succeeded} of ${completions} succeeded, ${failedPods} failed.`,
    `status.succeeded (${succeeded}/${completions})`,
  );
}
