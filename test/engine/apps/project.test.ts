import { describe, expect, it } from 'vitest';
import { checkProject, type ProjectObject, parseApplication } from '../../../src/engine/apps/index.js';
import type { AppProject } from '../../../src/engine/model/index.js';
import { application } from './helpers.js';

const web = parseApplication({
  ...application('web', {}),
  spec: {
    project: 'team-a',
    source: { repoURL: 'https://github.com/org/web.git', path: 'deploy' },
    destination: { server: 'https://prod.example:6443', namespace: 'team-a-web' },
  },
});

const project: AppProject = {
  name: 'team-a',
  sourceRepos: ['https://github.com/org/*'],
  destinations: [{ server: 'https://prod.example:6443', namespace: 'team-a-*' }],
};

const deploy: ProjectObject = { group: 'apps', kind: 'Deployment', namespace: 'team-a-web' };
const ns: ProjectObject = { group: '', kind: 'Namespace', namespace: '' };

describe('checkProject', () => {
  it('permits an app inside its project', () => {
    expect(checkProject(project, { app: web, objects: [deploy] })).toEqual([]);
  });

  it('lets the undefined default project allow everything, and refuses other undefined projects', () => {
    expect(checkProject(undefined, { app: { ...web, project: 'default' }, objects: [ns] })).toEqual([]);
    expect(checkProject(undefined, { app: web })).toEqual([
      'app web: project team-a is not defined in the repository',
    ]);
  });

  it('checks source repositories with globs and negation, normalising URLs', () => {
    const other = { ...web, sources: [{ repoURL: 'https://github.com/evil/x' }] };
    expect(checkProject(project, { app: other })).toEqual([
      'app web: source repository https://github.com/evil/x is not permitted by project team-a',
    ]);
    const nested = { ...web, sources: [{ repoURL: 'https://github.com/org/a/b' }] };
    expect(checkProject(project, { app: nested })).toHaveLength(1);
    const upper = { ...web, sources: [{ repoURL: 'HTTPS://GitHub.com/org/Web.git/' }] };
    expect(checkProject(project, { app: upper })).toEqual([]);
    const denied: AppProject = { ...project, sourceRepos: ['*', '!https://github.com/org/web'] };
    expect(checkProject(denied, { app: web })[0]).toContain('not permitted');
    expect(checkProject({ ...project, sourceRepos: ['*'] }, { app: other })).toEqual([]);
  });

  it('checks destinations by server or name, with namespace globs and ! negation', () => {
    const wrongNs = { ...web, destination: { ...web.destination, namespace: 'kube-system' } };
    expect(checkProject(project, { app: wrongNs })).toEqual([
      'app web: destination server https://prod.example:6443 namespace kube-system is not permitted by project team-a',
    ]);
    const byName: AppProject = { ...project, destinations: [{ name: 'production', namespace: '*' }] };
    const named = { ...web, destination: { name: 'production', namespace: 'x' } };
    expect(checkProject(byName, { app: named })).toEqual([]);
    expect(checkProject(byName, { app: web })).toHaveLength(1);
    expect(checkProject(byName, { app: web, destinationName: 'production' })).toEqual([]);
    const deny: AppProject = {
      ...project,
      destinations: [
        { server: '*', namespace: '*' },
        { server: '*', namespace: '!kube-*' },
      ],
    };
    expect(checkProject(deny, { app: web })).toEqual([]);
    expect(checkProject(deny, { app: wrongNs })).toHaveLength(1);
  });

  it('checks object namespaces against the destinations', () => {
    const stray: ProjectObject = { group: '', kind: 'ConfigMap', namespace: 'default' };
    expect(checkProject(project, { app: web, objects: [deploy, stray, stray] })).toEqual([
      'app web: namespace default on server https://prod.example:6443 is not permitted by project team-a',
    ]);
  });

  it('refuses cluster-scoped kinds outside the whitelist and blacklisted namespaced kinds', () => {
    expect(checkProject(project, { app: web, objects: [ns, ns] })).toEqual([
      "app web: cluster-scoped kind Namespace is not in project team-a's clusterResourceWhitelist",
    ]);
    const wl: AppProject = { ...project, clusterResourceWhitelist: [{ group: '*', kind: '*' }] };
    expect(checkProject(wl, { app: web, objects: [ns] })).toEqual([]);
    const bl: AppProject = {
      ...wl,
      clusterResourceBlacklist: [{ group: 'rbac.authorization.k8s.io', kind: 'Cluster*' }],
      namespaceResourceBlacklist: [{ group: '', kind: 'ResourceQuota' }],
    };
    const crb: ProjectObject = {
      group: 'rbac.authorization.k8s.io',
      kind: 'ClusterRoleBinding',
      namespace: '',
    };
    const quota: ProjectObject = { group: '', kind: 'ResourceQuota', namespace: 'team-a-web' };
    expect(checkProject(bl, { app: web, objects: [crb, quota, deploy] })).toEqual([
      "app web: cluster-scoped kind ClusterRoleBinding.rbac.authorization.k8s.io is not in project team-a's clusterResourceWhitelist",
      'app web: namespaced kind ResourceQuota is not permitted by project team-a',
    ]);
    const onlyDeploy: AppProject = {
      ...project,
      namespaceResourceWhitelist: [{ group: 'apps', kind: 'Deployment' }],
    };
    expect(checkProject(onlyDeploy, { app: web, objects: [deploy, quota] })).toEqual([
      'app web: namespaced kind ResourceQuota is not permitted by project team-a',
    ]);
    const emptyWl: AppProject = { ...project, namespaceResourceWhitelist: [] };
    expect(checkProject(emptyWl, { app: web, objects: [deploy] })).toHaveLength(1);
  });
});
