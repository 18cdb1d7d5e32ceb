/**
 * Flower (Celery monitoring UI, https://flower.readthedocs.io/) for the CeleryK8sRunLauncher,
 * as plain Kubernetes objects.
 *
 * Why not the chart's `flower`: its Deployment puts the broker URL, password included, into a
 * literal env value built from `redis.password`
 * (https://github.com/dagster-io/dagster/blob/master/helm/dagster/templates/deployment-flower.yaml),
 * so the password would sit in the Helm values, the synthesized JSON and the Terraform state.
 * This Deployment reads `CELERY_BROKER_URL` / `CELERY_RESULT_BACKEND` (which Celery's settings
 * read from the environment) from the External Secrets-managed celery config Secret instead,
 * and runs the pinned `dagster-celery-k8s` image, which ships Flower
 * (`dagster-celery[flower]`). The Service is ClusterIP only: reach the UI with
 * `kubectl -n dagster port-forward svc/dagster-flower 5555`.
 */
import { DAGSTER_IMAGES } from '../../envs/versions';
import { imageArchSelector } from './placement';
import {
  CELERY_CONFIG_SECRET,
  COMPONENT,
  DAGSTER_NAMESPACE,
  FLOWER_NAME,
  FLOWER_PORT,
} from './names';

type Obj = Record<string, unknown>;

/** Pod labels of Flower (`component: flower`, as the chart's own Flower). */
export const FLOWER_LABELS = {
  'app.kubernetes.io/name': 'flower',
  'app.kubernetes.io/part-of': 'dagster',
  component: COMPONENT.flower,
} as const;

/** Env var ← key of the celery config Secret. */
const fromCeleryConfig = (name: string, key: string): Obj => ({
  name,
  valueFrom: { secretKeyRef: { name: CELERY_CONFIG_SECRET, key } },
});

/**
 * The Deployment (one replica, non-root, no service account token, restricted security
 * context, requests 50m / 128Mi, limit 256Mi, readiness on `/healthcheck`) and its ClusterIP
 * Service on port {@link FLOWER_PORT}.
 * @returns `apps/v1` Deployment and `v1` Service objects
 */
export function dagsterFlower(): Obj[] {
  const image = DAGSTER_IMAGES.celeryK8s;
  const meta = { name: FLOWER_NAME, namespace: DAGSTER_NAMESPACE, labels: { ...FLOWER_LABELS } };
  return [
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: meta,
      spec: {
        replicas: 1,
        selector: { matchLabels: { ...FLOWER_LABELS } },
        template: {
          metadata: { labels: { ...FLOWER_LABELS } },
          spec: {
            automountServiceAccountToken: false,
            // The dagster-celery-k8s image's platforms only (envs/versions.ts).
            nodeSelector: imageArchSelector(image),
            securityContext: {
              runAsNonRoot: true,
              runAsUser: 1000,
              runAsGroup: 1000,
              seccompProfile: { type: 'RuntimeDefault' },
            },
            containers: [
              {
                name: 'flower',
                image: `${image.repository}:${image.tag}`,
                imagePullPolicy: 'IfNotPresent',
                command: ['celery', 'flower', `--port=${FLOWER_PORT}`],
                env: [
                  fromCeleryConfig('CELERY_BROKER_URL', 'DAGSTER_CELERY_BROKER_URL'),
                  fromCeleryConfig('CELERY_RESULT_BACKEND', 'DAGSTER_CELERY_BACKEND_URL'),
                  { name: 'HOME', value: '/tmp' },
                ],
                ports: [{ name: 'http', containerPort: FLOWER_PORT, protocol: 'TCP' }],
                readinessProbe: {
                  httpGet: { path: '/healthcheck', port: 'http' },
                  periodSeconds: 10,
                },
                resources: {
                  requests: { cpu: '50m', memory: '128Mi' },
                  limits: { memory: '256Mi' },
                },
                securityContext: {
                  allowPrivilegeEscalation: false,
                  readOnlyRootFilesystem: true,
                  capabilities: { drop: ['ALL'] },
                },
                volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
              },
            ],
            volumes: [{ name: 'tmp', emptyDir: { sizeLimit: '64Mi' } }],
          },
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: meta,
      spec: {
        type: 'ClusterIP',
        selector: { ...FLOWER_LABELS },
        ports: [{ name: 'http', port: FLOWER_PORT, targetPort: 'http', protocol: 'TCP' }],
      },
    },
  ];
}
