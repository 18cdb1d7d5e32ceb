/**
 * Service accounts and RBAC of the Dagster namespace, as plain Kubernetes objects
 * (https://kubernetes.io/docs/reference/access-authn-authz/rbac/). The chart's own RBAC is
 * off (`rbacEnabled: false`); this is the least the K8sRunLauncher, run monitoring and the
 * `k8s_job_executor` / Pipes need: Jobs and Pods in the Dagster namespace only (a Role, never
 * a ClusterRole).
 */
import { DAGSTER_NAMESPACE, DAGSTER_SERVICE_ACCOUNT, USER_CODE_SERVICE_ACCOUNT } from './names';

type Obj = Record<string, unknown>;

/** Name of the Role (and RoleBinding) of the launcher/run service account. */
export const RUN_ROLE = 'dagster-run-launcher';

/** Rules of {@link RUN_ROLE}. */
export const RUN_ROLE_RULES = [
  {
    apiGroups: ['batch'],
    resources: ['jobs'],
    verbs: ['create', 'get', 'list', 'watch', 'delete'],
  },
  { apiGroups: ['batch'], resources: ['jobs/status'], verbs: ['get'] },
  { apiGroups: [''], resources: ['pods'], verbs: ['create', 'get', 'list', 'watch', 'delete'] },
  { apiGroups: [''], resources: ['pods/log', 'pods/status'], verbs: ['get'] },
  { apiGroups: [''], resources: ['events'], verbs: ['get', 'list', 'watch'] },
] as const;

const meta = (name: string) => ({
  name,
  namespace: DAGSTER_NAMESPACE,
  labels: { 'app.kubernetes.io/part-of': 'dagster' },
});

/**
 * The service accounts, the Role and its binding.
 * - `dagster`: webserver, daemon, Celery workers and launched runs; bound to the Role and to
 *   the Pod Identity role for compute logs.
 * - `dagster-user-code`: code location servers; no token mounted by default, no rights.
 */
export function dagsterRbac(): Obj[] {
  return [
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta(DAGSTER_SERVICE_ACCOUNT) },
    {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: meta(USER_CODE_SERVICE_ACCOUNT),
      automountServiceAccountToken: false,
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: meta(RUN_ROLE),
      rules: RUN_ROLE_RULES,
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: meta(RUN_ROLE),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: RUN_ROLE },
      subjects: [
        { kind: 'ServiceAccount', name: DAGSTER_SERVICE_ACCOUNT, namespace: DAGSTER_NAMESPACE },
      ],
    },
  ];
}
