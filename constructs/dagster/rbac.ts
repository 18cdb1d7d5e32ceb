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

/**
 * A `LimitRange` (v1) giving every container of the Dagster namespace that sets no
 * resources the run defaults (`runLauncher.resources`): Celery run and step pods get no
 * requests or limits from the CeleryK8sRunLauncher (its `resources` configure the Celery
 * workers), and a pod without requests is packed onto nodes by nothing
 * (https://kubernetes.io/docs/concepts/policy/limit-range/: "If a container … does not specify
 * its own … the LimitRange … default").
 */
export function dagsterLimitRange(resources: {
  requests: { cpu: string; memory: string };
  limits: { cpu?: string; memory: string };
}): Obj {
  return {
    apiVersion: 'v1',
    kind: 'LimitRange',
    metadata: meta('dagster-default-resources'),
    spec: {
      limits: [
        {
          type: 'Container',
          defaultRequest: { cpu: resources.requests.cpu, memory: resources.requests.memory },
          default: {
            memory: resources.limits.memory,
            ...(resources.limits.cpu ? { cpu: resources.limits.cpu } : {}),
          },
        },
      ],
    },
  };
}
