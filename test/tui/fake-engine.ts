import type {
  ActionInfo,
  ActionRequest,
  ActionResult,
  AppSetPreviewResult,
  AppState,
  BosunEngine,
  ClusterState,
  EngineEvent,
  EngineSnapshot,
  EnvComparison,
  GitChangePlan,
  GitChangeResult,
  HistoryEntry,
  LogOptions,
  LogSession,
  OperationResult,
  PlanTask,
  ResourceDiff,
  ResourceKey,
  ResourceNode,
  ResourceYaml,
  SyncManyItem,
  SyncManyOptions,
  SyncManyPlan,
  SyncOptions,
  SyncPlanView,
  TimelineEvent,
  WhyReport,
} from '../../src/engine/index.js';
import { planSyncMany, syncMany } from '../../src/engine/index.js';

/** Options of the fake: service names, or a generated fleet of about `apps` apps (for the benchmark). */
export type FakeEngineOptions = { services?: string[]; apps?: number; readOnlyCluster?: string };

const envs = [
  { name: 'dev', cluster: 'dev', context: 'kind-dev' },
  { name: 'staging', cluster: 'staging', context: 'kind-staging' },
  { name: 'prod', cluster: 'production', context: 'prod-eu' },
] as const;

const tags: Record<string, [string, string, string]> = {
  'api-gateway': ['latest', 'v1.47.1', 'v1.47.1'],
  'checkout-service': ['latest', 'v1.47.2', 'v1.47.1'],
  'order-service': ['latest', 'v1.47.2', 'v1.47.1'],
  'payment-service': ['latest', 'v1.47.1', 'v1.47.1'],
};

const key = (
  kind: string,
  name: string,
  namespace = 'shop',
  group = kind === 'Deployment' ? 'apps' : '',
): ResourceKey => ({
  group,
  kind,
  namespace,
  name,
});

function makeApp(service: string, envIndex: number, tag: string): AppState {
  const env = envs[envIndex] ?? envs[0];
  const name = `${service}-${env.name}`;
  const app: AppState = {
    name,
    spec: {
      name,
      project: service.startsWith('payment') ? 'payments' : 'shop',
      sources: [
        {
          repoURL: 'https://git.example/shop.git',
          path: `apps/${service}/overlays/${env.name}`,
          targetRevision: 'main',
        },
      ],
      destination: { name: env.context, namespace: 'shop' },
      labels: {},
      annotations: {},
      origin: { file: `apps/${service}/${env.name}.yaml` },
      environment: env.name,
      service,
    },
    revision: '4c7cf25e1d2a9b3c',
    context: env.context,
    sync: 'Synced',
    health: 'Healthy',
    resources: [
      { key: key('Deployment', service), version: 'v1', sync: 'Synced', health: { status: 'Healthy' } },
      { key: key('Service', service), version: 'v1', sync: 'Synced', health: { status: 'Healthy' } },
    ],
    conditions: [],
    desiredCount: 2,
    images: [`registry.local/shop/${service}:${tag}`],
    policy: {
      production: env.name === 'prod',
      confirm: env.name === 'prod' ? ['sync', 'promote', 'revert'] : [],
      confirmName: name,
    },
  };
  if (name === 'order-service-prod') {
    app.sync = 'OutOfSync';
    app.resources[0] = { ...app.resources[0]!, sync: 'OutOfSync', changedPaths: ['/spec/replicas'] };
  }
  if (name === 'payment-service-staging') {
    app.health = 'Degraded';
    app.healthMessage = 'CrashLoopBackOff: back-off restarting failed container';
  }
  return app;
}

function makeSnapshot(opts: FakeEngineOptions): EngineSnapshot {
  const apps: AppState[] = [];
  if (opts.apps) {
    const services = Math.ceil(opts.apps / envs.length);
    for (let s = 0; s < services; s++) {
      const service = `svc-${String(s).padStart(4, '0')}`;
      envs.forEach((_, i) => {
        if (apps.length < (opts.apps ?? 0)) apps.push(makeApp(service, i, `v1.${s % 50}.${i}`));
      });
    }
  } else {
    for (const service of opts.services ?? Object.keys(tags))
      envs.forEach((_, i) => {
        apps.push(makeApp(service, i, tags[service]?.[i] ?? 'v1.0.0'));
      });
  }
  for (const a of apps) {
    const cluster = envs.find((e) => e.context === a.context)?.cluster;
    if (cluster && cluster === opts.readOnlyCluster)
      a.policy.readOnly = {
        code: 'cluster-read-only',
        reason: `cluster ${cluster} is read-only in bosun.yaml`,
      };
  }
  const clusters: ClusterState[] = envs.map((e) => ({
    name: e.cluster,
    context: e.context,
    server: `https://127.0.0.1:64${e.name.length}3`,
    status: 'Connected',
    serverVersion: 'v1.31.2',
    watchedKinds: 24,
    objects: 312,
    apps: apps.filter((a) => a.context === e.context).length,
    readOnly: opts.readOnlyCluster === e.cluster,
    production: e.cluster === 'production',
    requests: { list: 24, watch: 24 },
  }));
  return {
    version: 1,
    repo: { path: '/tmp/shop', name: 'shop', branch: 'main', remote: 'origin', head: '4c7cf25e1d2a9b3c' },
    clusters,
    apps,
    appSets: [],
    environments: [
      { name: 'dev', production: false, requireReview: false },
      { name: 'staging', production: false, requireReview: false },
      { name: 'prod', production: true, requireReview: false },
    ],
    errors: [],
    loading: false,
    readOnly: false,
    identity: 'tester@bastion',
    automation: { enabled: true, leases: 0 },
  };
}

const replicasDiff = [
  '--- live',
  '+++ desired',
  '@@ -6,7 +6,7 @@',
  ' spec:',
  '-  replicas: 5',
  '+  replicas: 3',
  '   selector:',
].join('\n');

/** An in-memory BosunEngine: a mutable snapshot, scripted answers, recorded calls and injectable failures. */
export class FakeEngine implements BosunEngine {
  snapshot: EngineSnapshot;
  /** Every facade call, in order. */
  readonly calls: { method: string; args: unknown[] }[] = [];
  /** Method name → error message: the next calls of that method fail with it. */
  readonly failures = new Map<string, string>();
  /** When set, `sync` waits for it before finishing (to look at live progress). */
  syncGate: Promise<void> | undefined;
  private listeners = new Set<() => void>();
  private eventListeners = new Set<(e: EngineEvent) => void>();

  constructor(opts: FakeEngineOptions = {}) {
    this.snapshot = makeSnapshot(opts);
  }

  private record(method: string, args: unknown[]): void {
    this.calls.push({ method, args });
    const failure = this.failures.get(method);
    if (failure) throw new Error(failure);
  }

  /** Replaces the snapshot and notifies subscribers (what the real store does after coalescing). */
  update(f: (s: EngineSnapshot) => Partial<EngineSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...f(this.snapshot), version: this.snapshot.version + 1 };
    for (const l of this.listeners) l();
  }

  /** Sends an engine event to subscribers. */
  emit(e: EngineEvent): void {
    for (const l of this.eventListeners) l(e);
  }

  /** Calls of one method. */
  callsOf(method: string): unknown[][] {
    return this.calls.filter((c) => c.method === method).map((c) => c.args);
  }

  async start(): Promise<void> {}
  async stop(): Promise<void> {}
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  async settled(): Promise<void> {}
  getSnapshot(): EngineSnapshot {
    return this.snapshot;
  }
  onEvent(listener: (e: EngineEvent) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }
  async refresh(opts?: { app?: string; fetch?: boolean }): Promise<void> {
    this.record('refresh', [opts]);
  }
  async diff(app: string): Promise<ResourceDiff[]> {
    this.record('diff', [app]);
    if (app !== 'order-service-prod') return [];
    return [
      {
        key: key('Deployment', 'order-service'),
        sync: 'OutOfSync',
        changedPaths: ['/spec/replicas'],
        text: replicasDiff,
        explain: ['spec.replicas was changed by kubectl-scale'],
      },
      {
        key: key('Secret', 'order-db'),
        sync: 'OutOfSync',
        changedPaths: ['/data/password'],
        text: [
          '--- live',
          '+++ desired',
          '@@ -1,3 +1,3 @@',
          ' data:',
          '-  password: ++++++++ (changed)',
          '+  password: ******** (changed)',
        ].join('\n'),
        explain: ['Secret values are masked'],
      },
    ];
  }
  tree(app: string): ResourceNode[] {
    this.record('tree', [app]);
    const service = this.snapshot.apps.find((a) => a.name === app)?.spec.service ?? app;
    const degraded = app === 'payment-service-staging';
    return [
      {
        key: key('Deployment', service),
        sync: app === 'order-service-prod' ? 'OutOfSync' : 'Synced',
        health: degraded
          ? { status: 'Degraded', message: 'Deployment has 0 of 2 available replicas' }
          : { status: 'Healthy' },
        children: [
          {
            key: { group: 'apps', kind: 'ReplicaSet', namespace: 'shop', name: `${service}-7d9f8` },
            health: { status: degraded ? 'Degraded' : 'Healthy' },
            children: [0, 1].map((i) => ({
              key: { group: '', kind: 'Pod', namespace: 'shop', name: `${service}-7d9f8-x${i}` },
              health: { status: degraded ? 'Degraded' : 'Healthy' },
              info: degraded ? 'CrashLoopBackOff' : 'Running',
              children: [],
              events: degraded
                ? [
                    {
                      type: 'Warning',
                      reason: 'BackOff',
                      message: 'Back-off restarting failed container',
                      count: 12,
                    },
                  ]
                : [],
            })),
          },
        ],
      },
      { key: key('Service', service), sync: 'Synced', health: { status: 'Healthy' }, children: [] },
    ];
  }
  explain(app: string, resource?: ResourceKey): string[] {
    this.record('explain', [app, resource]);
    if (app === 'order-service-prod')
      return ['Deployment/order-service: spec.replicas is 5 live, 3 in Git (written by kubectl-scale)'];
    if (app === 'payment-service-staging')
      return ['Deployment/payment-service: 0 of 2 replicas available (CrashLoopBackOff)'];
    return [];
  }
  async planSync(app: string, opts?: SyncOptions): Promise<SyncPlanView> {
    this.record('planSync', [app, opts]);
    return this.planOf(app, opts);
  }
  /** The scripted plan of an app (not recorded: `sync` uses it too). */
  private planOf(app: string, opts?: SyncOptions): SyncPlanView {
    const service = this.snapshot.apps.find((a) => a.name === app)?.spec.service ?? app;
    const tasks: PlanTask[] = [
      {
        key: { group: 'batch', kind: 'Job', namespace: 'shop', name: `${service}-migrate` },
        phase: 'PreSync',
        wave: 0,
        action: 'hook',
      },
      { key: key('ConfigMap', `${service}-config`), phase: 'Sync', wave: 0, action: 'apply' },
      { key: key('Service', service), phase: 'Sync', wave: 0, action: 'apply' },
      { key: key('Deployment', service), phase: 'Sync', wave: 1, action: 'apply' },
    ];
    if (opts?.prune)
      tasks.push({ key: key('ConfigMap', `${service}-old`), phase: 'Sync', wave: 1, action: 'prune' });
    const context = this.snapshot.apps.find((a) => a.name === app)?.context ?? '';
    return {
      app,
      context,
      revision: '4c7cf25e1d2a9b3c',
      tasks,
      refusals: [],
      warnings: [],
      options: opts ?? {},
    };
  }
  async sync(app: string, opts?: SyncOptions): Promise<OperationResult> {
    this.record('sync', [app, opts]);
    const plan = this.planOf(app, opts);
    this.emit({ type: 'operation', app, phase: 'Running', message: 'wave 0' });
    for (const t of plan.tasks) this.emit({ type: 'task', app, key: t.key, status: 'Running' });
    if (this.syncGate) await this.syncGate;
    for (const t of plan.tasks) this.emit({ type: 'task', app, key: t.key, status: 'Succeeded' });
    this.emit({ type: 'operation', app, phase: 'Succeeded' });
    const tasks = plan.tasks.map((t) => ({ ...t, status: 'Succeeded' as const }));
    return {
      id: 'op-1',
      phase: 'Succeeded',
      message: 'successfully synced',
      tasks,
      startedAt: '2025-01-01T00:00:00Z',
    };
  }
  /** The engine's own batch runner over this fake's planSync and sync. */
  planSyncMany(apps: string[], opts?: SyncManyOptions): Promise<SyncManyPlan> {
    this.record('planSyncMany', [apps, opts]);
    return planSyncMany(this, apps, opts);
  }
  syncMany(apps: string[], opts?: SyncManyOptions): Promise<SyncManyItem[]> {
    this.record('syncMany', [apps, opts]);
    return syncMany(this, apps, opts);
  }
  terminate(app: string): void {
    this.record('terminate', [app]);
  }
  async history(app: string, opts?: { limit?: number }): Promise<HistoryEntry[]> {
    this.record('history', [app, opts]);
    return [
      {
        sha: 'a1b2c3d4e5f6',
        shortSha: 'a1b2c3d',
        author: 'alice',
        date: '2025-01-03T10:00:00Z',
        subject: 'order-service: bump to v1.47.2',
        runningIn: ['kind-staging'],
      },
      {
        sha: 'b2c3d4e5f6a1',
        shortSha: 'b2c3d4e',
        author: 'bob',
        date: '2025-01-02T10:00:00Z',
        subject: 'order-service: raise memory limit',
        runningIn: ['prod-eu'],
      },
      {
        sha: 'c3d4e5f6a1b2',
        shortSha: 'c3d4e5f',
        author: 'carol',
        date: '2025-01-01T10:00:00Z',
        subject: 'order-service: first release',
        runningIn: [],
      },
    ];
  }
  async planPromote(opts: { service: string; from: string; to: string }): Promise<GitChangePlan> {
    this.record('planPromote', [opts]);
    return this.gitPlan(
      'promote',
      `promote ${opts.service} ${opts.from} → ${opts.to}`,
      `${opts.service}-${opts.to}`,
    );
  }
  async planRevert(opts: { app: string; commit: string }): Promise<GitChangePlan> {
    this.record('planRevert', [opts]);
    return this.gitPlan('revert', `revert ${opts.commit.slice(0, 7)} for ${opts.app}`, opts.app);
  }
  async applyGitChange(plan: GitChangePlan, opts?: { confirm?: string }): Promise<GitChangeResult> {
    this.record('applyGitChange', [plan, opts]);
    return { commit: 'f00dfeed1234', pushedTo: 'origin/main', branch: 'main', retries: 0 };
  }

  async compare(opts: {
    service: string;
    envA: string;
    envB: string;
    revision?: string;
  }): Promise<EnvComparison> {
    this.record('compare', [opts]);
    const side = (env: string) => ({
      environment: env,
      app: `${opts.service}-${env}`,
      revision: '4c7cf25e1d2a9b3c',
    });
    return {
      service: opts.service,
      a: side(opts.envA),
      b: side(opts.envB),
      resources: [
        {
          resource: `apps/Deployment/${opts.service}`,
          status: 'changed',
          changedPaths: ['/spec/replicas'],
          diff: `--- ${opts.envA}/apps/Deployment/${opts.service}\n+++ ${opts.envB}/apps/Deployment/${opts.service}\n@@ -1 +1 @@\n-replicas: 1\n+replicas: 3\n`,
        },
        { resource: `Service/${opts.service}`, status: 'same', changedPaths: [], diff: '' },
      ],
      files: [
        {
          a: `apps/${opts.service}/overlays/${opts.envA}/kustomization.yaml`,
          b: `apps/${opts.service}/overlays/${opts.envB}/kustomization.yaml`,
          diff: `--- a\n+++ b\n@@ -1 +1 @@\n-  newTag: v1\n+  newTag: v2\n`,
        },
      ],
      identical: false,
    };
  }

  async previewAppSets(opts: { name?: string; revision?: string } = {}): Promise<AppSetPreviewResult> {
    this.record('previewAppSets', [opts]);
    return {
      revision: { rev: opts.revision ?? 'HEAD', sha: 'b0b0b0b0b0b0' },
      head: { sha: '4c7cf25e1d2a9b3c' },
      live: { compared: true, unreachable: [] },
      sets: [
        {
          name: opts.name ?? 'platform',
          apps: [
            {
              name: 'catalog-dev',
              status: 'unchanged',
              environment: 'dev',
              destination: 'dev/platform',
              specChanges: [],
              resources: [],
            },
            {
              name: 'search-dev',
              status: 'removed',
              environment: 'dev',
              destination: 'dev/platform',
              specChanges: [],
              resources: [],
            },
            {
              name: 'billing-dev',
              status: 'added',
              environment: 'dev',
              destination: 'dev/platform',
              specChanges: [],
              resources: [],
            },
          ],
          live: {
            compared: true,
            liveOnly: ['search-dev'],
            notDeployed: ['billing-dev'],
            deployed: ['catalog-dev'],
            unknown: [],
          },
        },
      ],
      changed: true,
    };
  }

  private gitPlan(kind: 'promote' | 'revert', title: string, app: string): GitChangePlan {
    return {
      kind,
      title,
      fileDiff: [
        '--- a/kustomization.yaml',
        '+++ b/kustomization.yaml',
        '@@ -3 +3 @@',
        '-    newTag: v1.47.1',
        '+    newTag: v1.47.2',
      ].join('\n'),
      files: ['apps/x/overlays/prod/kustomization.yaml'],
      renderedDiff: [{ app, diffs: [] }],
      commitMessage: `${title}\n\nPromoted-by: tester@bastion`,
      targetBranch: 'main',
      refusals: [],
      id: `${kind}-1`,
    };
  }

  /** Scripted triage answers. */
  triage: {
    events: TimelineEvent[];
    yaml?: ResourceYaml;
    actions: ActionInfo[];
    why: WhyReport;
  } = { events: [], actions: [], why: { warnings: [] } };

  logs(app: string, opts: LogOptions & { resource?: string }): LogSession {
    this.record('logs', [app, opts]);
    throw new Error('the fake engine has no log streams');
  }

  async events(app: string, opts?: { warningsOnly?: boolean }): Promise<TimelineEvent[]> {
    this.record('events', [app, opts]);
    return this.triage.events.filter((e) => !opts?.warningsOnly || e.type === 'Warning');
  }

  async resourceYaml(
    app: string,
    resource: string,
    opts?: { managedFields?: boolean },
  ): Promise<ResourceYaml> {
    this.record('resourceYaml', [app, resource, opts]);
    return this.triage.yaml ?? { resource, command: `kubectl get ${resource} -o yaml` };
  }

  async actions(app: string, resource: string): Promise<ActionInfo[]> {
    this.record('actions', [app, resource]);
    return this.snapshot.readOnly ? [] : this.triage.actions;
  }

  async runAction(req: ActionRequest): Promise<ActionResult> {
    this.record('runAction', [req]);
    return {
      id: 'a1',
      app: req.app,
      resource: req.resource,
      action: req.action,
      phase: 'Succeeded',
      message: `${req.action} done`,
      warnings: [],
    };
  }

  async why(app: string): Promise<WhyReport> {
    this.record('why', [app]);
    return this.triage.why;
  }
}
