/** AppSpecs for the fixture repositories, built the way discovery resolves them (environment, service). */
import type { AppSpec } from '../../../src/engine/model/index.js';

/** The Kustomize shop's apps: `apps/<svc>/overlays/<env>`, defined in `argocd/apps/<svc>-<env>.yaml`. */
export function shopAppSpecs(repoURL: string, services: string[], envs: string[]): AppSpec[] {
  return services.flatMap((svc) =>
    envs.map(
      (env): AppSpec => ({
        name: `${svc}-${env}`,
        project: 'default',
        sources: [{ repoURL, targetRevision: 'main', path: `apps/${svc}/overlays/${env}` }],
        destination: { name: env === 'prod' ? 'production' : env, namespace: 'shop' },
        labels: { environment: env, service: svc },
        annotations: {},
        origin: { file: `argocd/apps/${svc}-${env}.yaml` },
        environment: env,
        service: svc,
      }),
    ),
  );
}

/** The Helm platform's apps: chart `charts/service` + `ref: values`, value file per env and service. */
export function platformAppSpecs(repoURL: string, services: string[], envs: string[]): AppSpec[] {
  return envs.flatMap((env) =>
    services.map(
      (svc): AppSpec => ({
        name: `${svc}-${env}`,
        project: 'default',
        sources: [
          {
            repoURL,
            targetRevision: 'HEAD',
            path: 'charts/service',
            helm: { releaseName: svc, valueFiles: [`$values/environments/${env}/${svc}/values.yaml`] },
          },
          { repoURL, targetRevision: 'HEAD', ref: 'values' },
        ],
        destination: { name: env, namespace: 'platform' },
        labels: { environment: env, service: svc },
        annotations: {},
        origin: { applicationSet: 'platform' },
        environment: env,
        service: svc,
      }),
    ),
  );
}
