/**
 * Built-in resource actions, with Argo CD's semantics (written for bosun; no Argo CD code):
 * restart of Deployments/StatefulSets/DaemonSets through the `kubectl.kubernetes.io/restartedAt`
 * pod-template annotation (as `kubectl rollout restart`), scale, delete of a Pod, suspend/resume of a
 * CronJob, and the Argo Rollouts verbs (restart, promote, promote-full, abort, retry, pause, resume) as
 * patches of the Rollout's spec or status. Pure: the time is passed in.
 */
import type { KubeObject } from '../model/resource-key.js';

/** How one change of an action reaches the cluster. */
export type ActionStep =
  | { op: 'patch'; patchType: 'merge' | 'strategic'; subresource?: 'status'; patch: unknown }
  | { op: 'delete' }
  | { op: 'create'; object: KubeObject };

/** An action offered for one object. */
export type ActionInfo = {
  name: string;
  /** Where it comes from: built in or a Lua customization. */
  source: 'builtin' | 'lua';
  /** Set when the action exists for the kind but makes no sense now (e.g. resume of a running CronJob). */
  disabled?: string;
  /** Parameters it needs (e.g. `replicas` for scale). */
  params?: string[];
  /** Said before it runs: e.g. that Git sets what a scale changes, so the next sync reverts it. */
  warning?: string;
};

/** Inputs of planning one action. */
export type ActionInput = { obj: KubeObject; now: Date; params?: Record<string, string> };

type Builtin = {
  name: string;
  groups: readonly string[];
  kinds: readonly string[];
  params?: string[];
  disabled?: (obj: KubeObject) => string | undefined;
  steps: (i: ActionInput) => ActionStep[];
};

/** The pod-template annotation `kubectl rollout restart` sets. */
export const RESTARTED_AT = 'kubectl.kubernetes.io/restartedAt';

const rec = (v: unknown): Record<string, unknown> =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

const spec = (o: KubeObject) => rec(o.spec);
const status = (o: KubeObject) => rec(o.status);
const iso = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * What is wrong with a value given for an action's parameter, in one line (undefined when it is fine):
 * every parameter needs a value, and `replicas` (scale, built in or Lua) a whole number ≥ 0.
 */
export function actionParamProblem(o: { action: string; param: string; value: string }): string | undefined {
  const v = o.value.trim();
  if (v === '') return `${o.action} needs a value for ${o.param}`;
  if (o.param === 'replicas' && !/^\d+$/.test(v))
    return `${o.action}: replicas must be a whole number ≥ 0, not "${o.value}"`;
  return undefined;
}

function replicasParam(params: Record<string, string> | undefined): number {
  const raw = params?.replicas;
  if (raw === undefined) throw new Error('scale needs the replica count (replicas=N)');
  const problem = actionParamProblem({ action: 'scale', param: 'replicas', value: raw });
  if (problem) throw new Error(problem);
  return Number(raw.trim());
}

const merge = (patch: unknown): ActionStep => ({ op: 'patch', patchType: 'merge', patch });
const statusMerge = (patch: unknown): ActionStep => ({
  op: 'patch',
  patchType: 'merge',
  subresource: 'status',
  patch: { status: patch },
});

const ROLLOUT = ['argoproj.io'] as const;

const builtins: readonly Builtin[] = [
  {
    name: 'restart',
    groups: ['apps'],
    kinds: ['Deployment', 'StatefulSet', 'DaemonSet'],
    steps: ({ now }) => [
      {
        op: 'patch',
        patchType: 'strategic',
        patch: { spec: { template: { metadata: { annotations: { [RESTARTED_AT]: iso(now) } } } } },
      },
    ],
  },
  {
    name: 'scale',
    groups: ['apps', 'argoproj.io'],
    kinds: ['Deployment', 'StatefulSet', 'Rollout'],
    params: ['replicas'],
    steps: ({ params }) => [merge({ spec: { replicas: replicasParam(params) } })],
  },
  {
    name: 'delete',
    groups: [''],
    kinds: ['Pod'],
    steps: () => [{ op: 'delete' }],
  },
  {
    name: 'suspend',
    groups: ['batch'],
    kinds: ['CronJob'],
    disabled: (o) => (spec(o).suspend === true ? 'the CronJob is already suspended' : undefined),
    steps: () => [merge({ spec: { suspend: true } })],
  },
  {
    name: 'resume',
    groups: ['batch'],
    kinds: ['CronJob'],
    disabled: (o) => (spec(o).suspend === true ? undefined : 'the CronJob is not suspended'),
    steps: () => [merge({ spec: { suspend: false } })],
  },
  {
    name: 'restart',
    groups: ROLLOUT,
    kinds: ['Rollout'],
    steps: ({ now }) => [merge({ spec: { restartAt: iso(now) } })],
  },
  {
    // Resume the current pause (the controller then moves to the next step); when nothing pauses the
    // rollout, skip the current step.
    name: 'promote',
    groups: ROLLOUT,
    kinds: ['Rollout'],
    disabled: (o) => (status(o).abort === true ? 'the rollout is aborted: retry it first' : undefined),
    steps: ({ obj }) => {
      const out: ActionStep[] = [];
      if (spec(obj).paused === true) out.push(merge({ spec: { paused: false } }));
      const st = status(obj);
      const pauses = Array.isArray(st.pauseConditions) && st.pauseConditions.length > 0;
      if (pauses || st.controllerPause === true) {
        out.push(statusMerge({ pauseConditions: null, controllerPause: false }));
      } else if (out.length === 0) {
        const steps = rec(rec(spec(obj).strategy).canary).steps;
        const index = typeof st.currentStepIndex === 'number' ? st.currentStepIndex : 0;
        const count = Array.isArray(steps) ? steps.length : 0;
        if (index < count) out.push(statusMerge({ currentStepIndex: index + 1 }));
      }
      if (out.length === 0)
        throw new Error('nothing to promote: the rollout is neither paused nor between steps');
      return out;
    },
  },
  {
    name: 'promote-full',
    groups: ROLLOUT,
    kinds: ['Rollout'],
    disabled: (o) => (status(o).abort === true ? 'the rollout is aborted: retry it first' : undefined),
    steps: () => [statusMerge({ promoteFull: true })],
  },
  {
    name: 'abort',
    groups: ROLLOUT,
    kinds: ['Rollout'],
    disabled: (o) => (status(o).abort === true ? 'the rollout is already aborted' : undefined),
    steps: () => [statusMerge({ abort: true })],
  },
  {
    name: 'retry',
    groups: ROLLOUT,
    kinds: ['Rollout'],
    disabled: (o) => (status(o).abort === true ? undefined : 'the rollout is not aborted'),
    steps: () => [statusMerge({ abort: false })],
  },
  {
    name: 'pause',
    groups: ROLLOUT,
    kinds: ['Rollout'],
    disabled: (o) => (spec(o).paused === true ? 'the rollout is already paused' : undefined),
    steps: () => [merge({ spec: { paused: true } })],
  },
  {
    name: 'resume',
    groups: ROLLOUT,
    kinds: ['Rollout'],
    steps: ({ obj }) => {
      const out: ActionStep[] = [merge({ spec: { paused: false } })];
      const st = status(obj);
      if (Array.isArray(st.pauseConditions) && st.pauseConditions.length > 0)
        out.push(statusMerge({ pauseConditions: null }));
      return out;
    },
  },
];

const groupOf = (o: KubeObject) => {
  const i = o.apiVersion.indexOf('/');
  return i < 0 ? '' : o.apiVersion.slice(0, i);
};

function find(obj: KubeObject, name: string): Builtin | undefined {
  const g = groupOf(obj);
  return builtins.find((b) => b.name === name && b.kinds.includes(obj.kind) && b.groups.includes(g));
}

/** The built-in actions for an object, each marked disabled (with why) when it cannot apply now. */
export function builtinActions(obj: KubeObject): ActionInfo[] {
  const g = groupOf(obj);
  return builtins
    .filter((b) => b.kinds.includes(obj.kind) && b.groups.includes(g))
    .map((b) => {
      const disabled = b.disabled?.(obj);
      return {
        name: b.name,
        source: 'builtin' as const,
        ...(disabled ? { disabled } : {}),
        ...(b.params ? { params: b.params } : {}),
      };
    });
}

/** The changes a built-in action makes to an object; throws a one-line Error when it cannot run. */
export function builtinSteps(name: string, input: ActionInput): ActionStep[] | undefined {
  const b = find(input.obj, name);
  if (!b) return undefined;
  const disabled = b.disabled?.(input.obj);
  if (disabled) throw new Error(`${name} of ${input.obj.kind}/${input.obj.metadata.name}: ${disabled}`);
  return b.steps(input);
}

/**
 * A warning when an action's effect will be undone by the next sync: scaling a workload whose desired
 * manifest sets `spec.replicas` (Git wins on the next sync, at once with self-heal).
 */
export function revertWarning(o: {
  action: string;
  desired?: KubeObject;
  params?: Record<string, string>;
  selfHeal: boolean;
}): string | undefined {
  if (o.action !== 'scale' || !o.desired) return undefined;
  const replicas = spec(o.desired).replicas;
  if (replicas === undefined) return undefined;
  if (String(replicas) === o.params?.replicas) return undefined;
  return `Git sets ${o.desired.kind}/${o.desired.metadata.name} spec.replicas to ${String(replicas)}: ${
    o.selfHeal ? 'self-heal will revert this scale at once' : 'the next sync will revert this scale'
  }`;
}
