/**
 * bosun's own health for the custom resources these platforms run most, written from what their controllers
 * set in status: Argo Rollouts (Rollout, AnalysisRun, Experiment), Argo CD ApplicationSet, Sealed Secrets,
 * External Secrets, cert-manager and KEDA. A Lua script for the same kind (argocd-cm or a directory) wins.
 */
import type { Health, KubeObject } from '../model/index.js';
import { HealthStatus } from '../model/index.js';
import { type Condition, findCondition, num, parseConditions, recordAt, records, str } from './fields.js';

const h = (status: HealthStatus, message: string, check: string, waitingOn?: string): Health =>
  waitingOn ? { status, message, check, waitingOn } : { status, message, check };

/** Argo Rollouts: the controller's own phase when it reports one, else its conditions and replica counts. */
export function getRolloutHealth(obj: KubeObject): Health | undefined {
  const spec = recordAt(obj, 'spec');
  const status = recordAt(obj, 'status');
  const check = 'rollout';
  const gen = num(obj.metadata.generation);
  const observed = num(status.observedGeneration) ?? Number(str(status.observedGeneration) ?? Number.NaN);
  const workloadGen = obj.metadata.annotations?.['rollout.argoproj.io/workload-generation'];
  const workloadSeen =
    !spec.workloadRef ||
    !obj.metadata.annotations ||
    Number(workloadGen) === num(status.workloadObservedGeneration);
  // a non-numeric observedGeneration (Rollouts ≤ 0.9) counts as observed
  const seen =
    obj.status !== undefined && (Number.isNaN(observed) || observed > (gen ?? 0) || observed === gen);
  if (!seen || !workloadSeen)
    return h(
      HealthStatus.Progressing,
      'Waiting for rollout spec update to be observed',
      check,
      'status.observedGeneration',
    );
  const phase = str(status.phase);
  const message = str(status.message) ?? '';
  if (phase) {
    const mapped = phase === 'Paused' ? HealthStatus.Suspended : (phase as HealthStatus);
    return h(mapped, message, check, mapped === HealthStatus.Healthy ? undefined : `status.phase (${phase})`);
  }
  for (const c of parseConditions(status.conditions)) {
    if (
      c.type === 'InvalidSpec' ||
      (c.type === 'Progressing' && (c.reason === 'RolloutAborted' || c.reason === 'ProgressDeadlineExceeded'))
    )
      return h(HealthStatus.Degraded, c.message ?? c.reason ?? c.type, check, `status.conditions[${c.type}]`);
  }
  if (records(status.pauseConditions).length > 0 || spec.paused === true)
    return h(HealthStatus.Suspended, 'Rollout is paused', check, 'status.pauseConditions');
  if (!str(status.currentPodHash))
    return h(
      HealthStatus.Progressing,
      'Waiting for rollout to finish: status has not been reconciled.',
      check,
    );
  const desired = num(spec.replicas) ?? 1;
  const replicas = num(status.replicas) ?? 0;
  const updated = num(status.updatedReplicas) ?? 0;
  const available = num(status.availableReplicas) ?? 0;
  if (updated < desired)
    return h(
      HealthStatus.Progressing,
      'Waiting for roll out to finish: More replicas need to be updated',
      check,
    );
  if (available < updated)
    return h(
      HealthStatus.Progressing,
      'Waiting for roll out to finish: updated replicas are still becoming available',
      check,
    );
  const strategy = recordAt(spec, 'strategy');
  const stable = str(status.stableRS) ?? str(recordAt(status, 'canary').stableRS) ?? '';
  const current = str(status.currentPodHash);
  if (strategy.blueGreen) {
    if (str(recordAt(status, 'blueGreen').activeSelector) !== current)
      return h(HealthStatus.Progressing, 'active service cutover pending', check);
    if (stable !== '' && stable !== current)
      return h(HealthStatus.Progressing, 'waiting for analysis to complete', check);
  } else if (strategy.canary) {
    if (replicas > updated)
      return h(
        HealthStatus.Progressing,
        'Waiting for roll out to finish: old replicas are pending termination',
        check,
      );
    if (stable === '' || stable !== current)
      return h(HealthStatus.Progressing, 'Waiting for rollout to finish steps', check);
  }
  return h(HealthStatus.Healthy, '', check);
}

function phaseHealth(
  obj: KubeObject,
  what: string,
  check: string,
  words: Record<string, [HealthStatus, string]>,
): Health {
  const status = recordAt(obj, 'status');
  const phase = str(status.phase);
  if (!phase)
    return h(
      HealthStatus.Progressing,
      `Waiting for ${what} to finish: status has not been reconciled.`,
      check,
    );
  const [s, text] = words[phase] ?? [HealthStatus.Progressing, `${what} is ${phase.toLowerCase()}`];
  const detail = str(status.message);
  return h(
    s,
    detail ? `Status Message: ${detail}` : text,
    check,
    s === HealthStatus.Healthy ? undefined : `status.phase (${phase})`,
  );
}

/** An AnalysisRun: Successful is Healthy, Failed and Error Degraded, Inconclusive Unknown. */
export function getAnalysisRunHealth(obj: KubeObject): Health | undefined {
  const status = recordAt(obj, 'status');
  const health = phaseHealth(obj, 'analysis run', 'rollout.analysisRun', {
    Pending: [HealthStatus.Progressing, 'Analysis run is running'],
    Running: [HealthStatus.Progressing, 'Analysis run is running'],
    Successful: [HealthStatus.Healthy, 'Analysis run completed successfully'],
    Failed: [HealthStatus.Degraded, 'Analysis run failed'],
    Error: [HealthStatus.Degraded, 'Analysis run had an error'],
    Inconclusive: [HealthStatus.Unknown, 'Analysis run was inconclusive'],
  });
  // a terminated run reports its own message ("run terminated") rather than an assessment
  if (health.status === HealthStatus.Healthy && str(status.message)) health.message = str(status.message);
  return health;
}

/** An Experiment: Successful is Healthy, Failed and Error Degraded, Pending and Running Progressing. */
export function getExperimentHealth(obj: KubeObject): Health | undefined {
  return phaseHealth(obj, 'experiment', 'rollout.experiment', {
    Pending: [HealthStatus.Progressing, 'Experiment is pending'],
    Running: [HealthStatus.Progressing, 'Experiment is running'],
    Successful: [HealthStatus.Healthy, 'Experiment is successful'],
    Failed: [HealthStatus.Degraded, 'Experiment has failed'],
    Error: [HealthStatus.Degraded, 'Experiment had an error'],
  });
}

/** An ApplicationSet: ErrorOccurred is Degraded, a progressive sync in flight Progressing, up to date Healthy. */
export function getApplicationSetHealth(obj: KubeObject): Health | undefined {
  const conds = parseConditions(recordAt(obj, 'status').conditions);
  const check = 'applicationset.conditions';
  if (conds.length === 0) return h(HealthStatus.Progressing, 'Waiting for the status to be reported', check);
  const err = conds.find((c) => c.type === 'ErrorOccurred' && c.status === 'True');
  if (err) return h(HealthStatus.Degraded, err.message ?? 'error', check, 'status.conditions[ErrorOccurred]');
  const rolling = conds.find((c) => c.type === 'RolloutProgressing' && c.status === 'True');
  if (rolling) return h(HealthStatus.Progressing, rolling.message ?? 'rolling out', check);
  const upToDate = conds.find((c) => c.type === 'ResourcesUpToDate');
  if (upToDate?.status === 'False')
    return h(
      HealthStatus.Degraded,
      upToDate.message ?? 'not up to date',
      check,
      'status.conditions[ResourcesUpToDate]',
    );
  return h(HealthStatus.Healthy, upToDate?.message ?? 'ApplicationSet up to date', check);
}

function conditionHealth(
  obj: KubeObject,
  type: string,
  opts: { check: string; waiting: string; healthyMessage?: (c: Condition) => string },
): Health {
  const c = findCondition(parseConditions(recordAt(obj, 'status').conditions), type);
  if (!c) return h(HealthStatus.Progressing, opts.waiting, opts.check, `status.conditions[${type}] (absent)`);
  if (c.status === 'True')
    return h(HealthStatus.Healthy, opts.healthyMessage?.(c) ?? c.message ?? '', opts.check);
  if (c.status === 'False')
    return h(
      HealthStatus.Degraded,
      c.message ?? c.reason ?? `${type} is False`,
      opts.check,
      `status.conditions[${type}] (False${c.reason ? `, ${c.reason}` : ''})`,
    );
  return h(
    HealthStatus.Progressing,
    c.message ?? opts.waiting,
    opts.check,
    `status.conditions[${type}] (Unknown)`,
  );
}

/** A SealedSecret: Synced True once the controller decrypted it; False carries the decryption error. */
export function getSealedSecretHealth(obj: KubeObject): Health | undefined {
  return conditionHealth(obj, 'Synced', {
    check: 'sealedsecret.synced',
    waiting: 'Waiting for Sealed Secret to be decrypted',
    healthyMessage: () => '',
  });
}

/** External Secrets kinds (ExternalSecret, stores, PushSecret): the Ready condition. */
export function getExternalSecretsHealth(obj: KubeObject): Health | undefined {
  // ClusterExternalSecret reports NotReady / PartiallyReady when some namespaces failed
  const failing = parseConditions(recordAt(obj, 'status').conditions).find(
    (c) => (c.type === 'NotReady' || c.type === 'PartiallyReady') && c.status === 'True',
  );
  if (failing)
    return h(
      HealthStatus.Degraded,
      failing.message ?? failing.type,
      'external-secrets.ready',
      `status.conditions[${failing.type}]`,
    );
  return conditionHealth(obj, 'Ready', {
    check: 'external-secrets.ready',
    waiting: `Waiting for ${obj.kind} to be reconciled`,
  });
}

/** cert-manager kinds: the Ready condition (an Issuer without one is still being checked). */
export function getCertManagerHealth(obj: KubeObject): Health | undefined {
  const issuing = findCondition(parseConditions(recordAt(obj, 'status').conditions), 'Issuing');
  if (issuing?.status === 'True')
    return h(
      HealthStatus.Progressing,
      issuing.message ?? 'Issuing certificate',
      'cert-manager.issuing',
      'status.conditions[Issuing] (True)',
    );
  return conditionHealth(obj, 'Ready', {
    check: 'cert-manager.ready',
    waiting: `Waiting for ${obj.kind} to be issued`,
  });
}

/** A KEDA ScaledObject: Paused is Suspended, Ready False Degraded, else Healthy. */
export function getScaledObjectHealth(obj: KubeObject): Health | undefined {
  const conds = parseConditions(recordAt(obj, 'status').conditions);
  if (findCondition(conds, 'Paused')?.status === 'True')
    return h(
      HealthStatus.Suspended,
      findCondition(conds, 'Paused')?.message ?? 'ScaledObject is paused',
      'keda',
    );
  return conditionHealth(obj, 'Ready', {
    check: 'keda.ready',
    waiting: 'Waiting for ScaledObject to be ready',
  });
}
