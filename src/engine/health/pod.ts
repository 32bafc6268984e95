import type { Health, KubeObject } from '../model/index.js';
import {
  asRecord,
  degraded,
  findCondition,
  healthy,
  num,
  parseConditions,
  progressing,
  recordAt,
  records,
  sentence,
  str,
  unknown,
} from './fields.js';

/** One entry of `status.containerStatuses` or `status.initContainerStatuses`, reduced to what health needs. */
type ContainerState = {
  name: string;
  /** `status.initContainerStatuses` or `status.containerStatuses`. */
  field: string;
  ready: boolean;
  restartCount: number;
  waiting?: { reason: string; message?: string };
  terminated?: { reason?: string; message?: string; exitCode: number };
  lastTerminated?: { reason?: string; message?: string; exitCode: number };
};

/** Waiting reasons that will not resolve by themselves (bad image, bad config, crash loop). */
function isErrorReason(reason: string): boolean {
  return (
    reason.startsWith('Err') ||
    reason.endsWith('Error') ||
    reason.endsWith('BackOff') ||
    reason === 'InvalidImageName'
  );
}

/** What a person should do about a waiting error. */
function hintFor(reason: string): string {
  if (reason === 'CrashLoopBackOff')
    return 'The container keeps crashing; read its logs (kubectl logs --previous).';
  if (reason === 'ImagePullBackOff' || reason.startsWith('ErrImage')) {
    return 'Check the image name and tag, that the registry is reachable, and the image pull secret.';
  }
  if (reason === 'InvalidImageName') return 'Fix the image reference in the manifest.';
  if (reason === 'CreateContainerConfigError') {
    return 'A ConfigMap, Secret or key the container references is probably missing.';
  }
  return 'Check the pod events (kubectl describe pod).';
}

function terminatedOf(value: unknown): ContainerState['terminated'] {
  const t = asRecord(value);
  if (!t) return undefined;
  const out: NonNullable<ContainerState['terminated']> = { exitCode: num(t.exitCode) ?? 0 };
  const reason = str(t.reason);
  if (reason) out.reason = reason;
  const message = str(t.message);
  if (message) out.message = message;
  return out;
}

function containerStates(status: Record<string, unknown>, field: string): ContainerState[] {
  return records(status[field]).map((c) => {
    const state = recordAt(c, 'state');
    const out: ContainerState = {
      name: str(c.name) ?? '(unnamed)',
      field: `status.${field}`,
      ready: c.ready === true,
      restartCount: num(c.restartCount) ?? 0,
    };
    const waiting = recordAt(state, 'waiting');
    const reason = str(waiting.reason);
    if (reason) {
      const message = str(waiting.message);
      out.waiting = message ? { reason, message } : { reason };
    }
    const terminated = terminatedOf(state.terminated);
    if (terminated) out.terminated = terminated;
    const last = terminatedOf(recordAt(c, 'lastState').terminated);
    if (last) out.lastTerminated = last;
    return out;
  });
}

/** Why a terminated container failed, or undefined when it exited cleanly. */
function failureOf(ctr: ContainerState): string | undefined {
  const t = ctr.terminated;
  if (!t) return undefined;
  if (t.message) return `container "${ctr.name}" terminated: ${t.message.trim()}`;
  if (t.reason === 'OOMKilled') return `container "${ctr.name}" was OOMKilled; raise its memory limit`;
  if (t.exitCode !== 0) {
    return `container "${ctr.name}" failed with exit code ${t.exitCode}${t.reason ? ` (${t.reason})` : ''}`;
  }
  return undefined;
}

/** Degraded for the first container stuck in a waiting error, if any. */
function waitingError(name: string, ctrs: ContainerState[]): Health | undefined {
  const stuck = ctrs.filter((c) => c.waiting && isErrorReason(c.waiting.reason));
  const first = stuck[0];
  if (!first?.waiting) return undefined;
  const { reason, message } = first.waiting;
  const more = stuck.length > 1 ? ` (and ${stuck.length - 1} more containers)` : '';
  return degraded(
    'pod.container',
    `Pod "${name}": container "${first.name}" is waiting with ${reason}` +
      (message ? `: ${message.trim().replace(/\.$/, '')}` : '') +
      `${more}. ${hintFor(reason)}`,
    `${first.field}[${first.name}].state.waiting.reason (${reason})`,
  );
}

/** Health of a Pod: container errors, then phase; long-running pods must be Ready. */
export function getPodHealth(obj: KubeObject): Health | undefined {
  const spec = recordAt(obj, 'spec');
  const status = recordAt(obj, 'status');
  const name = obj.metadata.name;
  // Argo CD's argocd.argoproj.io/ignore-restart-policy: "true" assesses a non-hook pod as long-running.
  const annotations = obj.metadata.annotations ?? {};
  const isHook = Boolean(annotations['argocd.argoproj.io/hook'] ?? annotations['helm.sh/hook']);
  const ignoreRestartPolicy = annotations['argocd.argoproj.io/ignore-restart-policy'] === 'true' && !isHook;
  const restartPolicy = ignoreRestartPolicy ? 'Always' : (str(spec.restartPolicy) ?? 'Always');
  const podMessage = str(status.message);
  const init = containerStates(status, 'initContainerStatuses');
  const main = containerStates(status, 'containerStatuses');

  // Pods that run to completion (hooks, job pods) are not Degraded by a waiting error: the error may clear
  // and the pod would then run after its sync has already failed.
  if (restartPolicy === 'Always') {
    const stuck = waitingError(name, [...init, ...main]);
    if (stuck) return stuck;
  }

  const phase = str(status.phase);
  switch (phase) {
    case 'Pending': {
      const scheduled = findCondition(parseConditions(status.conditions), 'PodScheduled');
      if (scheduled?.status === 'False') {
        return progressing(
          'pod.scheduling',
          sentence(
            `Pod "${name}" is not scheduled yet: ${scheduled.message ?? scheduled.reason ?? 'no node fits'}`,
          ) + ' Check node capacity, taints, affinity and its PersistentVolumeClaims.',
          `status.conditions[PodScheduled] (${scheduled.reason ?? 'False'})`,
        );
      }
      const waiting = [...init, ...main].find((c) => c.waiting);
      const detail = waiting?.waiting
        ? `container "${waiting.name}" is ${waiting.waiting.reason}`
        : (podMessage ?? 'waiting for its containers to start');
      const hint =
        waiting?.waiting && isErrorReason(waiting.waiting.reason)
          ? ` ${hintFor(waiting.waiting.reason)}`
          : '';
      return progressing(
        'pod.phase',
        sentence(`Pod "${name}" is Pending: ${detail}`) + hint,
        waiting?.waiting
          ? `${waiting.field}[${waiting.name}].state.waiting.reason (${waiting.waiting.reason})`
          : 'status.phase (Pending)',
      );
    }
    case 'Succeeded':
      return healthy(sentence(podMessage ?? `Pod "${name}" completed successfully`), 'pod.phase');
    case 'Failed': {
      const failure = podMessage ?? [...init, ...main].map(failureOf).find((m) => m !== undefined);
      return degraded(
        'pod.phase',
        sentence(`Pod "${name}" failed: ${failure ?? 'no reason reported'}`) +
          ' Read its logs (kubectl logs) and events.',
        'status.phase (Failed)',
      );
    }
    case 'Running': {
      if (restartPolicy !== 'Always') {
        const waiting = [...init, ...main].find((c) => c.waiting);
        const note = waiting?.waiting
          ? `; container "${waiting.name}" is waiting with ${waiting.waiting.reason}`
          : '';
        return progressing(
          'pod.completion',
          `Pod "${name}" is running (restartPolicy ${restartPolicy})${note}; it is healthy once it completes.`,
          'status.phase (Running)',
        );
      }
      const ready = findCondition(parseConditions(status.conditions), 'Ready');
      if (ready?.status === 'True') {
        return healthy(sentence(podMessage ?? `Pod "${name}" is running and ready`), 'pod.ready');
      }
      const readyCount = main.filter((c) => c.ready).length;
      const restarted = main.find((c) => !c.ready && c.lastTerminated);
      if (restarted?.lastTerminated) {
        const last = restarted.lastTerminated;
        const why = last.reason ? `${last.reason}, exit code ${last.exitCode}` : `exit code ${last.exitCode}`;
        return degraded(
          'pod.ready',
          `Pod "${name}" is not ready: container "${restarted.name}" restarted ${restarted.restartCount} times ` +
            `(last exit: ${why}). Read its logs (kubectl logs --previous).`,
          `${restarted.field}[${restarted.name}].ready (false)`,
        );
      }
      const notReady = main.filter((c) => !c.ready).map((c) => `"${c.name}"`);
      return progressing(
        'pod.ready',
        `Pod "${name}" is running but not ready` +
          (notReady.length > 0
            ? `: waiting for container ${notReady.join(', ')} to pass its readiness probe.`
            : '.'),
        `status.conditions[Ready] (${readyCount}/${main.length} containers ready)`,
      );
    }
    case undefined:
      return progressing('pod.phase', `Waiting for pod "${name}" to report a phase.`, 'status.phase');
    default:
      return unknown(
        'pod.phase',
        sentence(podMessage ?? `Pod "${name}" is in phase ${phase}; its node may have lost contact`),
        `status.phase (${phase})`,
      );
  }
}
